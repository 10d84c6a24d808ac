"""analysis/report/captions.py and the renderer read a chapter's cells and captions alike.

Why a test and not one shared function: `analysis` may not import `renderer` (ARCHITECTURE.md,
imports go one way), yet both read the `#|` options of a cell (the How to cite appendix quotes a
figure's caption; the renderer builds the page) and both drop a caption's bracketed citations
(the appendix's example, the renderer's figure card). Each rule is written once on each side;
these tests fail the moment the two sides read the book differently.
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from analysis.report import captions
from renderer.cards import plain_caption as renderer_plain_caption
from renderer.qmd import parse_qmd


def analysis_cells(path):
    """(fence line, options) of every python cell, read with captions.split_options."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(i + 1, captions.split_options(lines[i + 1:])[0])
            for i, line in enumerate(lines) if captions.PYTHON_FENCE.match(line)]


def test_every_cell_of_the_book_has_the_same_options_on_both_sides():
    for path in captions.book_sources():
        ours = analysis_cells(path)
        theirs = [(c.line, c.options) for c in parse_qmd(path).cells if c.kind == "code"]
        assert ours == theirs, path.name


def _renderer_div_captions(path, bundle) -> dict:
    """{figure id: card caption} of the figure divs of a chapter, as the renderer's assembly
    finds them (renderer.outputs._figure_divs), with each inline value `r.x` shown as the
    chapter's bundle prints it (what the kernel returns)."""
    from renderer.kernel import INLINE_MIME
    from renderer.outputs import Chart, ChapterMarkdown, _figure_divs

    out = ChapterMarkdown(markdown="")
    for cell in parse_qmd(path).cells:
        if cell.kind == "code" and out.divs and out.divs[-1]:
            out.charts.append(Chart(out.divs[-1], {}, "6", "alt", "", path.stem))
        if cell.kind != "markdown":
            continue
        values = [{"text": str(getattr(bundle, e.expr.strip().removeprefix("r.")))} for e in cell.inline]
        _figure_divs(cell, {"outputs": [{"data": {INLINE_MIME: values}}]}, out)
    return {c.id: renderer_plain_caption(c.caption) for c in out.charts}


def test_a_computed_caption_is_quoted_as_the_figure_card_quotes_it(book_bundles):
    """A figure div's caption (its finding an inline value): the How to cite appendix's reading
    (captions.figure_caption) and the renderer's (the figure card) agree, and the finding is
    the bundle's data-chosen sentence."""
    found = {}
    for path in captions.book_sources():
        stem = "index.qmd" if path.name == "index.qmd" else path.stem
        bundle = book_bundles.get(stem)
        if bundle is None or "::: {#fig-" not in path.read_text(encoding="utf-8"):
            continue
        for fig, caption in _renderer_div_captions(path, bundle).items():
            found[fig] = caption
            assert captions.figure_caption(fig, bundle) == caption
            assert "[@" not in caption and "{python}" not in caption
    assert {"fig-coca-area", "fig-seizures"} <= set(found)
    assert found["fig-coca-area"].startswith(str(book_bundles["01-paradox"].coca_area_finding))


def test_every_figure_caption_is_quoted_as_the_figure_card_quotes_it():
    figures = [(o["label"], o["fig-cap"]) for p in captions.book_sources()
               for _, o in analysis_cells(p) if str(o.get("label", "")).startswith("fig-")]
    for label, caption in figures:
        assert captions.figure_caption(label) == renderer_plain_caption(caption)
        assert "[@" not in captions.figure_caption(label)


@given(st.lists(st.sampled_from(["Peru's area", " ", "[@a]", "[@a; @b, p. 3]", "[see @c]",
                                 "[no key]", "[", "]", "Source: UNODC", ".", "@fig-x"]),
                max_size=8))
def test_plain_caption_agrees_with_the_renderer_on_any_caption(parts):
    caption = "".join(parts)
    assert captions.plain_caption(caption) == renderer_plain_caption(caption)


def test_options_are_the_leading_bar_lines_only():
    # "#| label: x" then code; a later "#|" line is code, not an option
    options, code = captions.split_options(["#| label: fig-a", "#|fig-cap: A", "x = 1", "#| echo: false"])
    assert options == {"label": "fig-a", "fig-cap": "A"} and code == ["x = 1", "#| echo: false"]
    assert captions.split_options(["x = 1"]) == ({}, ["x = 1"])


def test_every_figure_caption_opens_with_a_finding_the_data_choose(book_bundles, cut_bundles):
    """Issue 12: a caption's finding is a data-chosen sentence (a Branch of the chapter's
    bundle), so a new vintage re-chooses it; on the data cut at 2013 it is chosen again."""
    from analysis.estimate import Branch

    opened = {}
    for path in captions.book_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            div = captions.FIG_DIV.match(line)
            if div:
                first = captions.BUNDLE_VALUE.match(captions.div_caption(lines[i + 1:]))
                assert first, f"{div.group('id')}: the caption must open with a bundle value"
                opened[div.group("id")] = (path.stem, first.group("name"))
    labelled = [o["label"] for p in captions.book_sources() for _, o in analysis_cells(p)
                if str(o.get("label", "")).startswith("fig-")]
    assert labelled == [], "every figure states its finding through a figure div"
    assert len(opened) >= 12
    for fig, (stem, name) in opened.items():
        for bundles in (book_bundles, cut_bundles):
            value = getattr(bundles[stem], name)
            assert isinstance(value, Branch) and value.text.endswith("."), (fig, value)


def test_the_coca_area_finding_known_answers(book_bundles, cut_bundles):
    import pandas as pd

    from tests.test_book_datacut import ROOT

    coca = pd.read_csv(ROOT / "data" / "coca_cultivation.csv")
    head = coca.loc[coca["headline"]].pivot_table(index="year", columns="iso3", values="hectares")
    # 2013: Peru 49,800 ha, Colombia 48,000 ha: 4% apart, within 10%: "about as much"
    assert abs(head.loc[2013, "PER"] - head.loc[2013, "COL"]) / head.loc[2013, "PER"] < 0.10
    # 2023: Colombia 252,600 ha, 2.7 times Peru's 92,800: "far more than any other country"
    assert head.loc[2023, "COL"] >= 2 * head.loc[2023].drop("COL").max()
    assert str(book_bundles["01-paradox"].coca_area_finding) == (
        "Peru grew about as much coca as Colombia in the article\u2019s year; Colombia now grows far "
        "more than any other country.")
    # cut at 2013, the article's year is the latest
    assert str(cut_bundles["01-paradox"].coca_area_finding).endswith(", the latest year in the data.")


def test_the_seizures_finding_known_answers(book_bundles):
    import numpy as np
    import pandas as pd

    from tests.test_book_datacut import ROOT

    kg = pd.read_csv(ROOT / "data" / "cocaine_seizures.csv")
    kg = kg.loc[kg["iso3"].isin(["BRA", "USA"]) & (kg["kilograms"] > 0)].pivot_table(
        index="year", columns="iso3", values="kilograms").dropna()
    # the latest year both report: Brazil's kilograms below the United States': "remain smaller"
    assert kg.iloc[-1]["BRA"] < kg.iloc[-1]["USA"]
    m = book_bundles["02-markets"]
    assert m.brazil_growth.low > m.usa_growth.high  # trends clearly apart: no "intervals overlap"
    # trend of log kilograms on year, 1995-2023: exp(slope) - 1 = 12.3% (Brazil), 2.4% (US)
    growth = {c: 100 * (np.exp(np.polyfit(kg.index, np.log(kg[c]), 1)[0]) - 1) for c in ("BRA", "USA")}
    assert (round(growth["BRA"], 1), round(growth["USA"], 1)) == (12.3, 2.4)
    # Brazil's peak 2019 (104.6 t), 2023 72.5 t: 31% down, "have fallen since 2019"
    assert kg["BRA"].idxmax() == 2019 and kg.loc[2023, "BRA"] / kg.loc[2019, "BRA"] < 0.75
    assert str(m.seizures_finding) == (
        "Over 1995\u20132023 Brazil\u2019s cocaine seizures grew faster than those of the United "
        "States (12.3% against 2.4% a year), mostly before 2013; they remain smaller and have "
        "fallen since 2019.")
