"""The figures of the chapter modules (analysis/report/<chapter>.py) and analysis/report/theme.py.

What a reader (and a briefing) needs from a figure: it draws from the data folder it is given,
its data travel with it (inline, no URL), it names its sources (a source line under the chart
and the source ids in `usermeta`), it has tooltips, and it stays readable in grey: whenever
colour separates more than two series, a dash pattern or a shape separates them too.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc
from hypothesis import given, strategies as st

from analysis.report import book, paradox, theme
from analysis.report import criminal_economy
from analysis.data import load

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_COLOURS = {c.lower() for c in theme.OKABE_ITO.values()} | {
    theme.GREY.lower(), theme.LIGHT_GREY.lower(), theme.TEXT.lower(), "#555555", "white", "black"}


@pytest.fixture(scope="module")
def specs(figure_specs):
    """Each figure's Vega-Lite spec (built once per session from the repository's data, conftest)."""
    return figure_specs


def walk(node):
    """Every dict inside a spec (layers, encodings, scales ...)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def layers(spec):
    """Every unit spec (one with a mark) in a possibly layered spec."""
    return [n for n in walk(spec) if "mark" in n]


def test_the_book_has_at_least_eight_figures_named_for_their_function():
    assert len(book.FIGURES) >= 8
    assert all(name == fn.__name__ for name, fn in book.FIGURES.items())
    # each figure lives in the module of the chapter that shows it
    for name, fn in book.FIGURES.items():
        owner = sys.modules[fn.__module__]
        assert fn in owner.FIGURES and owner in book.CHAPTERS.values(), name


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_returns_an_altair_chart_with_inline_data(name, specs):
    chart = book.FIGURES[name]()
    assert isinstance(chart, alt.TopLevelMixin)
    spec = specs[name]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert not [n for n in walk(spec) if "url" in n and isinstance(n.get("url"), str)], "data must be inline"
    datasets = spec.get("datasets", {})
    assert datasets and all(len(rows) > 0 for rows in datasets.values())


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_names_its_sources(name, specs):
    spec = specs[name]
    meta = spec["usermeta"]
    assert meta["figure"] == name
    known = set(load("sources")["source_id"])
    assert meta["sources"] and set(meta["sources"]) <= known, set(meta["sources"]) - known
    title = spec["title"]
    assert title["orient"] == "bottom"
    text = " ".join(title["text"]) if isinstance(title["text"], list) else title["text"]
    assert text.startswith("Source: ") and text == meta["source_line"]


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_has_tooltips(name, specs):
    assert any("tooltip" in layer.get("encoding", {}) for layer in layers(specs[name]))


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_is_readable_in_grey(name, specs):
    # Any layer whose colour separates more than two categories must also separate them by
    # dash pattern (lines) or shape (points) on the same field.
    for layer in layers(specs[name]):
        enc = layer.get("encoding", {})
        colour = enc.get("color", {})
        field = colour.get("field")
        domain = colour.get("scale", {}).get("domain", [])
        if not field or colour.get("type") != "nominal" or len(domain) <= 2:
            continue
        backups = [enc.get(ch, {}).get("field") for ch in ("strokeDash", "shape")]
        assert field in backups, f"{name}: colour on {field!r} has no dash/shape backup"


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_uses_only_the_theme_palette(name, specs):
    used = set()
    for node in walk(specs[name]):
        for key in ("color", "fill", "stroke"):
            value = node.get(key)
            if isinstance(value, str) and value.startswith("#"):
                used.add(value.lower())
        scale_range = node.get("range")
        if isinstance(scale_range, list):
            used |= {v.lower() for v in scale_range if isinstance(v, str) and v.startswith("#")}
    assert used <= ALLOWED_COLOURS, used - ALLOWED_COLOURS


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_figure_draws_and_prints_its_source_line(name, specs):
    svg = vlc.vegalite_to_svg(specs[name])
    assert svg.startswith("<svg") and "Source:" in svg
    assert svg.count("<path") + svg.count("<line") + svg.count("<rect") > 10


def test_theme_config_is_accepted_by_vega_lite():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
    spec = theme.apply(chart, source="UNODC", sources=["wdi_homicide"], figure="t").to_dict()
    assert spec["config"]["font"].startswith("DejaVu Sans")
    assert spec["title"]["text"] == ["Source: UNODC."]
    vlc.vegalite_to_svg(spec)


def test_peru_has_one_style_everywhere():
    # The same key gets the same style in every figure, whatever else is drawn beside it.
    assert theme.series_styles(["PER", "COL"])[0] == theme.series_styles(["BRA", "X", "PER"])[2]
    assert theme.STYLE["PER"].dash == () and theme.STYLE["PER"].shape == "circle"


KEYS = sorted(set(theme.STYLE) - {"WEU"}) + ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"]


@given(st.lists(st.sampled_from(KEYS), unique=True, min_size=1, max_size=len(theme.CYCLE)))
def test_up_to_eight_series_differ_in_grey(keys):
    # Within one chart, no two series share both dash pattern and shape, so grey print keeps
    # them apart, for any mix of fixed-style keys (PER, COL, ...) and unknown ones.
    styles = theme.series_styles(keys)
    assert len(styles) == len(keys)
    pairs = [(s.dash, s.shape) for s in styles]
    assert len(set(pairs)) == len(pairs), list(zip(keys, pairs))


def test_source_lines_wrap_at_spaces():
    lines = theme.wrap("Source: " + "word " * 60, width=40)
    assert all(len(line) <= 40 for line in lines) and " ".join(lines).split() == ("Source: " + "word " * 60).split()


def test_figures_follow_the_data_folder(tmp_path, monkeypatch):
    # Cut the coca table at 2013: the coca figure then ends in 2013 and its data say so.
    cut = tmp_path / "data"
    shutil.copytree(ROOT / "data", cut)
    coca = pd.read_csv(cut / "coca_cultivation.csv", dtype=str, keep_default_na=False)
    coca.loc[coca["year"].astype(int) <= 2013].to_csv(cut / "coca_cultivation.csv", index=False)
    monkeypatch.setenv("PARADOX_DATA", str(cut))
    spec = paradox.coca_area_by_country().to_dict()
    years = [row["year"] for rows in spec["datasets"].values() for row in rows if "hectares" in row]
    assert max(years) == 2013
    monkeypatch.delenv("PARADOX_DATA")
    spec = paradox.coca_area_by_country().to_dict()
    years = [row["year"] for rows in spec["datasets"].values() for row in rows if "hectares" in row]
    assert max(years) > 2013


def test_figure_specs_are_deterministic():
    a = json.dumps(criminal_economy.criminal_economy_ranges().to_dict(), sort_keys=True)
    b = json.dumps(criminal_economy.criminal_economy_ranges().to_dict(), sort_keys=True)
    assert a == b


def unit_rows(spec):
    """(unit spec, the rows it draws) for every unit of a layered spec: a unit without data of
    its own draws its parent's."""
    datasets = spec.get("datasets", {})

    def visit(node, rows):
        name = (node.get("data") or {}).get("name")
        rows = datasets.get(name, rows) if name else rows
        if "mark" in node:
            yield node, rows
        for child in node.get("layer", []):
            yield from visit(child, rows)

    yield from visit(spec, [])


VALID = re.compile(r"(!?)isValid\(datum\['(\w+)'\]\)")


def shown_rows(unit, rows):
    """The rows a unit draws after its `isValid` filters (the only filters the figures use)."""
    for step in unit.get("transform", []):
        tests = VALID.findall(step.get("filter", "")) if isinstance(step.get("filter"), str) else []
        assert tests or "filter" not in step, f"unexpected filter {step}"
        rows = [r for r in rows if all((r.get(f) is not None) != bool(neg) for neg, f in tests)]
    return rows


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_tooltips_show_names_not_codes_and_never_null(name, specs):
    """A reader hovering a mark sees labelled, readable values: no "null", no internal code
    (snake_case ids such as net_area_dec31 or unodc_wdr2025_coca) and no ISO3 code."""
    bad = []
    for unit, rows in unit_rows(specs[name]):
        tips = unit.get("encoding", {}).get("tooltip", [])
        for row in shown_rows(unit, rows):
            for tip in tips if isinstance(tips, list) else [tips]:
                value = row.get(tip["field"])
                if value is None or (isinstance(value, str) and (
                        re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", value) or re.fullmatch(r"[A-Z]{3}", value))):
                    bad.append((tip.get("title"), value))
    assert not bad, f"{name}: tooltips show {sorted(set(map(str, bad)))[:5]}"


def test_the_tooltip_rule_leaves_out_only_empty_fields():
    """Known answer: of three rows, the one without a count gets a tooltip without "Count"."""
    d = pd.DataFrame({"x": [1, 2, 3], "count": [5.0, None, 7.0]})
    chart = theme.without_missing_tooltips(alt.Chart(d).mark_point().encode(x="x:Q"), d,
                                           [alt.Tooltip("x:Q"), alt.Tooltip("count:Q", title="Count")])
    spec = chart.to_dict()
    seen = {}
    for unit, rows in unit_rows(spec):
        for row in shown_rows(unit, rows):
            seen[row["x"]] = [t["field"] for t in unit["encoding"]["tooltip"]]
    assert seen == {1: ["x", "count"], 2: ["x"], 3: ["x", "count"]}


SVG_TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)


def svg_texts(svg):
    """Every text an SVG prints (axis labels, legends, source line, mark labels)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in SVG_TEXT.findall(svg)]


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_chart_text_is_typeset(name, specs):
    """Issue 12's typography inside the charts too: curly quotes and apostrophes, an en dash
    between two numbers (year spans, ranges), as the PDF text layer checks."""
    texts = svg_texts(vlc.vegalite_to_svg(specs[name]))
    assert texts, "no text found: the check would be empty"
    assert [t for t in texts if "'" in t or '"' in t] == []
    assert [t for t in texts if re.search(r"\d-\d", t)] == []


SYMBOL = re.compile(r'<g class="mark-symbol role-legend-symbol[^"]*"[^>]*>(.*?)</g>', re.S)


@pytest.mark.parametrize("name", sorted(book.FIGURES))
def test_every_legend_symbol_is_visible(name, specs):
    """Each legend symbol has a visible fill or a visible outline (figure 1.2's hollow circle and
    filled diamond were drawn white on white in the PDF, the web page and the card PNG)."""
    svg = vlc.vegalite_to_svg(specs[name])
    invisible = {"white", "#fff", "#ffffff", "transparent", "none", None}
    symbols = [p for group in SYMBOL.findall(svg) for p in re.findall(r"<path[^>]*>", group)]
    for path in symbols:
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', path))
        if float(attrs.get("opacity", 1)) == 0:
            pytest.fail(f"{name}: a legend symbol is fully transparent: {path}")
        fill_seen = attrs.get("fill") not in invisible and float(attrs.get("fill-opacity", 1)) > 0
        stroke_seen = attrs.get("stroke") not in invisible and float(attrs.get("stroke-width", 1)) > 0
        assert fill_seen or stroke_seen, f"{name}: legend symbol without a visible mark: {path}"


def test_source_lines_fit_a_phone_column(specs):
    """The source line under each chart wraps to lines a 390 px phone shows whole (Vega cannot
    wrap a title, and a single 100-character line was cut off at the chart's edge)."""
    for name, spec in specs.items():
        assert all(len(line) <= theme.SOURCE_WRAP for line in spec["title"]["text"]), name
