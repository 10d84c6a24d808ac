"""Tables in the PDF: widths from content, identifiers narrow and breakable, no overlapping
text, headers repeated on every page of a long table, and the chapter's .compact / .landscape
requests - each through the real template and Lua filter, compiled by typst, read by poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc
import pytest
import typst

from renderer import pandoc
from renderer.pdf import TEMPLATE
from tests.e2e.pdf_layout import overlapping_words, runs, words

LONG_IDS = [("unodc_wdr2025_prevalence", "United Nations Office on Drugs and Crime",
             "mjreyes13/Data-Visualizacion-CAPP-30239@a7e53c8,1.2_Prevalence_of_drug_use.xlsx",
             "e1e79b37964b46cc" * 4),
            ("muggah_mcdermott_2013", "The Atlantic (published by the Atlantic Monthly Group)",
             "article.txt", "4d592d099451eca6" * 4)]


def pipe_table(rows, header=("Source id", "Publisher", "Taken from", "SHA-256"), cap="Sources.") -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n: {cap} {{#tbl-x}}\n"


def render(markdown: str, tmp_path: Path, name: str = "t") -> Path:
    """Markdown -> Typst (the renderer's reader, template and filter) -> PDF."""
    typ = subprocess.run([pypandoc.get_pandoc_path(), "-f", pandoc.READER, "-t", "typst", "--standalone",
                          f"--template={TEMPLATE}", "--lua-filter", str(pandoc.FILTERS / "book.lua"),
                          "-M", "title=Test", "-M", "toc=false"],
                         input=markdown, capture_output=True, text=True, check=True).stdout
    (tmp_path / f"{name}.typ").write_text(typ, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(typst.compile(str(tmp_path / f"{name}.typ")))
    return pdf


def test_identifier_table_sets_no_word_over_another(tmp_path):
    # the sources table of the book before issue 12 printed ids over the Publisher column
    pdf = render(pipe_table([list(r) for r in LONG_IDS]), tmp_path)
    found, _ = words(pdf)
    assert overlapping_words(found) == []
    text_runs, _ = runs(pdf)
    mono = "".join(r.text for r in text_runs if r.code).replace("\u200b", "")
    assert "unodc_wdr2025_prevalence" in mono and "muggah_mcdermott_2013" in mono  # ids in monospace
    assert "United Nations" not in mono  # prose stays in the text face


def test_typst_table_gets_measured_widths_and_identifier_cells(tmp_path):
    pdf = render(pipe_table([list(r) for r in LONG_IDS]), tmp_path)
    typ = (tmp_path / "t.typ").read_text(encoding="utf-8")
    assert 'renderer-fit.with(kinds: ("id", "text", "id", "id",))' in typ
    assert "columns: 4," in typ  # no preset percentages: the template measures
    assert '#renderer-id("unodc_wdr2025_prevalence")' in typ
    assert pdf.stat().st_size > 0


def test_numbers_column_is_classified_and_prose_is_not_hyphenated(tmp_path):
    prose = ("Reconciled yearly death records for Peru (death certificates, police, prosecutors) "
             "with the definitions behind the published counts, broken down for the coca valleys.")
    rows = [(f"{2000 + i}", f"{1000 * i:,}", "3.5\u201325.6", prose) for i in range(1, 4)]
    pdf = render(pipe_table(rows, header=("Year", "Hectares", "Range", "What would settle it")), tmp_path)
    typ = (tmp_path / "t.typ").read_text(encoding="utf-8")
    assert 'kinds: ("num", "num", "num", "text",)' in typ
    found, _ = words(pdf)
    assert not [w.text for w in found if w.text.endswith(("-", "\u00ad"))]  # no hyphenation in cells


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    rows = [(f"row{i:03d}_id", f"Publisher number {i}", "x.csv", "ab" * 8) for i in range(120)]
    pdf = render(pipe_table(rows), tmp_path)
    found, sizes = words(pdf)
    assert len(sizes) >= 4  # the title page, then the table over three pages or more
    pages_with_header = {w.page for w in found if w.text == "Publisher" and w.y0 < 150}
    assert pages_with_header == set(range(2, len(sizes) + 1))


def test_compact_div_sets_its_tables_smaller(tmp_path):
    table = pipe_table([("a_b", "Short text here", "x.csv", "ab" * 8)], header=("Id", "Text", "File", "Hash"))
    plain = render(table, tmp_path, "plain")
    compact = render("::: {.compact}\n" + table + ":::\n", tmp_path, "compact")

    def size_of(pdf, word):
        return next(w.y1 - w.y0 for w in words(pdf)[0] if w.text == word)

    assert size_of(compact, "Short") < 0.9 * size_of(plain, "Short")


def test_landscape_div_gets_landscape_pages(tmp_path):
    table = pipe_table([list(r) for r in LONG_IDS])
    pdf = render("Before.\n\n::: {.landscape}\n" + table + ":::\n\nAfter.\n", tmp_path)
    _, sizes = words(pdf)
    assert [w > h for w, h in sizes[1:]] == [False, True, False]  # after the title page


@pytest.mark.parametrize("kind", ["num", "id", "text"])
def test_a_one_column_table_of_each_kind_compiles(tmp_path, kind):
    cell = {"num": "1,234", "id": "a_very_long_identifier_without_spaces_" * 3, "text": "plain words"}[kind]
    pdf = render(pipe_table([(cell,)], header=("Only",)), tmp_path)
    found, _ = words(pdf)
    assert overlapping_words(found) == [] and found


@pytest.mark.slow
def test_a_chapter_asks_for_a_landscape_table_with_a_div(book_copy):
    """The documented request (renderer/README.md) through the whole renderer: a div around
    the code cell that makes the table puts that table on a landscape page."""
    from renderer import render_book

    chapter = book_copy / "chapters" / "method.qmd"
    source = chapter.read_text(encoding="utf-8")
    cell = source[source.index("```{python}\n#| label: tbl-sources"):]
    cell = cell[:cell.index("```\n", 4) + 4]
    chapter.write_text(source.replace(cell, "::: {.landscape}\n" + cell + ":::\n"), encoding="utf-8")
    result = render_book(book_copy, book_copy / "_book", formats=("pdf",))
    found, sizes = words(result.pdf)
    caption_pages = {w.page for i, w in enumerate(found[:-1]) if w.text == "Table" and found[i + 1].text == "A.1:"}
    assert caption_pages and all(sizes[p - 1][0] > sizes[p - 1][1] for p in caption_pages)
    assert sum(w > h for w, h in sizes) == len(caption_pages)  # only the table's page turns
