"""Typography through the renderer's pandoc reader and Lua filter: curly quotes and
apostrophes in both writers (pandoc's smart reader, shared), curly quotes in the literal text
kernels insert (Typst pass), a number tied to the word after it, code left alone."""

from __future__ import annotations

import json
import subprocess

import pypandoc
import typst

from renderer import pandoc
from renderer.outputs import escape_markdown
from renderer.pdf import TEMPLATE

FILTER = str(pandoc.FILTERS / "book.lua")


def convert(markdown: str, to: str, *meta: str) -> str:
    args = [pypandoc.get_pandoc_path(), "-f", pandoc.READER, "-t", to, "--lua-filter", FILTER]
    for m in meta:
        args += ["-M", m]
    return subprocess.run(args, input=markdown, capture_output=True, text=True, check=True).stdout


def pdf_text(markdown: str, tmp_path, *meta: str) -> str:
    """What a reader of the PDF gets: the renderer's template and filter, typst, pdftotext."""
    typ = subprocess.run([pypandoc.get_pandoc_path(), "-f", pandoc.READER, "-t", "typst", "--standalone",
                          f"--template={TEMPLATE}", "--lua-filter", FILTER, "-M", "toc=false",
                          *[x for m in meta for x in ("-M", m)]],
                         input=markdown, capture_output=True, text=True, check=True).stdout
    (tmp_path / "t.typ").write_text(typ, encoding="utf-8")
    (tmp_path / "t.pdf").write_bytes(typst.compile(str(tmp_path / "t.typ")))
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "t.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


PROSE = 'Peru\'s rate is "moderate", the authors\' word; see `x = "a"` and \'tenfold\'.'


def test_smart_reader_curls_quotes_in_html_and_typst(tmp_path):
    html, text = convert(PROSE, "html"), " ".join(pdf_text(PROSE, tmp_path).split())
    for out in (html, text):
        assert "Peru\u2019s" in out and "\u201cmoderate\u201d" in out and "authors\u2019 word" in out
        assert "\u2018tenfold\u2019" in out
    assert 'x = "a"' in text and '<code>x = "a"</code>' in html  # code keeps its straight quotes


def test_literal_kernel_text_is_curled_in_typst(tmp_path):
    # a value from a kernel is escaped (every ASCII punctuation mark), so the smart reader
    # leaves its quotes straight; the Typst pass curls them by the same rule
    literal = escape_markdown('Colombia\'s lead, "as published"')
    text = pdf_text(f"Before {literal} after.", tmp_path)
    assert "Colombia\u2019s lead, \u201cas published\u201d" in text
    assert "'" not in text and '"' not in text


def test_title_metadata_is_curled_in_typst(tmp_path):
    ast = convert("Body.", "json", "title=Peru's \"paradox\"")
    assert "Peru's" in json.loads(ast)["meta"]["title"]["c"]  # the JSON (and HTML) path is untouched
    assert "Peru\u2019s \u201cparadox\u201d" in pdf_text("Body.", tmp_path, "title=Peru's \"paradox\"")


def test_a_number_is_tied_to_the_word_after_it_in_typst(tmp_path):
    typ = convert("The total of $5\u20137 billion and 33.3 per 100,000 people in 2012.", "typst")
    # a non-breaking space, which pandoc's Typst writer prints as "~"; "--" is Typst's en dash
    assert "5--7~billion" in typ and "33.3~per" in typ and "100,000~people" in typ
    assert "2012." in typ  # a number at the end of a sentence ties to nothing
    text = pdf_text("The total of $5\u20137 billion.", tmp_path)
    assert "$5\u20137\u00a0billion" in text or "$5\u20137 billion" in text


def test_code_is_not_curled(tmp_path):
    text = pdf_text("Run `paradox render --data 'x'`.\n\n```\nprint('y')\n```\n", tmp_path)
    assert "'x'" in text and "print('y')" in text
