"""The rendered PDF of the test book, read back with pdftotext/pdffonts/pdftoppm."""

from __future__ import annotations

import re
import subprocess

import pytest

pytestmark = pytest.mark.slow


def flat(text: str) -> str:
    return " ".join(text.split())


def test_title_page_and_table_of_contents(pdf_text):
    first = pdf_text.split("\f")[0]
    assert "Tiny Test Book" in first and "Every supported feature, once" in first
    assert "Ada Tester" in first and "Bo Checker" in first and "2024-05-01" in first
    toc = flat(pdf_text.split("\f")[1])
    assert toc.startswith("Contents")
    for entry in ("Welcome", "1 Growth at two sites", "1.1 Measurements", "2 Context", "2.1 A closer look",
                  "A Method", "A.1 Sources", "References"):
        assert entry in toc


def test_chapters_sections_and_captions_are_numbered_like_the_html(pdf_text):
    text = flat(pdf_text)
    for expected in ("1 Growth at two sites", "1.1 Measurements", "2 Context", "A Method", "A.1 Sources",
                     "Figure 1.1: Height by year at each site (Tufte 1990).",
                     "Table 1.1: Mean, smallest and largest height by site.",
                     "Table A.1: Where the measurements come from."):
        assert expected in text


def test_cross_references_read_like_the_html(pdf_text):
    text = flat(pdf_text)
    assert "(Figure 1.1, Table 1.1). The method is in Appendix A and the wider context in Chapter 2." in text
    assert "Growth, as Figure 1.1 in Chapter 1 shows" in text
    assert "the sources are listed in Table A.1" in text


def test_citations_and_bibliography(pdf_text):
    text = flat(pdf_text)
    assert "follows Knuth (1984) in spirit (see Tufte 1990, 3)" in text
    refs = text[text.rindex("References"):]
    assert "Knuth, Donald E. 1984. The TeXbook." in refs and "Envisioning Information" in refs
    assert "Never Cited" not in refs


def test_chart_is_vector_svg_not_code(rendered, pdf_text):
    _, out, _ = rendered
    assert "alt.Chart" not in pdf_text
    assert "Height (cm)" in pdf_text  # the axis title: text drawn from the SVG, so vector
    svg = (out / "figures" / "fig-growth.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "<path" in svg
    images = subprocess.run(["pdfimages", "-list", str(rendered[2].pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in images.strip().splitlines()[2:]]
    # the only raster image is the appendix's 40x30 PNG; the chart is not rasterised
    assert [(r[3], r[4]) for r in rows] == [("40", "30")]


def test_claims_and_inline_values_appear_as_plain_text(rendered, pdf_text):
    text = flat(pdf_text)
    for claim in rendered[2].claims:
        assert claim["text"] in text
    # literal (no markup), set with typographic quotes as every text of the PDF is
    assert "Its motto is It\u2019s \u201cplain\u201d text" in text


def test_pages_are_numbered_and_fonts_embedded(rendered, pdf_text):
    pages = pdf_text.split("\f")
    numbers = [p.strip().splitlines()[-1].strip() for p in pages[2:] if p.strip()]
    assert numbers[:3] == ["1", "2", "3"]
    fonts = subprocess.run(["pdffonts", str(rendered[2].pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(re.split(r"\s+", r)[-5] == "yes" for r in rows)  # the "emb" column


def test_no_page_is_blank(rendered, tmp_path):
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(rendered[2].pdf), str(tmp_path / "p")], check=True)
    for page in sorted(tmp_path.glob("p-*.pgm")):
        data = page.read_bytes()
        pixels = data[data.index(b"255\n") + 4:]
        assert min(pixels) < 128, f"{page.name} looks blank"


def test_markdown_image_figure_in_the_appendix(pdf_text):
    text = flat(pdf_text)
    assert "Figure A.1: A sketch of the two sites." in text
    assert "Figure A.1 is an image file beside this chapter." in text


def test_missing_markdown_image_is_an_error_naming_the_chapter(book_copy):
    from renderer import RenderError, render_book

    (book_copy / "chapters" / "figs" / "site-map.png").unlink()
    with pytest.raises(RenderError, match=r"chapters/method.qmd: image figs/site-map.png not found"):
        render_book(book_copy, book_copy / "_book", formats=("html",))
