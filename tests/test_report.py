"""analysis/report/: the named values each chapter shows, one module per chapter.

The bundles are thin (the statistics are tested in the argument modules they come from); what
is tested here is the contract with the chapters: each chapter imports only its own module,
every value a chapter names exists, every value is an Estimate, a data-chosen Branch or a
Table, tables render as Markdown, and the pickers (year lists, branches) have known answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, strategies as st, settings

from analysis.estimate import Branch, Estimate
from analysis.report import book, captions, citation, index, outlook, paradox, values
from analysis.report.markdown import Markdown, Table, register_markdown_formatters

ROOT = Path(__file__).resolve().parent.parent
SETUP = re.compile(r"^from analysis\.report import (?P<module>\w+)\n\nr = (?P=module)\.bundle\(\)$", re.M)
ANALYSIS_IMPORT = re.compile(r"^\s*(?:from|import)\s+analysis\b.*$", re.M)
INLINE = re.compile(r"`\{python\}\s+r\.(?P<name>\w+)\s*`")
CELL_VALUE = re.compile(r"^r\.(?P<name>\w+)$", re.M)


@pytest.fixture(scope="module")
def bundles(book_bundles):
    """Every chapter's bundle from the repository's data (built once per session, conftest)."""
    return book_bundles


def book_files():
    files = [ROOT / "index.qmd", *sorted((ROOT / "chapters").glob("*.qmd"))]
    return [(p, p.read_text(encoding="utf-8")) for p in files]


@pytest.mark.parametrize("path,text", book_files(), ids=lambda x: getattr(x, "name", ""))
def test_every_name_a_chapter_uses_exists_in_its_bundle(path, text, bundles):
    setup = SETUP.search(text)
    assert setup, f"{path.name}: no `from analysis.report import <module>` / `r = <module>.bundle()` setup cell"
    stem = "index.qmd" if path.name == "index.qmd" else path.stem
    module = book.CHAPTERS[stem].__name__.rsplit(".", 1)[-1]
    assert setup.group("module") == module, f"{path.name}: its module is analysis/report/{module}.py"
    names = set(INLINE.findall(text)) | set(CELL_VALUE.findall(text))
    missing = sorted(names - set(bundles[stem].names()))
    assert not missing, f"{path.name}: names not in {module}.bundle(): {missing}"


@pytest.mark.parametrize("path,text", book_files(), ids=lambda x: getattr(x, "name", ""))
def test_a_chapter_imports_only_its_own_module(path, text):
    # One chapter, one module: the trail from a chapter to its code has one step, and the
    # renderer's cache re-executes a chapter only when its own module (or what it uses) changes.
    stem = "index.qmd" if path.name == "index.qmd" else path.stem
    module = book.CHAPTERS[stem].__name__.rsplit(".", 1)[-1]
    assert ANALYSIS_IMPORT.findall(text) == [f"from analysis.report import {module}"]


def test_every_chapter_file_has_its_module_named_like_it():
    # chapters/02-markets.qmd <-> analysis/report/markets.py; a1-data-methods <-> data_methods
    stems = {p.stem for p in (ROOT / "chapters").glob("*.qmd")} | {"index.qmd"}
    assert set(book.CHAPTERS) == stems
    for stem, module in book.CHAPTERS.items():
        name = stem.removesuffix(".qmd").split("-", 1)[-1].replace("-", "_")
        assert module.__name__ == f"analysis.report.{name}", stem


@pytest.mark.parametrize("stem", sorted(book.BUNDLES))
def test_bundle_values_are_estimates_branches_or_tables(stem, bundles):
    for name in bundles[stem].names():
        value = getattr(bundles[stem], name)
        assert isinstance(value, (Estimate, Branch, Table, Markdown)), \
            f"{stem}.{name} is {type(value).__name__}"
        if isinstance(value, (Estimate, Branch)):
            # Everything shown inline is recorded by the renderer's claims ledger.
            claim = value._repr_claim_()
            assert claim["text"] == str(value) and claim["kind"] in ("number", "branch")


@pytest.mark.parametrize("stem", sorted(book.BUNDLES))
def test_tables_have_rows_and_no_missing_headers(stem, bundles):
    for name in bundles[stem].names():
        value = getattr(bundles[stem], name)
        if isinstance(value, Table):
            assert len(value) > 0, f"{stem}.{name} is empty"
            assert all(isinstance(c, str) and c for c in value.columns)
            md = value.to_markdown().splitlines()
            assert len(md) == len(value) + 2


def test_numbers_in_the_bundles_carry_their_sources(bundles):
    # A number with no source cannot be cited; counts of years or tables are exempt when
    # they describe the book itself (the appendix bundles).
    sourced = ("index.qmd", "01-paradox", "02-markets", "03-criminal-economy", "04-counting-the-dead",
               "05-explanations", "06-outlook")
    unsourced = [f"{stem}.{name}" for stem in sourced for name in bundles[stem].names()
                 if isinstance(v := getattr(bundles[stem], name), Estimate) and not v.sources]
    assert not unsourced, unsourced


def test_year_values_print_plainly():
    # 2013 is a label, not a quantity: no thousands separator, and the ledger text agrees.
    year = values.as_year(2013, ("muggah_mcdermott_2013",))
    assert str(year) == "2013"
    assert year._repr_claim_()["text"] == "2013"
    assert year._repr_claim_()["sources"] == ["muggah_mcdermott_2013"]


def test_year_lists_and_ranges():
    assert values.year_ranges([2011, 2012, 2013, 2015]) == "2011-2013 and 2015"
    assert values.year_ranges([2012]) == "2012"
    assert values.year_ranges([]) == ""
    b = values.year_list([2012, 2013], ["unodc_wdr2025_coca"], "peru_largest")
    assert str(b) == "2012 and 2013" and b.branch == "peru_largest:2012,2013"
    assert str(values.year_list([], [], "x")) == "no year at all"


def test_multiway_branch_takes_the_first_true_option_and_needs_a_fallback():
    b = values.branch([(False, "a", "la"), (True, "b", "lb"), (True, "c", "lc")], ["s"])
    assert (str(b), b.branch, b.sources) == ("b", "lb", ("s",))
    with pytest.raises(ValueError, match="fallback"):
        values.branch([(False, "a", "la")])


def test_known_answers_from_the_unodc_table(bundles):
    # UNODC WDR 2025 annex, headline (net) areas: 2012 Peru 60,400 > Colombia 48,000;
    # 2013 Peru 49,800 > Colombia 48,000; 2011 Peru 62,500 < Colombia 64,000 -> 2012 and 2013.
    r = bundles["01-paradox"]
    assert str(r.peru_largest_years) == "2012 and 2013"
    assert str(r.peru_area_article_year) == "49,800 hectares"
    assert r.leader_article_year_sentence.branch == "peru_leads"
    # The satellite-interpreted 2011 figure (64,400 > 64,000) flips 2011.
    assert r.sensitivity_sentence.branch == "definition_matters" and "2011" in str(r.sensitivity_sentence)


def test_known_answers_for_the_two_counts(bundles):
    # 10,000 / 29.55 million people (Peru 2012) x 100,000 = 33.8; 3,000 -> 10.2.
    r = bundles["04-counting-the-dead"]
    assert str(r.ministry_rate) == "33.8 per 100,000 (2012)"
    assert str(r.police_rate) == "10.2 per 100,000 (2012)"
    # UNODC GSH police counts: 1,526 (2004) -> 3,057 (2005) = 2.0 times, the largest jump.
    assert (str(r.gsh_jump_before), str(r.gsh_jump_after)) == ("1,526 homicides", "3,057 homicides")
    assert str(r.gsh_jump_year_after) == "2005" and str(r.gsh_jump_ratio) == "2.0 times"


def test_table_markdown_escapes_and_aligns():
    t = Table(pd.DataFrame({"Name": ["a|b", "$5-7 billion"], "Rows": ["1,260", "45%"]}))
    lines = t.to_markdown().splitlines()
    assert lines[0] == "| Name | Rows |"
    assert lines[1] == "|:---|---:|"
    assert lines[2] == "| a\\|b | 1,260 |"
    assert lines[3] == "| \\$5-7 billion | 45% |"


@settings(deadline=None)  # builds DataFrames: wall time varies on a loaded machine
@given(st.lists(st.text(alphabet="ab|$*_[]`\\ 12", max_size=12), min_size=1, max_size=5))
def test_table_cells_never_break_the_pipe_table(cells):
    # Whatever a cell holds, each row has exactly as many unescaped pipes as the header.
    t = Table(pd.DataFrame({"A": cells, "B": cells}))
    for line in t.to_markdown().splitlines():
        unescaped = re.sub(r"\\.", "", line)
        assert unescaped.count("|") == 3


def test_bundles_read_the_data_folder_they_are_given(tmp_path, monkeypatch):
    # PARADOX_DATA is how `paradox render --data DIR` reaches a chapter; a folder whose coca
    # table stops in 2013 moves the "latest year" with it.
    import shutil

    cut = tmp_path / "data"
    shutil.copytree(ROOT / "data", cut)
    coca = pd.read_csv(cut / "coca_cultivation.csv", dtype=str, keep_default_na=False)
    coca.loc[coca["year"].astype(int) <= 2013].to_csv(cut / "coca_cultivation.csv", index=False)
    monkeypatch.setenv("PARADOX_DATA", str(cut))
    r = paradox.bundle()
    assert str(r.latest_year) == "2013"
    assert r.leader_latest_sentence.branch == "peru_leads"
    assert r.claim_status_sentence.branch == "claim_holds"


def test_estimates_display_as_markdown_in_a_kernel_for_quarto():
    # Quarto reads an inline value's text/markdown representation; register it on a shell.
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert register_markdown_formatters(shell)
    data, _ = shell.display_formatter.format(Estimate(None, 5e9, 7e9, unit="USD"))
    assert data["text/markdown"] == "\\$5\u20137 billion"
    data, _ = shell.display_formatter.format(Branch("Peru grew more coca.", "peru_leads"))
    assert data["text/markdown"] == "Peru grew more coca."
    assert "text/markdown" in shell.display_formatter.format(Table(pd.DataFrame({"a": ["1"]})))[0]


def test_every_source_id_a_value_names_is_a_known_source(bundles):
    # The claims ledger links each number to its sources; an unknown id is a dead link.
    from analysis.data import load

    known = set(load("sources")["source_id"])
    bad = {f"{stem}.{name}": sorted(set(v.sources) - known)
           for stem, b in bundles.items() for name in b.names()
           if isinstance(v := getattr(b, name), (Estimate, Branch)) and set(v.sources) - known}
    assert not bad, bad


@pytest.mark.parametrize("change,later,label", [
    (0.0, False, "no_later_data"),     # the data end in the article's year
    (80.0, True, "escalated"),         # +80% >= +50%
    (27.0, True, "rose_modestly"),     # 6.8 -> 8.6 per 100,000 is +26.5%: a rise, not +50%
    (5.0, True, "flat"),               # within +-10%
    (-30.0, True, "fell"),
])
def test_every_escalation_branch(change, later, label):
    assert outlook.escalation_sentence(change, later_data=later).branch == label


@pytest.mark.parametrize("coca,violence_pct,later,label", [
    (86.0, 27.0, True, "coca_grew_faster_than_violence"),  # 49,800 -> 92,800 ha = +86%
    (40.0, 30.0, True, "coca_and_violence_grew"),
    (10.0, 0.0, True, "coca_flat"),
    (-40.0, 0.0, True, "coca_fell"),
    (0.0, 0.0, False, "no_later_coca"),
])
def test_every_coca_growth_branch(coca, violence_pct, later, label):
    assert outlook.coca_growth_sentence(coca, violence_pct, later_data=later).branch == label


def test_how_to_cite_quotes_a_real_figure_caption_and_the_index_number(bundles):
    # the example number is the index page's homicide rate, under the fixed ledger id the
    # renderer takes from the claim dict; the example figure's caption is chapter 1's fig-cap
    md = bundles["a3-cite"].how_to_cite
    rate = bundles["index.qmd"].peru_rate_latest
    assert rate._repr_claim_()["id"] == citation.EXAMPLE_CLAIM_ID
    assert f"\u201c{rate}\u201d" in md and f"`{citation.EXAMPLE_CLAIM_ID}`" in md
    caption = captions.figure_caption(citation.EXAMPLE_FIGURE_ID)
    assert caption and "figures/fig-coca-area.zip" in md
    with pytest.raises(KeyError, match="fig-nowhere"):
        captions.figure_caption("fig-nowhere")


def test_what_changed_is_shown_only_when_the_render_gives_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("PARADOX_CHANGES_FILE", raising=False)
    assert index.changes().what_changed is None
    changes = tmp_path / "changes.md"
    changes.write_text("1 number changed.\n", encoding="utf-8")
    monkeypatch.setenv("PARADOX_CHANGES_FILE", str(changes))
    shown = index.changes().what_changed
    assert shown.startswith("## What changed in this edition\n")
    assert shown._repr_markdown_().endswith("1 number changed.\n")
