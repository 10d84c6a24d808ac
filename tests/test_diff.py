"""`paradox diff`: two ledgers that differ in known ways give exactly those differences."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pypandoc
import pytest

from paradox.cli import main as cli
from analysis.report.citation import changes_from_env
from paradox.diff import (DiffInputError, diff_ledgers, format_diff, ledger_of, read_ledger,
                          write_changes_file)

REPO = Path(__file__).resolve().parent.parent

OLD_EDITION = {"edition_version": "0.1.0", "edition_date": "2026-01-15",
               "edition_commit": "1111111", "data_to": 2022, "data_vintage": "homicide 2022"}
NEW_EDITION = {"edition_version": "0.1.0", "edition_date": "2026-11-28",
               "edition_commit": "2222222", "data_to": 2023, "data_vintage": "homicide 2023"}


def number(claim_id, text, value, low=None, high=None, unit="", year=None,
           sources=("src_a",), chapter="ch", sentence=None):
    """One hand-made 'number' ledger entry (the ledger format of ARCHITECTURE.md)."""
    return {"id": claim_id, "kind": "number", "text": text, "value": value, "low": low,
            "high": high, "unit": unit, "year": year, "sources": list(sources), "branch": None,
            "sentence": sentence or f"A sentence with {text}.", "chapter": chapter,
            "anchor": f"chapters/{chapter}.html#claim-{claim_id}"}


def branch(claim_id, branch_name, text, chapter="producers"):
    """One hand-made 'branch' ledger entry: a sentence chosen by the data."""
    return {"id": claim_id, "kind": "branch", "text": text, "value": None, "low": None,
            "high": None, "unit": None, "year": None, "sources": ["unodc_coca"],
            "branch": branch_name, "sentence": text, "chapter": chapter,
            "anchor": f"chapters/{chapter}.html#claim-{claim_id}"}


def old_ledger() -> list[dict]:
    """The earlier edition."""
    entries = [
        number("markets-income", "well over $1 billion", 1e9, low=1e9, unit="USD",
               sources=("muggah_mcdermott_2013",), chapter="markets"),
        number("violence-peru-rate", "6.7 per 100,000 (2012)", 6.7, unit="per_100k", year=2012,
               chapter="violence"),
        branch("producers-leader", "peru_leads", "Peru remains the largest grower of coca."),
        number("producers-share", "40%", 0.401234567, unit="percent", chapter="producers"),
        number("producers-area", "61,200 hectares", 61200, unit="hectares", chapter="producers"),
        number("seizures-2011", "about 20 tonnes", 20.1, unit="tonnes", chapter="markets"),
        number("sources-order", "3", 3, sources=("b", "a")),
        branch("violence-trend", "falling", "Homicide fell to 6.7 per 100,000."),
    ]
    return [dict(e, **OLD_EDITION) for e in entries]


def new_ledger() -> list[dict]:
    """The new edition, differing from the old in exactly the ways the tests name."""
    entries = copy.deepcopy(old_ledger())
    by_id = {e["id"]: e for e in entries}
    # changed: a new rate for a new year
    by_id["violence-peru-rate"].update(text="5.8 per 100,000 (2023)", value=5.8, year=2023)
    # flipped: the data now choose the other sentence
    by_id["producers-leader"].update(branch="colombia_leads",
                                     text="Colombia has since overtaken Peru.")
    # float noise only: not a change
    by_id["producers-share"]["value"] = 0.401234567 * (1 + 1e-12)
    # the value moved but the printed text did not: still reported
    by_id["producers-area"]["value"] = 61240
    # same sources in another order: not a change
    by_id["sources-order"]["sources"] = ["a", "b"]
    # same branch, other text (a number inside it moved): a change, not a flip
    by_id["violence-trend"]["text"] = "Homicide fell to 5.8 per 100,000."
    entries = [e for e in entries if e["id"] != "seizures-2011"]  # disappeared
    entries.insert(2, number("use-brazil", "1.75%", 1.75, unit="percent", chapter="markets"))
    return [dict(e, **NEW_EDITION) for e in entries]


# --- the pure comparison ----------------------------------------------------------------------

def test_exactly_the_known_differences():
    diff = diff_ledgers(old_ledger(), new_ledger())
    assert [c.id for c in diff.flipped] == ["producers-leader"]
    assert [c.id for c in diff.changed] == ["violence-peru-rate", "producers-area", "violence-trend"]
    assert [e["id"] for e in diff.appeared] == ["use-brazil"]
    assert [e["id"] for e in diff.disappeared] == ["seizures-2011"]
    assert diff.changed[0].fields == ("text", "value", "year")
    assert diff.changed[1].fields == ("value",)
    assert diff.changed[2].fields == ("text",)


def test_a_ledger_against_itself_is_empty():
    diff = diff_ledgers(old_ledger(), [dict(e, **NEW_EDITION) for e in old_ledger()])
    assert diff.empty  # edition fields differ, claims do not


def test_edition_fields_label_the_editions():
    diff = diff_ledgers(old_ledger(), new_ledger())
    assert diff.old_edition == OLD_EDITION and diff.new_edition == NEW_EDITION


@pytest.mark.parametrize("entries, message", [
    ([{"id": "a"}, {"id": "a"}], "old ledger: id 'a' appears twice"),
    ([{"text": "x"}], "old ledger: entry 1 has no id"),
])
def test_malformed_ledgers_are_refused(entries, message):
    with pytest.raises(DiffInputError, match=message):
        diff_ledgers(entries, [])


# --- the Markdown -----------------------------------------------------------------------------

def test_format_diff_known_answer():
    old = [dict(number("m-income", "$1 billion", 1e9, chapter="markets"), **OLD_EDITION),
           dict(branch("p-leader", "peru_leads", "Peru leads."), **OLD_EDITION),
           dict(number("gone", "20 tonnes", 20), **OLD_EDITION)]
    new = [dict(number("m-income", "$1.2 billion", 1.2e9, chapter="markets"), **NEW_EDITION),
           dict(branch("p-leader", "colombia_leads", "Colombia leads."), **NEW_EDITION),
           dict(number("fresh", "7", 7, sentence="Seven new things."), **NEW_EDITION)]
    markdown = format_diff(diff_ledgers(old, new))
    # Every text from a ledger is escaped (all ASCII punctuation), so read it unescaped:
    assert "\\$1 billion" in markdown and "colombia\\_leads" in markdown
    assert unescape(markdown) == (
        "Between edition 0.1.0 of 2026-01-15 (commit 1111111, data to 2022) and edition 0.1.0 "
        "of 2026-11-28 (commit 2222222, data to 2023): 1 conclusion flipped, 1 number changed, "
        "1 new number, 1 number no longer shown.\n\n"
        "**Conclusions the data now choose differently**\n\n"
        "- `p-leader` (producers): the data now choose *colombia_leads* instead of "
        "*peru_leads*.\n"
        "  Before: \u201cPeru leads.\u201d\n"
        "  Now: \u201cColombia leads.\u201d\n\n"
        "**Numbers that changed**\n\n"
        "- `m-income` (markets): $1 billion \u2192 $1.2 billion\n\n"
        "**New in this edition**\n\n"
        "- `fresh` (ch): 7 \u2014 \u201cSeven new things.\u201d\n\n"
        "**No longer shown**\n\n"
        "- `gone` (ch): 20 tonnes \u2014 \u201cA sentence with 20 tonnes.\u201d\n")


def unescape(markdown: str) -> str:
    """The Markdown with its backslash escapes removed: what a reader sees, structure kept."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_format_diff_same_text_shows_the_values():
    text = unescape(format_diff(diff_ledgers(old_ledger(), new_ledger())))
    assert ("- `producers-area` (producers): 61,200 hectares \u2192 61,200 hectares "
            "(same text; value 61,200 \u2192 61,240)") in text


def test_format_diff_when_nothing_changed():
    assert format_diff(diff_ledgers([], [])) == (
        "Between the earlier edition and this edition, no number and no data-chosen sentence "
        "changed.\n")


def test_format_diff_is_safe_markdown():
    html = pypandoc.convert_text(format_diff(diff_ledgers(old_ledger(), new_ledger())), "html",
                                 format="markdown", extra_args=["--wrap=none"])
    assert "math" not in html  # "$1 billion ... $5" must never become TeX math
    assert "6.7 per 100,000 (2012) \u2192 5.8 per 100,000 (2023)" in html
    assert html.count("<ul>") == 4 and "<em>colombia_leads</em>" in html


# --- reading ledgers and the command ----------------------------------------------------------

def write_book(folder: Path, entries: list[dict]) -> Path:
    """A minimal rendered-book folder: just its claims.json."""
    folder.mkdir(parents=True)
    (folder / "claims.json").write_text(json.dumps(entries), encoding="utf-8")
    return folder


def test_read_ledger_from_folder_or_file(tmp_path):
    book = write_book(tmp_path / "book", old_ledger())
    assert read_ledger(book) == read_ledger(book / "claims.json") == old_ledger()


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a JSON claims ledger"),
    ('{"id": "a"}', "a claims ledger is a JSON list"),
])
def test_read_ledger_refuses_non_ledgers(tmp_path, content, message):
    (tmp_path / "claims.json").write_text(content, encoding="utf-8")
    with pytest.raises(DiffInputError, match=message):
        read_ledger(tmp_path)


def test_read_ledger_explains_what_it_expected(tmp_path):
    with pytest.raises(DiffInputError, match="no claims.json here .* data folder with datapackage.json"):
        ledger_of(tmp_path, tmp_path / "work")


def test_cli_diff_of_two_books(tmp_path, capsys):
    old = write_book(tmp_path / "old", old_ledger())
    new = write_book(tmp_path / "new", new_ledger())
    assert cli(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out == format_diff(diff_ledgers(old_ledger(), new_ledger()))
    assert "1 conclusion flipped, 3 numbers changed, 1 new number, 1 number no longer shown" in out


def test_cli_diff_bad_input_is_one_line(tmp_path, capsys):
    old = write_book(tmp_path / "old", old_ledger())
    assert cli(["diff", str(old), str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("paradox diff: ") and err.count("\n") == 1 and "Traceback" not in err


def test_cli_diff_bad_data_folder_reports_problems_and_renders_nothing(tmp_path, capsys):
    data = Path(shutil.copytree(REPO / "data", tmp_path / "data"))
    text = (data / "homicide.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(text[1].split(",")[1], "nineteen", 1)  # year of line 2
    (data / "homicide.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    old = write_book(tmp_path / "old", old_ledger())
    assert cli(["diff", str(old), str(data)]) == 1
    err = capsys.readouterr().err
    assert "homicide.csv: row 2: year" in err
    assert err.rstrip().endswith(f"problem(s) in {data}; nothing was compared.")


def test_changes_file_reaches_the_chapter(tmp_path):
    old = write_book(tmp_path / "old", old_ledger())
    new = write_book(tmp_path / "new", new_ledger())
    path = tmp_path / "cache" / "changes.md"
    env = write_changes_file(path, old, new)
    assert env == {"PARADOX_CHANGES_FILE": str(path.resolve())}
    assert changes_from_env(env) == format_diff(diff_ledgers(old_ledger(), new_ledger()))
    before = path.stat().st_mtime_ns
    write_changes_file(path, old / "claims.json", new)  # same text: the file is untouched
    assert path.stat().st_mtime_ns == before
    assert write_changes_file(path, None, new) == env  # no earlier ledger: blank file
    assert path.read_text(encoding="utf-8") == "" and changes_from_env(env) is None
    assert changes_from_env({}) is None
    assert changes_from_env({"PARADOX_CHANGES_FILE": str(tmp_path / "absent.md")}) is None


# --- end to end: two data folders rendered by the real renderer -------------------------------

CHAPTER = '''# Diff fixture {.unnumbered}

```{python}
#| include: false
from analysis.data import load
from analysis.estimate import Estimate, choose

h = load("homicide")
per = h[(h.iso3 == "PER") & (h.source_type == "wdi_series")].sort_values("year").iloc[-1]
rate = Estimate(float(per.rate_per_100k), unit="per_100k", year=int(per.year),
                sources=("wdi_homicide",), id="peru-rate")
c = load("coca_cultivation")
c = c[c.headline]
last = int(c[c.iso3 == "PER"].year.max())
area = c[c.year == last].set_index("iso3").hectares
peru = Estimate(float(area["PER"]), unit="hectares", sources=("unodc",), id=f"coca-peru-{last}")
leader = choose(bool(area["PER"] > area["COL"]), "Peru grows the most coca.",
                "Colombia grows the most coca.", labels=("peru_leads", "colombia_leads"),
                sources=("unodc",), id="coca-leader")
```

Peru's homicide rate was `{python} rate`. Peru grew `{python} peru` of coca.
`{python} leader`
'''


def fixture_project(root: Path) -> Path:
    """A one-page book whose claims depend on the data folder it is rendered with."""
    root.mkdir()
    (root / "_quarto.yml").write_text(
        "project:\n  type: book\n  output-dir: _book\nbook:\n  title: Diff fixture\n"
        "  chapters:\n    - index.qmd\nexecute:\n  echo: false\n", encoding="utf-8")
    (root / "index.qmd").write_text(CHAPTER, encoding="utf-8")
    return root


def edit_csv(path: Path, edit) -> None:
    """Rewrite a curated CSV through `edit(rows) -> rows` (rows as dicts of strings)."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(edit(rows))


def newer_vintage(data: Path) -> Path:
    """A data folder that differs from data/ in three known ways, checksums refreshed."""
    from analysis.data.describe import describe_folder

    def homicide(rows):  # Peru's latest WDI rate changes
        latest = max(int(r["year"]) for r in rows if r["iso3"] == "PER" and r["source_type"] == "wdi_series")
        for r in rows:
            if (r["iso3"], r["source_type"], int(r["year"])) == ("PER", "wdi_series", latest):
                r["rate_per_100k"] = "7.5"
        return rows

    def coca(rows):  # Peru's last headline year is withdrawn; Peru leads in the year before
        peru = [r for r in rows if r["iso3"] == "PER" and r["headline"] == "true"]
        last = max(int(r["year"]) for r in peru)
        rows = [r for r in rows if not (r["iso3"] == "PER" and int(r["year"]) >= last)]
        for r in rows:
            if (r["iso3"], int(r["year"]), r["headline"]) == ("PER", last - 1, "true"):
                r["hectares"] = "999999"
        return rows

    edit_csv(data / "homicide.csv", homicide)
    edit_csv(data / "coca_cultivation.csv", coca)
    describe_folder(data)
    return data


@pytest.mark.slow
def test_two_data_folders_differ_exactly_as_edited(tmp_path):
    project = fixture_project(tmp_path / "project")
    old_data = Path(shutil.copytree(REPO / "data", tmp_path / "old-data"))
    new_data = newer_vintage(Path(shutil.copytree(REPO / "data", tmp_path / "new-data")))
    old = ledger_of(old_data, tmp_path / "work-old", project=project)
    new = ledger_of(new_data, tmp_path / "work-new", project=project)
    last = max(int(e["id"].rsplit("-", 1)[1]) for e in old if e["id"].startswith("coca-peru-"))

    diff = diff_ledgers(old, new)
    assert [c.id for c in diff.changed] == ["peru-rate"]
    assert diff.changed[0].new["text"] == "7.5 per 100,000 (2021)"
    assert [c.id for c in diff.flipped] == ["coca-leader"]
    assert (diff.flipped[0].old["branch"], diff.flipped[0].new["branch"]) == ("colombia_leads", "peru_leads")
    assert [e["id"] for e in diff.appeared] == [f"coca-peru-{last - 1}"]
    assert diff.appeared[0]["text"] == "999,999 hectares"
    assert [e["id"] for e in diff.disappeared] == [f"coca-peru-{last}"]
    assert diff.old_edition["edition_commit"] == "unknown"  # the fixture project is not in git


# --- an earlier edition is untrusted input ----------------------------------------------------

from renderer.pandoc import stringify  # noqa: E402
from tests.hostile import HOSTILE  # noqa: E402

UNSAFE_NODES = {"RawInline", "RawBlock", "Math", "Link", "Image", "Cite", "Note", "Header",
                "OrderedList", "Table", "CodeBlock"}


def _nodes(node, found):
    """Every AST node type below `node` (pandoc JSON), with the Code spans' texts."""
    if isinstance(node, dict):
        if "t" in node:
            found.append((node["t"], node["c"][1] if node["t"] == "Code" else None))
        for value in node.values():
            _nodes(value, found)
    elif isinstance(node, list):
        for value in node:
            _nodes(value, found)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_from_an_old_ledger_stays_plain_text(text):
    """Texts an old ledger may hold legitimately (any printable text) reach the page as text:
    pandoc parses the Markdown into plain strings only, so its HTML and Typst writers escape
    them - one escaping for all three formats."""
    old = [dict(number("a", text, 1, unit=text, chapter=text, sentence=text + " and more."),
                **OLD_EDITION),
           dict(branch("b", text, text), **OLD_EDITION)]
    new = [dict(number("a", "2", 2), **NEW_EDITION), dict(branch("b", "other", "Other."), **NEW_EDITION),
           dict(number("c", text, 3, sentence=text), **NEW_EDITION)]
    assert ledger_problems_of(old) == [] and ledger_problems_of(new) == []
    markdown = format_diff(diff_ledgers(old, new))
    ast = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    nodes = _nodes(ast["blocks"], [])
    assert {t for t, _ in nodes} & UNSAFE_NODES == set(), markdown
    assert {code for t, code in nodes if t == "Code"} <= {"a", "b", "c"}  # only ledger ids
    assert " ".join(text.split()) in stringify(ast["blocks"])
    typst = pypandoc.convert_text(markdown, "typst", format="markdown")
    assert not re.search(r"(?<!\\)#(read|eval|set)\b", typst), typst  # only as escaped \\#
    html = pypandoc.convert_text(markdown, "html", format="markdown")
    assert "<script" not in html and "<img" not in html and "href=" not in html


def ledger_problems_of(entries):
    from paradox.diff import ledger_problems

    return ledger_problems(entries)


@pytest.mark.parametrize("field, value, message", [
    ("id", "x` <script>alert(1)</script> `", "entry 1: id: expected letters, digits"),
    ("id", "", "entry 1: id: expected letters, digits"),
    ("id", "a" * 161, "entry 1: id: expected letters, digits"),
    ("edition_date", "<img src=https://example.org/x>", "entry 1: edition_date: expected a date such as 2026-11-30"),
    ("edition_commit", "`#read(\"/etc/passwd\")`", "entry 1: edition_commit: expected a git commit id"),
    ("edition_version", "1.0 <script>", "entry 1: edition_version: expected a version such as 0.1.0"),
    ("data_to", "2023<b>", "entry 1: data_to: expected a whole number"),
    ("value", "1e9", "entry 1: value: expected a finite number or null, got '1e9'"),
    ("value", float("nan"), "entry 1: value: expected a finite number or null"),
    ("sources", ["ok", "<script>"], "entry 1: sources: expected a list of source ids"),
    ("text", "a\x1b[31mred", "entry 1: text: expected text of at most 4000 characters without control characters"),
    ("sentence", "x" * 4001, "entry 1: sentence: expected text of at most 4000"),
    ("chapter", {"nested": 1}, "entry 1: chapter: expected text"),
])
def test_a_crafted_ledger_is_refused_with_what_was_expected(tmp_path, field, value, message):
    entries = [dict(number("a", "1", 1), **OLD_EDITION)]
    entries[0][field] = value
    (tmp_path / "claims.json").write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(DiffInputError, match=re.escape(message)):
        read_ledger(tmp_path)


def test_a_ledger_with_a_repeated_or_missing_id_is_refused(tmp_path):
    entries = [number("a", "1", 1), number("a", "2", 2), {k: v for k, v in number("b", "3", 3).items() if k != "id"}, 7]
    (tmp_path / "claims.json").write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(DiffInputError) as err:
        read_ledger(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'claims.json'}: not a valid claims ledger: entry 2: id 'a' appears twice; "
        "entry 3: id: expected letters, digits, '.', '_' or '-' (at most 160), got None; "
        "entry 4: expected an object, got int")


def test_ledgers_the_renderer_writes_are_valid(tmp_path):
    """Commits of a checkout with edits ('abc1234+dirty'), or outside git ('unknown')."""
    for commit in ("7692032+dirty", "unknown", "7692032"):
        entries = [dict(number("a", "1", 1), **dict(OLD_EDITION, edition_commit=commit))]
        (tmp_path / "claims.json").write_text(json.dumps(entries), encoding="utf-8")
        assert read_ledger(tmp_path) == entries


def test_the_same_problem_in_every_entry_is_one_line(tmp_path):
    entries = [dict(number(f"a{i}", "1", 1), edition_date="yesterday") for i in range(50)]
    (tmp_path / "claims.json").write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(DiffInputError) as err:
        read_ledger(tmp_path)
    assert str(err.value).endswith("not a valid claims ledger: entry 1 (and 49 more): edition_date: "
                                   "expected a date such as 2026-11-30, got 'yesterday'")
