"""Values from the kernel are inserted as literal text: never Markdown, HTML or Typst markup."""

from __future__ import annotations

import json
import subprocess

import pypandoc
import pytest

from renderer.outputs import escape_markdown
from renderer.pandoc import stringify
from tests.hostile import HOSTILE


def pandoc(markdown: str, to: str) -> str:
    return subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown-smart", "-t", to],
                          input=markdown, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_reads_back_as_the_same_plain_text(text):
    ast = json.loads(pandoc("Before " + escape_markdown(text) + " after.", "json"))
    assert ast["blocks"][0]["t"] == "Para"
    inlines = ast["blocks"][0]["c"]
    assert all(node["t"] in ("Str", "Space") for node in inlines), inlines
    assert stringify(inlines) == f"Before {text} after."


def test_escaped_text_is_inert_in_html_and_typst():
    text = "<script>alert(1)</script> #set $x$ @fig-a"
    html = pandoc(escape_markdown(text), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    typst = pandoc(escape_markdown(text), "typst")
    assert "\\#set" in typst and "\\$x\\$" in typst and "\\@fig-a" in typst


def test_claim_span_keeps_hostile_text_and_sources_literal():
    """A claim's text and source ids pass through pandoc unchanged, as text and title."""
    from types import SimpleNamespace

    from renderer.outputs import ChapterMarkdown, _inline_value

    chapter = SimpleNamespace(stem="ch", html_name="chapters/ch.html")
    expr = SimpleNamespace(expr="x.value", line=3)
    result = {"text": '<b>"5"</b> *$x$*', "claim": {"kind": "number", "sources": ['src"1', "a\\b"], "id": None}}
    out = ChapterMarkdown(markdown="")
    markdown = _inline_value(expr, result, chapter, set(), out)
    span = json.loads(pandoc(markdown, "json"))["blocks"][0]["c"][0]
    assert span["t"] == "Span"
    (ident, classes, attrs), inlines = span["c"]
    assert ident == "claim-ch-x-value" and classes == ["claim"]
    assert dict(attrs)["title"] == 'Source: src"1, a\\b'
    assert stringify(inlines) == '<b>"5"</b> *$x$*'
    assert out.claims[0]["text"] == '<b>"5"</b> *$x$*'
