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


# --- every kind of output and the cell options that place it ---------------------------------

OUTPUTS = '''---
title: Outputs
---

::: {#fig-inside}
```{python}
#| fig-alt: "Drawn inside"
chart
```

Caption with `{python} r.value` inside.
:::

```{python}
#| label: tbl-table
#| tbl-cap: "A table"
table
```

```{python}
#| fig-cap: "Unlabelled image"
image
```

```{python}
#| warning: false
#| echo: false
warn
```

```{python}
#| include: false
hidden
```

```{python}
#| output: false
#| echo: true
quiet
```
'''

PNG = "iVBORw0KGgo="  # base64 of the PNG signature's first bytes: "\x89PNG\r\n\x1a\n"


def outputs_notebook() -> nbformat.NotebookNode:
    """Outputs for OUTPUTS' cells (source cells 0-12: markdown and code alternate)."""
    def code(index, *outs):
        cell = nbformat.v4.new_code_cell("x")
        cell.metadata["renderer"] = {"cell": index, "line": 1}
        cell.outputs = list(outs)
        return cell

    display = lambda data: nbformat.v4.new_output("display_data", data)  # noqa: E731
    inline = nbformat.v4.new_code_cell("_renderer_.inline([])")
    inline.metadata.update({"renderer": {"cell": 2, "line": 1}, "tags": [INLINE_TAG]})
    inline.outputs = [display({INLINE_MIME: [{"text": "4  per\n100"}]})]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        code(1, display({"application/vnd.vegalite.v5+json": {"mark": "bar"}})),
        inline,
        code(3, display({"text/html": ["<table><tr><td>1</td>", "</tr></table>"], "text/plain": "t"}),
             display({"text/html": "<b>bold</b>", "text/plain": ['a "quoted"\\', " line"]})),
        code(5, display({"image/png": PNG, "text/plain": "<Figure>"}),
             display({"image/svg+xml": ["<svg>", "</svg>"]})),
        code(7, nbformat.v4.new_output("stream", name="stderr", text="careful\n"),
             nbformat.v4.new_output("stream", name="stdout", text="said\n"),
             nbformat.v4.new_output("stream", name="stdout", text=""),
             nbformat.v4.new_output("execute_result", {"text/markdown": ["**md** ", "text"]}, execution_count=1),
             nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=2),
             nbformat.v4.new_output("error", ename="E", evalue="v", traceback=[]),
             display({"application/json": {"a": 1}})),
        code(9, nbformat.v4.new_output("stream", name="stdout", text="never\n")),
        code(11, nbformat.v4.new_output("stream", name="stdout", text="not shown\n")),
    ]
    return nb


def assembled_outputs(tmp_path: Path):
    path = tmp_path / "out.qmd"
    path.write_text(OUTPUTS, encoding="utf-8")
    chapter = Chapter(path=path, rel="out.qmd", order=0, appendix=False)
    return assemble(parse_qmd(path), outputs_notebook(), chapter, {"echo": False}, set())


def test_a_chart_inside_a_figure_div_takes_the_divs_id_and_caption(tmp_path):
    out = assembled_outputs(tmp_path)
    (chart,) = out.charts
    assert (chart.id, chart.alt, chart.caption) == ("fig-inside", "Drawn inside", "Caption with 4 per 100 inside.")
    assert '<img class="chart-static" src="figures/fig-inside/fig-inside.svg" alt="">' in out.markdown  # index-level page
    assert "Caption with 4 per 100 inside.\n:::" in out.markdown  # the div's own caption paragraph, escaped value
    assert out.divs == []  # every div that opened was closed


def test_each_output_kind_is_placed_as_its_format_needs(tmp_path):
    md = assembled_outputs(tmp_path).markdown
    # a table label: the outputs in a #tbl- div, an HTML table as raw HTML, other HTML also as
    # its plain text for Typst (a string literal: quotes and backslashes escaped), the caption last
    assert (
        '::::: {#tbl-table}\n```{=html}\n<table><tr><td>1</td></tr></table>\n```\n\n'
        '```{=html}\n<b>bold</b>\n```\n\n'
        '```{=typst}\n#raw(block: true, "a \\"quoted\\"\\\\ line")\n```\n\n'
        'A table\n:::::') in md
    # a fig-cap without a label: an unnumbered .figure div; each image saved and shown in both formats
    assert (
        '::::: {.figure}\n```{=html}\n<img src="figures/out-1.png" alt="Unlabelled image" class="cell-image">\n```\n\n'
        '```{=typst}\n#renderer-image("figures/out-1.png", "Unlabelled image")\n```\n\n'
        '```{=html}\n<img src="figures/out-2.svg" alt="Unlabelled image" class="cell-image">\n```\n\n'
        '```{=typst}\n#renderer-image("figures/out-2.svg", "Unlabelled image")\n```\n\n'
        'Unlabelled image\n:::::') in md
    # warning: false drops stderr; an empty stream, an error and an unknown type show nothing;
    # Markdown is passed as written, plain text fenced
    assert "```{.cell-output}\nsaid\n```\n\n**md** text\n\n```{.cell-output}\n42\n```\n\n" in md
    assert "careful" not in md and "never" not in md and "not shown" not in md and "{.cell-output}\n\n" not in md
    # include: false drops the cell; output: false keeps only its echo
    assert md.endswith("```{.cell-output}\n42\n```\n\n```{.python .cell-code}\nquiet\n```\n")
    assert md.count("{.python .cell-code}") == 1


def test_images_are_kept_for_the_book_under_figures(tmp_path):
    images = assembled_outputs(tmp_path).images
    assert images == {"figures/out-1.png": b"\x89PNG\r\n\x1a\n", "figures/out-2.svg": b"<svg></svg>"}


NESTED = '''---
title: Nested
---

```{python}
#| fig-alt: 'Map of "Peru" & <Bolivia>'
#| tbl-cap: "Unlabelled table"
both
```
'''


def test_a_chapter_in_a_folder_links_images_up_and_quotes_every_attribute(tmp_path):
    """A chapter under chapters/ links figures/ one level up; alt text is escaped for an HTML
    attribute and a Typst string; stderr is shown (warning is on by default) and marked;
    a tbl-cap without a label is an unnumbered div; multi-line plain text stays one Typst
    string."""
    path = tmp_path / "chapters" / "nested.qmd"
    path.parent.mkdir()
    path.write_text(NESTED, encoding="utf-8")
    cell = nbformat.v4.new_code_cell("both")
    cell.metadata["renderer"] = {"cell": 1, "line": 5}
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="careful\n"),
                    nbformat.v4.new_output("display_data", {"image/svg+xml": "<svg/>"}),
                    nbformat.v4.new_output("display_data", {"text/html": "<i>x</i>", "text/plain": "one\ntwo"})]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    chapter = Chapter(path=path, rel="chapters/nested.qmd", order=2, appendix=False)
    md = assemble(parse_qmd(path), nb, chapter, {"echo": False}, set()).markdown
    assert md == (
        "# Nested\n\n"
        "::::: {.figure}\n"
        "```{.cell-output .stderr}\ncareful\n```\n\n"
        '```{=html}\n<img src="../figures/nested-1.svg" alt="Map of &quot;Peru&quot; &amp; &lt;Bolivia&gt;" class="cell-image">\n```\n\n'
        '```{=typst}\n#renderer-image("figures/nested-1.svg", "Map of \\"Peru\\" & <Bolivia>")\n```\n\n'
        "```{=html}\n<i>x</i>\n```\n\n"
        '```{=typst}\n#raw(block: true, "one\\ntwo")\n```\n\n'
        "Unlabelled table\n"
        ":::::\n")
