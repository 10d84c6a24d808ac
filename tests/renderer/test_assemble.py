"""A chapter's Markdown from its parsed source and an executed notebook (renderer.outputs
.assemble), without a kernel: the notebook's outputs are written here by hand, and every
expected string below is worked out from the rules in the module's docstrings - values
escaped character by character, claims wrapped in spans with unique ids, charts given their
figure's id with a payload that cannot close its script element, code fenced longer than any
backtick run inside it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from renderer.kernel import INLINE_MIME
from renderer.notebook import INLINE_TAG
from renderer.outputs import assemble
from renderer.project import Chapter
from renderer.qmd import parse_qmd

SOURCE = '''---
title: "A *test* chapter"
execute:
  echo: false
---

Rate `{python} r.rate`, plain `{python} r.plain`, again `{python} r.again`, unnamed `{python} peru.rate[0]`, odd `{python} r.odd`.

```{python}
#| label: fig-rates
#| fig-cap: "Rates <by> year"
#| fig-alt: 'A "line" chart'
chart
```

```{python}
#| echo: true
print("x ``` y")
```
'''

RESULTS = [
    {"text": "7.5  per\n*100,000*", "claim": {"id": "rate", "kind": "number", "value": 7.5, "unit": "per 100,000",
                                              "year": 2021, "sources": ["who", 'a"b\\c'], "low": 7, "high": 8}},
    {"text": "<b>x</b>"},
    {"text": "7.5", "claim": {"id": "rate", "sources": []}},
    {"text": "12", "claim": {"sources": ["unodc"]}},
    {"text": "3", "claim": {"id": "Peru rate!", "sources": ["x"], "branch": "high"}},
]
SPEC = {"title": "</script><b>&", "mark": "line"}


def notebook() -> nbformat.NotebookNode:
    """The executed notebook as the renderer's cells leave it: each cell names its source cell."""
    def tagged(cell, index, tags=()):
        cell.metadata["renderer"] = {"cell": index, "line": 1}
        cell.metadata["tags"] = list(tags)
        return cell

    inline = tagged(nbformat.v4.new_code_cell("_renderer_.inline([])"), 0, [INLINE_TAG])
    inline.outputs = [nbformat.v4.new_output("display_data", {INLINE_MIME: RESULTS})]
    chart = tagged(nbformat.v4.new_code_cell("chart"), 1)
    chart.outputs = [nbformat.v4.new_output("display_data", {"application/vnd.vegalite.v5+json": SPEC,
                                                              "text/plain": "<Chart>"})]
    printed = tagged(nbformat.v4.new_code_cell('print("x ``` y")'), 3)  # cell 2: the blank line between
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x ``` y\n")]
    nb = nbformat.v4.new_notebook()
    nb.cells = [tagged(nbformat.v4.new_markdown_cell(""), 0), inline, chart, printed]
    return nb


def assembled(tmp_path: Path, claim_ids: set | None = None):
    path = tmp_path / "chapters" / "chap.qmd"
    path.parent.mkdir()
    path.write_text(SOURCE, encoding="utf-8")
    chapter = Chapter(path=path, rel="chapters/chap.qmd", order=1, appendix=False)
    return assemble(parse_qmd(path), notebook(), chapter, {}, set() if claim_ids is None else claim_ids)


def test_inline_values_are_escaped_and_claims_become_spans_with_unique_ids(tmp_path):
    out = assembled(tmp_path, {"rate-2"})  # another chapter already uses rate-2
    assert out.markdown.startswith("# A *test* chapter\n\n")
    paragraph = out.markdown.split("\n\n")[1]
    assert paragraph == (
        '\nRate [7\\.5 per \\*100\\,000\\*]{#claim-rate .claim title="Source: who, a\\"b\\\\c"}, '
        "plain \\<b\\>x\\<\\/b\\>, "
        'again [7\\.5]{#claim-rate-3 .claim title="Source: not stated"}, '
        'unnamed [12]{#claim-chap-peru-rate-0 .claim title="Source: unodc"}, '
        'odd [3]{#claim-peru-rate .claim title="Source: x"}.')


def test_each_claim_is_listed_with_where_it_is_printed(tmp_path):
    out = assembled(tmp_path)
    assert [c["id"] for c in out.claims] == ["rate", "rate-2", "chap-peru-rate-0", "peru-rate"]
    first = out.claims[0]
    assert first == {
        "id": "rate", "kind": "number", "text": "7.5 per *100,000*", "value": 7.5, "low": 7, "high": 8,
        "unit": "per 100,000", "year": 2021, "sources": ["who", 'a"b\\c'], "branch": None, "sentence": "",
        "chapter": "chap", "anchor": "chapters/chap.html#claim-rate", "expression": "r.rate", "line": 7,
    }
    assert out.claims[3]["branch"] == "high" and out.claims[3]["kind"] == "number"
    assert out.claims[2]["expression"] == "peru.rate[0]" and out.claims[2]["sources"] == ["unodc"]


def test_a_chart_takes_its_figure_id_and_its_payload_cannot_end_the_script(tmp_path):
    out = assembled(tmp_path)
    (chart,) = out.charts
    assert (chart.id, chart.major, chart.alt, chart.caption, chart.chapter) == \
        ("fig-rates", "5", 'A "line" chart', "Rates <by> year", "chap")
    assert chart.spec == SPEC
    payload = '{"mark": "line", "title": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    expected = (
        "::::: {#fig-rates}\n"
        "```{=html}\n"
        '<div class="vega-chart" id="vis-fig-rates" role="img" aria-label="A &quot;line&quot; chart">'
        '<img class="chart-static" src="../figures/fig-rates/fig-rates.svg" alt=""></div>\n'
        f'<script type="application/json" class="vega-spec" data-target="vis-fig-rates">{payload}</script>\n'
        "```\n\n"
        "```{=typst}\n"
        '#renderer-image("figures/fig-rates.svg", "A \\"line\\" chart")\n'
        "```\n\n"
        "Rates <by> year\n"
        ":::::"
    )
    assert expected in out.markdown


def test_echoed_code_and_its_output_are_fenced_longer_than_any_backtick_run(tmp_path):
    out = assembled(tmp_path)
    assert out.markdown.endswith(
        '````{.python .cell-code}\nprint("x ``` y")\n````\n\n'
        "````{.cell-output}\nx ``` y\n````\n")
    assert "```{.python .cell-code}\nchart" not in out.markdown  # echo: false from the front matter
