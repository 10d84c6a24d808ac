"""Parsing .qmd files and _quarto.yml: the supported subset, and refusal (with file:line) of
everything else, so the renderer and Quarto can never silently render differently."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from renderer.errors import UnsupportedSyntaxError
from renderer.project import load_project
from renderer.qmd import parse_qmd

BOOK = Path(__file__).resolve().parent / "book"


def write(tmp_path, text: str, name: str = "ch.qmd"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_cells_options_and_inline_expressions(tmp_path):
    path = write(tmp_path, """
        ---
        title: "A chapter"
        ---

        Text with `{python} 1 + 1` and `{python} name`.

        ```{python}
        #| label: fig-a
        #| fig-cap: "A caption"
        x = 1
        ```

        ```python
        `{python} not_evaluated`
        ```
        """)
    doc = parse_qmd(path)
    assert doc.front == {"title": "A chapter"}
    md, code, tail = doc.cells
    assert [e.expr for e in md.inline] == ["1 + 1", "name"]
    assert md.inline[0].line == 5
    assert code.kind == "code" and code.line == 7
    assert code.options == {"label": "fig-a", "fig-cap": "A caption"}
    assert code.text == "x = 1"
    assert tail.inline == []  # inline syntax inside a plain code block is left alone


@pytest.mark.parametrize("body, line, words", [
    ("Intro\n\n{{< include other.qmd >}}\n", 3, "shortcode"),
    ("Intro\n\n```{r}\n1\n```\n", 3, "engine '{r}'"),
    ("A value `{ojs} x` here\n", 1, "inline code engine '{ojs}'"),
    ("```{python}\n#| label: a\n#| fig-width: 4\nx = 1\n```\n", 3, "option 'fig-width'"),
    ("```{python}\n#| echo: fenced\nx = 1\n```\n", 1, "echo: fenced"),
    ("```{python echo=false}\nx = 1\n```\n", 1, "options in the cell header"),
    ("::: {.panel-tabset}\nx\n:::\n", 1, "panel-tabset"),
    ("::: {.callout-note collapse=\"true\"}\nx\n:::\n", 1, "collapse"),
    ("::: {.callout-danger}\nx\n:::\n", 1, "callout-danger"),
    ("::: {#fig-ab layout-ncol=2}\nx\n:::\n", 1, "layout-ncol"),
    ("See\n@eq-energy for this.\n", 2, "@eq-"),
    ("## A heading {.unlisted}\n", 1, ".unlisted"),
    ("---\ntitle: x\nformat: html\n---\n", 3, "option 'format'"),
])
def test_unsupported_syntax_is_refused_with_file_and_line(tmp_path, body, line, words):
    path = write(tmp_path, body)
    with pytest.raises(UnsupportedSyntaxError) as info:
        parse_qmd(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message


def test_supported_syntax_is_accepted(tmp_path):
    path = write(tmp_path, """
        # Title {#sec-title}

        ::: {.callout-tip title="A tip"}
        Body with [@key] and @fig-x and @tbl-y and @sec-title.
        :::

        ::: {#fig-z}
        ![](a.png)

        Caption
        :::

        An e-mail: someone@example.org is not a cross-reference.
        """)
    doc = parse_qmd(path)
    assert [c.kind for c in doc.cells] == ["markdown"]


def test_quarto_yml_unknown_key_is_refused_with_line(tmp_path):
    config = (BOOK / "_quarto.yml").read_text().replace("  html:\n", "  html:\n    theme: cosmo\n")
    (tmp_path / "_quarto.yml").write_text(config)
    with pytest.raises(UnsupportedSyntaxError) as info:
        load_project(tmp_path)
    lines = config.splitlines()
    expected = next(i for i, l in enumerate(lines, 1) if "theme: cosmo" in l)
    assert f"_quarto.yml:{expected}: option 'format.html.theme'" in str(info.value)


def test_project_reads_book_metadata_and_chapter_order():
    project = load_project(BOOK)
    assert project.title == "Tiny Test Book"
    assert project.authors == ["Ada Tester", "Bo Checker"]
    assert [c.rel for c in project.chapters] == [
        "index.qmd", "chapters/growth.qmd", "chapters/context.qmd", "chapters/method.qmd"]
    assert [c.appendix for c in project.chapters] == [False, False, False, True]
    assert project.bibliography == [BOOK / "references.bib"]


def test_unnumbered_book_is_refused_rather_than_numbered_anyway(tmp_path):
    config = (BOOK / "_quarto.yml").read_text().replace("number-sections: true", "number-sections: false", 1)
    (tmp_path / "_quarto.yml").write_text(config)
    with pytest.raises(UnsupportedSyntaxError, match=r"_quarto.yml:\d+: format.html.number-sections: false"):
        load_project(tmp_path)
