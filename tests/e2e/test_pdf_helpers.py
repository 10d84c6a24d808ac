"""The PDF helpers, on PDFs made here: each check is shown to pass and to fail.

Marked slow with the rest of tests/e2e: they need poppler-utils (installed by .ci/run)."""

from __future__ import annotations

import pytest
import typst

from .pdf import blank_pages, fonts, ink_per_page, normalise, page_count, pdf_text, read_pgm, unembedded_fonts


pytestmark = pytest.mark.slow


def typst_pdf(tmp_path, source: str):
    src = tmp_path / "doc.typ"
    src.write_text(source, encoding="utf-8")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(typst.compile(str(src)))
    return pdf


def helvetica_pdf(tmp_path):
    """A one-page PDF that names Helvetica without embedding it (what must never ship)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 24 Tf 20 100 Td (Hello) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    pdf = tmp_path / "helvetica.pdf"
    pdf.write_bytes(bytes(out))
    return pdf


def test_text_is_normalised_across_line_breaks_and_hyphenation(tmp_path):
    pdf = typst_pdf(
        tmp_path,
        "#set page(width: 6cm)\n= Counting the dead\n\n"
        "Organized crime earns at least \\$1 billion; 10,000 homicides in Colombia, 3,000 in Peru.\n",
    )
    text = pdf_text(pdf)
    assert "Counting the dead" in text
    # The 6 cm page wraps "at least | $1 billion" and "10,000 | homicides" (pdftotext shows the
    # breaks); the normalised text still holds each phrase whole.
    assert "at least $1 billion" in text
    assert "10,000 homicides" in text and "3,000 in Peru" in text


def test_normalise_undoes_line_breaks_without_inventing_or_losing_characters():
    # soft hyphen (Typst's own hyphenation) joins; a break after a hard hyphen or a slash
    # joins with nothing; any other break is a space; a spaced hyphen keeps its spaces.
    assert normalise("in\u00ad\nclude x </\nscript>") == "include x </script>"
    assert normalise("$5-\n7 billion, range -\n5, well\n  known") == "$5-7 billion, range - 5, well known"
    assert normalise("drug-\nrelated") == "drug-related"


def test_raw_mode_keeps_a_table_cell_together(tmp_path):
    pdf = typst_pdf(
        tmp_path,
        "#set page(width: 9cm)\n#table(columns: 2, [Left cell with a long text that wraps over lines],"
        " [Right cell also wrapping over several lines])\n",
    )
    # (In the book's wide tables the layout mode interleaves the lines of neighbouring cells;
    # raw mode follows the content stream, one cell after another.)
    raw = pdf_text(pdf, raw=True)
    assert "Left cell with a long text that wraps over lines Right cell also wrapping" in raw


def test_blank_page_is_found(tmp_path):
    pdf = typst_pdf(tmp_path, "Ink on page one.\n#pagebreak()\n#text(fill: white)[invisible]\n")
    assert page_count(pdf) == 2
    ink = ink_per_page(pdf)
    assert len(ink) == 2 and ink[0] > 20 and ink[1] == 0
    assert blank_pages(pdf) == [2]


def test_typst_embeds_its_fonts_and_an_unembedded_base_font_is_caught(tmp_path):
    pdf = typst_pdf(tmp_path, "*Bold* and regular.\n")
    assert len(fonts(pdf)) == 2 and unembedded_fonts(pdf) == []
    bad = helvetica_pdf(tmp_path)
    assert pdf_text(bad) == "Hello"
    assert unembedded_fonts(bad) == ["Helvetica (Type 1)"]


def test_pgm_reader_handles_comments_and_rejects_other_formats(tmp_path):
    pgm = tmp_path / "x.pgm"
    pgm.write_bytes(b"P5\n# made by hand\n3 2\n255\n" + bytes([255, 0, 255, 255, 255, 10]))
    assert read_pgm(pgm) == (3, 2, bytes([255, 0, 255, 255, 255, 10]))
    ppm = tmp_path / "x.ppm"
    ppm.write_bytes(b"P6\n1 1\n255\n" + bytes(3))
    with pytest.raises(ValueError, match="not an 8-bit binary PGM"):
        read_pgm(ppm)
