"""The book's sources obey the rules of the report (issue 5, STYLE.md "Chapters").

- No statistic typed into prose: digits in the prose of a chapter (outside code cells, inline
  `{python}` expressions, code spans, citation keys, cross-reference labels and heading ids)
  fail unless they match the small, explained allow-list below.
- Inline expressions are names (`r.peru_rate_latest`), never arithmetic or f-strings, so every
  number goes through the one formatter in analysis/estimate.py.
- Chapter cells are "a call and a format": short, no numeric literals, only `analysis` imports.
- Every figure has a caption that names its source, alt text that differs from the caption,
  and calls a figure function of its chapter's module; every table has a caption with a source.
- Every @fig-/@tbl-/@sec- reference resolves to a label; every [@key] is in references.bib;
  references.bib and data/sources.csv name the same sources; _quarto.yml lists every chapter.

The parser here is deliberately independent of renderer/: it checks the sources as Quarto
would read them, whatever our own renderer does. Cell options are read by the one analysis-side
rule (analysis/report/captions.py), which tests/test_captions.py holds to the renderer's.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from analysis.report import book
from analysis.report.captions import CITATION_GROUP, div_caption, split_options

ROOT = Path(__file__).resolve().parent.parent

# Digits allowed in prose, each with its reason. Keep this list small: a statistic never
# belongs here.
ALLOWED_DIGITS = {
    r"SHA-256": "the name of the checksum algorithm",
    r"per 100,000\b": "the unit of a homicide rate",
}

FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{?[\w-]*\}?)")
INLINE_EXPR = re.compile(r"`\{python\}\s+(?P<expr>[^`]+?)`")
CODE_SPAN = re.compile(r"`[^`\n]+`")
CITE_KEY = re.compile(r"(?<![\w.])@(?P<key>[A-Za-z_][\w:.-]*[\w])")
XREF = re.compile(r"(?<![\w.])@(?P<label>(?:fig|tbl|sec)-[\w-]*[\w])")
XREF_DIV = re.compile(r"^:{3,}\s*\{#(?P<label>(fig|tbl)-[\w-]+)[^}]*\}\s*$")
HEADING_ID = re.compile(r"\{#(?P<label>sec-[\w-]+)[^}]*\}")
HEADING_ATTRS = re.compile(r"\{[#.][^}]*\}")
URL = re.compile(r"https?://\S+")
SIMPLE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


@dataclass
class CodeCell:
    """A python cell: its `#|` options, its code, and the file line of its fence."""

    options: dict
    code: str
    line: int


@dataclass
class Chapter:
    """One .qmd: prose lines (with their file line numbers), code cells, inline expressions."""

    path: Path
    prose: list[tuple[int, str]] = field(default_factory=list)
    cells: list[CodeCell] = field(default_factory=list)
    inline: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return str(self.path.relative_to(ROOT))

    def labels(self) -> set[str]:
        """Every cross-reference target this chapter defines (cell labels, heading ids, and the
        ids of Quarto's cross-reference divs: `::: {#tbl-x}`)."""
        found = {str(c.options["label"]) for c in self.cells if "label" in c.options}
        for _, line in self.prose:
            found |= {m.group("label") for m in HEADING_ID.finditer(line)}
            found |= {m.group("label") for m in XREF_DIV.finditer(line)}
        return found

    def text_for_refs(self) -> list[tuple[int, str]]:
        """Prose lines plus captions (which may cite and cross-reference too)."""
        extra = [(c.line, str(c.options.get(k, ""))) for c in self.cells
                 for k in ("fig-cap", "fig-alt", "tbl-cap")]
        return self.prose + extra


def parse(path: Path) -> Chapter:
    """Split a .qmd into prose lines and python cells (front matter is neither)."""
    chapter = Chapter(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    if lines and lines[0].strip() == "---":
        i = next(j for j in range(1, len(lines)) if lines[j].strip() == "---") + 1
    divs: list[tuple[str | None, int]] = []  # open fenced divs: (figure id or None, line index)
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            ticks = fence.group(1)
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == ticks)
            body = lines[i + 1:end]
            if fence.group(2) == "{python}":
                opts, code = split_options(body)
                fig = next(((d, k) for d, k in reversed(divs) if d and d.startswith("fig-")), None)
                if fig and "label" not in opts:
                    # Quarto's figure div: the cell inside takes the div's id, its caption is the
                    # div's last paragraph (a caption whose finding is computed inline)
                    opts = {**opts, "label": fig[0], "fig-cap": div_caption(lines[fig[1] + 1:])}
                chapter.cells.append(CodeCell(opts, "\n".join(code), i + 1))
            i = end + 1
            continue
        if re.match(r"^:{3,}", lines[i]):
            if lines[i].strip(": ") == "":
                if divs:
                    divs.pop()
            else:
                match = XREF_DIV.match(lines[i])
                divs.append((match.group("label") if match else None, i))
        chapter.prose.append((i + 1, lines[i]))
        for m in INLINE_EXPR.finditer(lines[i]):
            chapter.inline.append((i + 1, m.group("expr").strip()))
        i += 1
    return chapter


def book_files() -> tuple[list[str], list[str]]:
    """(chapters, appendices) as listed in _quarto.yml."""
    book = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    return list(book.get("chapters") or []), list(book.get("appendices") or [])


def all_chapters() -> list[Chapter]:
    chapters, appendices = book_files()
    return [parse(ROOT / rel) for rel in chapters + appendices]


CHAPTERS = all_chapters()
IDS = [c.rel for c in CHAPTERS]


def strip_non_prose(line: str) -> str:
    """A prose line without the parts that may legitimately hold digits."""
    line = INLINE_EXPR.sub(" ", line)
    line = CITATION_GROUP.sub(" ", line)
    line = CITE_KEY.sub(" ", line)  # keys of citation groups that wrap across lines, xrefs
    line = HEADING_ATTRS.sub(" ", line)
    line = URL.sub(" ", line)
    line = CODE_SPAN.sub(lambda m: m.group(0) if re.fullmatch(r"`[\d.,%\s]+`", m.group(0)) else " ", line)
    for pattern in ALLOWED_DIGITS:
        line = re.sub(pattern, " ", line)
    return line


def digits_in(text: str) -> list[str]:
    """The runs of text around each digit, for a readable failure message."""
    return [text[max(0, m.start() - 25):m.end() + 25] for m in re.finditer(r"\d+", text)]


def test_the_parser_sees_prose_cells_and_inline_expressions():
    # index.qmd has a setup cell and inline expressions; a chapter has figures and prose.
    index = next(c for c in CHAPTERS if c.rel == "index.qmd")
    assert index.cells and index.inline and index.prose
    assert sum(len(c.cells) for c in CHAPTERS) > 20


def test_the_digit_scan_catches_a_typed_number_and_spares_what_it_should():
    # A typed statistic is caught; the same number inside an inline expression, a citation,
    # a cross-reference label or a heading id is not.
    assert digits_in(strip_non_prose("Peru had 49,800 hectares")) != []
    assert digits_in(strip_non_prose("Peru had 49.8 per cent")) != []
    clean = ("Peru had `{python} r.area_2013` [@unodc_wdr2025_coca; @wdi_homicide] "
             "(@fig-coca-area) ## Heading {#sec-x2} see https://example.org/2013 and SHA-256")
    assert digits_in(strip_non_prose(clean)) == []
    assert digits_in(strip_non_prose("a code span holding a number: `2013`")) != []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_digit_in_prose_or_captions(chapter):
    bad = []
    for lineno, line in chapter.prose:
        bad += [f"{chapter.rel}:{lineno}: ...{hit}..." for hit in digits_in(strip_non_prose(line))]
    for cell in chapter.cells:
        for key in ("fig-cap", "fig-alt", "tbl-cap"):
            text = strip_non_prose(str(cell.options.get(key, "")))
            bad += [f"{chapter.rel}:{cell.line}: {key}: ...{hit}..." for hit in digits_in(text)]
    assert not bad, "digits typed into prose (use an inline expression of a named value):\n" + "\n".join(bad)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_inline_expressions_are_named_values(chapter):
    # `r.name` only: arithmetic, calls, f-strings or format specs would bypass the formatter.
    bad = [f"{chapter.rel}:{n}: {expr}" for n, expr in chapter.inline if not SIMPLE_NAME.match(expr)]
    assert not bad, "inline expressions must be a named value:\n" + "\n".join(bad)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_cells_are_a_call_and_a_format(chapter):
    for cell in chapter.cells:
        code = [l for l in cell.code.splitlines() if l.strip() and not l.strip().startswith("#")]
        where = f"{chapter.rel}:{cell.line}"
        assert len(code) <= 4, f"{where}: a chapter cell is a call and a format ({len(code)} lines)"
        tree = ast.parse(cell.code)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module == "analysis" or module.startswith("analysis."), f"{where}: imports {module}"
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                    and not isinstance(node.value, bool):
                raise AssertionError(f"{where}: numeric literal {node.value!r} in a chapter cell")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_cells_hide_their_code(chapter):
    # echo is false for the whole book (_quarto.yml); no cell may turn it back on.
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["execute"]["echo"] is False
    assert all(c.options.get("echo", False) is False for c in chapter.cells)


def figure_cells():
    return [(ch, c) for ch in CHAPTERS for c in ch.cells
            if str(c.options.get("label", "")).startswith("fig-")]


def table_cells():
    return [(ch, c) for ch in CHAPTERS for c in ch.cells
            if str(c.options.get("label", "")).startswith("tbl-")]


def test_at_least_eight_figures_and_three_tables():
    assert len(figure_cells()) >= 8
    assert len(table_cells()) >= 3


@pytest.mark.parametrize("chapter,cell", figure_cells(), ids=lambda x: getattr(x, "options", {}).get("label", ""))
def test_every_figure_has_caption_alt_text_and_source(chapter, cell):
    label = cell.options["label"]
    cap, alt = cell.options.get("fig-cap"), cell.options.get("fig-alt")
    assert cap and alt, f"{label}: needs fig-cap and fig-alt"
    assert alt.strip() != cap.strip(), f"{label}: fig-alt must describe the chart, not repeat the caption"
    assert len(alt.split()) >= 25, f"{label}: fig-alt should describe the chart for a reader who cannot see it"
    # The source line is printed once, under the chart (tests/test_figures.py); the caption
    # states the finding and cites the sources, without repeating that line or instructing.
    assert "Source:" not in cap, f"{label}: the chart prints its source line; the caption repeats it"
    assert CITATION_GROUP.search(cap), f"{label}: the caption must cite its sources ([@key])"
    first = cap.split(". ")[0].split()[0]
    assert first not in {"Compare", "Find", "Follow", "Read", "Look", "See", "Note"}, \
        f"{label}: the caption should state the finding, not give an instruction ({first!r})"
    # The cell calls one figure function, named for the figure.
    call = ast.parse(cell.code).body[-1]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call), f"{label}: last line must be a figure call"
    func = call.value.func
    module = book.CHAPTERS[chapter.path.stem]
    assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id == module.__name__.rsplit(".", 1)[-1] \
        and getattr(module, func.attr, None) in module.FIGURES, \
        f"{label}: the figure must come from its chapter's module, {module.__name__}"


def test_every_figure_function_appears_in_the_book_once():
    used = [ast.parse(c.code).body[-1].value.func.attr for _, c in figure_cells()]
    assert sorted(used) == sorted(set(used)), "a figure function is used twice"
    assert set(used) == set(book.FIGURES), "book.FIGURES and the book's figure cells differ"


@pytest.mark.parametrize("chapter,cell", table_cells(), ids=lambda x: getattr(x, "options", {}).get("label", ""))
def test_every_table_has_a_caption_with_a_source(chapter, cell):
    cap = cell.options.get("tbl-cap")
    assert cap, f"{cell.options['label']}: needs tbl-cap"
    assert "Source" in cap or "versions" in cap or "vintage" in cap.lower(), \
        f"{cell.options['label']}: the caption should say where the table comes from"


def test_every_cross_reference_resolves():
    labels = set().union(*(c.labels() for c in CHAPTERS))
    missing = []
    for chapter in CHAPTERS:
        for lineno, line in chapter.text_for_refs():
            for m in XREF.finditer(line):
                if m.group("label") not in labels:
                    missing.append(f"{chapter.rel}:{lineno}: @{m.group('label')}")
    assert not missing, "cross-references without a target:\n" + "\n".join(missing)


def test_labels_are_unique_across_the_book():
    seen: dict[str, str] = {}
    for chapter in CHAPTERS:
        for label in chapter.labels():
            assert label not in seen, f"label {label} in {chapter.rel} and {seen[label]}"
            seen[label] = chapter.rel


def test_every_figure_and_table_is_referenced_in_the_text():
    # A figure the text never points to is a figure the reader may skip; refer to each.
    refs = set()
    for chapter in CHAPTERS:
        for _, line in chapter.prose:
            refs |= {m.group("label") for m in XREF.finditer(line)}
    unreferenced = [c.options["label"] for _, c in figure_cells() + table_cells()
                    if c.options["label"] not in refs]
    assert not unreferenced, f"figures/tables never referenced in prose: {unreferenced}"


def bib_keys() -> set[str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M))


def test_every_citation_is_in_references_bib():
    keys = bib_keys()
    missing = []
    for chapter in CHAPTERS:
        for lineno, line in chapter.text_for_refs():
            for group in CITATION_GROUP.findall(line):
                for m in CITE_KEY.finditer(group):
                    key = m.group("key")
                    if not key.startswith(("fig-", "tbl-", "sec-")) and key not in keys:
                        missing.append(f"{chapter.rel}:{lineno}: @{key}")
    assert not missing, "citations missing from references.bib:\n" + "\n".join(missing)


def test_references_bib_and_sources_csv_name_the_same_sources():
    from analysis.data import load

    sources = set(load("sources")["source_id"])
    keys = bib_keys()
    assert sources - keys == set(), f"sources without a bib entry: {sorted(sources - keys)}"
    assert keys - sources == set(), f"bib entries that are not sources: {sorted(keys - sources)}"


def test_every_source_is_cited_somewhere_in_the_book():
    cited = set()
    for chapter in CHAPTERS:
        for _, line in chapter.text_for_refs():
            for group in CITATION_GROUP.findall(line):
                cited |= {m.group("key") for m in CITE_KEY.finditer(group)}
    uncited = bib_keys() - cited
    assert not uncited, f"never cited: {sorted(uncited)}"


def test_quarto_yml_lists_every_chapter_file():
    chapters, appendices = book_files()
    listed = chapters + appendices
    assert listed[0] == "index.qmd"
    assert len(listed) == len(set(listed))
    on_disk = {"index.qmd"} | {str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("**/*.qmd")}
    assert set(listed) == on_disk, f"_quarto.yml and chapters/ differ: {set(listed) ^ on_disk}"


def test_quarto_yml_is_a_valid_quarto_book_config():
    # The keys Quarto >= 1.4 needs for a book with HTML and Typst output.
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "book"
    for key in ("title", "subtitle", "author", "date", "chapters", "appendices"):
        assert config["book"].get(key), f"book.{key} missing"
    assert config["bibliography"] == "references.bib"
    assert set(config["format"]) == {"html", "typst"}


def test_the_six_chapters_follow_the_article():
    # Order of the article: paradox, markets, criminal economy, counting, explanations, outlook.
    chapters, _ = book_files()
    ids = [sorted(parse(ROOT / rel).labels() & {"sec-paradox", "sec-markets", "sec-criminal-economy",
                                                 "sec-counting", "sec-explanations", "sec-outlook"})
           for rel in chapters[1:]]
    assert ids == [["sec-paradox"], ["sec-markets"], ["sec-criminal-economy"], ["sec-counting"],
                   ["sec-explanations"], ["sec-outlook"]]


def test_title_page_and_citation_name_the_report_alike():
    # CITATION.cff's title is "<book title>: <subtitle>"; its author is the book's author.
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    squash = lambda text: " ".join(str(text).split())  # noqa: E731
    assert squash(f"{config['title']}: {config['subtitle']}") == squash(cff["title"])
    assert config["author"] == cff["authors"][0]["name"]
