"""A chart's Vega-Lite spec travels inside <script type="application/json">: no value in it can
end that element, open a comment or be read as markup (fast; the slow tier checks the page)."""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import pytest

from renderer.outputs import ChapterMarkdown, _chart

HOSTILE_SPEC = {
    "title": "Seizures </script><script>alert(1)</script>",
    "description": "a < b & c > d <!-- not a comment --> </SCRIPT >",
    "data": {"values": [{"country": "C\u00f4te d'Ivoire </script>", "kg": 1.5}]},
    "mark": "bar",
}


def _html_part(spec: dict) -> str:
    """The raw HTML block `_chart` writes for `spec`, fences stripped."""
    cell = SimpleNamespace(options={"label": "fig-test", "fig-cap": "A chart"})
    chapter = SimpleNamespace(stem="01-test", html_name="chapters/01-test.html")
    md = _chart(spec, "5", cell, chapter, ChapterMarkdown(""))
    return re.search(r"\{=html\}\n(.*?)\n`{3,}", md, flags=re.S).group(1)


def test_hostile_spec_values_cannot_close_the_script_element():
    part = _html_part(HOSTILE_SPEC)
    # one opening and one closing tag: the payload itself holds none, in any case
    assert len(re.findall(r"</script", part, flags=re.I)) == 1
    assert part.rstrip().endswith("</script>")
    payload = re.search(r'class="vega-spec"[^>]*>(.*)</script>$', part.rstrip(), flags=re.S).group(1)
    assert not re.search(r"[<>&]", payload)  # no <!--, no </script, no entity can start
    assert json.loads(payload) == HOSTILE_SPEC  # and the chart still gets its exact values


@pytest.mark.parametrize("alt", ['x" onload="alert(1)', "<b>bold</b>"])
def test_alt_text_stays_inside_its_attribute(alt):
    cell = SimpleNamespace(options={"label": "fig-a", "fig-alt": alt})
    chapter = SimpleNamespace(stem="01-test", html_name="chapters/01-test.html")
    md = _chart({"mark": "bar"}, "5", cell, chapter, ChapterMarkdown(""))
    label = re.search(r'aria-label="([^"]*)"', md).group(1)
    assert "<" not in label and ">" not in label
    assert html.unescape(label) == alt


def _chart_md(options: dict, out: ChapterMarkdown | None = None) -> tuple[str, ChapterMarkdown]:
    """The Markdown `_chart` writes for a one-key spec, and the ChapterMarkdown it fills."""
    out = out if out is not None else ChapterMarkdown("")
    chapter = SimpleNamespace(stem="01-test", html_name="chapters/01-test.html")
    return _chart({"b": 1, "a": "\u00e9"}, "5", SimpleNamespace(options=options), chapter, out), out


def test_chart_ids_alt_text_and_the_pdf_image():
    md, out = _chart_md({"label": "fig-seizures", "fig-cap": "Seizures by year"})
    assert 'id="vis-fig-seizures"' in md and 'data-target="vis-fig-seizures"' in md
    assert 'aria-label="Seizures by year"' in md  # no fig-alt: the caption is the alt text
    assert '#renderer-image("figures/fig-seizures.svg", "Seizures by year")' in md
    assert 'src="../figures/fig-seizures/' in md  # chapters/ pages reach the book root
    (c,) = out.charts
    assert (c.id, c.spec, c.major, c.alt, c.caption, c.chapter) == (
        "fig-seizures", {"b": 1, "a": "\u00e9"}, "5", "Seizures by year", "Seizures by year", "01-test")
    # the same label again, or no fig- label: numbered within the chapter
    md2, out = _chart_md({"label": "fig-seizures"}, out)
    assert 'id="vis-01-test-chart-2"' in md2 and 'aria-label="Chart"' in md2
    assert "```{=typst}" in md2 and "```{=html}" in md2
    # the payload: keys sorted (byte-identical renders), non-ASCII escaped like the markup
    assert '{"a": "\\u00e9", "b": 1}' in md


def test_a_chart_without_caption_has_an_empty_one_and_quoted_labels_stay_in_attributes():
    md, out = _chart_md({"label": 'fig-a"b'})
    assert out.charts[0].caption == ""
    src = re.search(r'<img class="chart-static" src="([^"]*)"', md).group(1)
    assert html.unescape(src).startswith('../figures/fig-a"b/')  # the quote is &quot; inside
