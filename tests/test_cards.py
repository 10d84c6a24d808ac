"""Figure cards: PNG (2x), SVG, the exact data plotted as CSV, metadata.json, one zip."""

from __future__ import annotations

import json
import re
import struct
import zipfile

import altair as alt
import jsonschema
import pandas as pd
import pytest
import vl_convert

from renderer.cards import (CardError, caption_sources, card_files, plotted_data, read_card_csv,
                            replot_spec, write_figure_card)

# What a card's metadata.json must hold: the contract readers (and the book's "How to cite")
# rely on. Kept here, beside the tests, so a change to the card format is a visible decision.
METADATA_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["id", "caption", "alt", "sources", "citation", "edition", "files", "data"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"},
        "caption": {"type": "string", "minLength": 1},
        "alt": {"type": "string", "minLength": 1},
        "sources": {"type": "array", "minItems": 1},
        "citation": {"type": "string", "minLength": 1},
        "edition": {"type": ["object", "null"]},
        "png_scale": {"const": 2},
        "files": {
            "type": "object", "required": ["png", "svg", "csv"], "additionalProperties": False,
            "properties": {"png": {"type": "string", "pattern": r"\.png$"},
                           "svg": {"type": "string", "pattern": r"\.svg$"},
                           "csv": {"type": "string", "pattern": r"\.csv$"}},
        },
        "data": {
            "type": "object", "required": ["file", "rows", "columns", "datasets"],
            "properties": {
                "file": {"type": "string"},
                "rows": {"type": "integer", "minimum": 0},
                "columns": {"type": "array", "items": {
                    "type": "object", "required": ["name", "type"],
                    "properties": {"name": {"type": "string"},
                                   "type": {"enum": ["integer", "number", "string",
                                                     "boolean", "null"]}}}},
                "datasets": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["name", "columns"],
                    "properties": {"name": {"type": "string"},
                                   "columns": {"type": "array", "items": {"type": "string"}}}}},
            },
        },
    },
}

EDITION = {"version": "0.1.0", "date": "2026-11-28", "commit": "abc1234"}


def frame() -> pd.DataFrame:
    """A small frame with every JSON type a chart carries, and a missing value."""
    return pd.DataFrame({
        "year": [2010, 2011, 2012, 2013],
        "hectares": [61200.5, 62500.0, None, 49800.25],
        "iso3": ["PER", "PER", "COL", "COL"],
        "headline": [True, False, True, True],
    })


def line_chart() -> dict:
    """Altair's usual output: top-level `datasets` and a named data reference."""
    return alt.Chart(frame()).mark_line().encode(
        x="year:O", y="hectares:Q", color="iso3:N").properties(width=200, height=120).to_dict()


def layered_chart() -> dict:
    """Two datasets: the series and a reference rule with its own one-row frame."""
    base = alt.Chart(frame()).mark_line().encode(x="year:O", y="hectares:Q")
    rule = alt.Chart(pd.DataFrame({"level": [55000]})).mark_rule().encode(y="level:Q")
    return (base + rule).properties(width=180, height=100).to_dict()


def values_chart() -> dict:
    """A hand-written spec with top-level `data.values`, as a non-Altair tool would emit."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"country": "Peru", "rate": 6.7}, {"country": "Colombia", "rate": 33}]},
        "mark": "bar",
        "encoding": {"x": {"field": "country", "type": "nominal"},
                     "y": {"field": "rate", "type": "quantitative"}},
        "width": 100, "height": 80,
    }


def faceted_chart() -> dict:
    """A facet: the data sits at the top, the view inside `spec`."""
    return alt.Chart(frame()).mark_bar().encode(x="year:O", y="hectares:Q").properties(
        width=80, height=60).facet("iso3:N").to_dict()


def write(tmp_path, spec, fig_id="fig-coca"):
    """Write a card with fixed texts; return its folder."""
    return write_figure_card(tmp_path, fig_id, spec, caption="Coca area by year",
                             alt="Line chart: Peru's coca area rises from 2010 to 2011.",
                             sources=["unodc_coca_2023"], citation="Cite: fig-coca, ed. 0.1.0",
                             edition=EDITION)


# --- the CSV is exactly the data plotted -----------------------------------------------------

@pytest.mark.parametrize("make", [line_chart, layered_chart, values_chart, faceted_chart])
def test_csv_replots_to_the_same_spec(tmp_path, make):
    spec = make()
    card = write(tmp_path, spec)
    rows = read_card_csv(card / "fig-coca.csv")
    assert replot_spec(spec, rows) == spec


def test_replot_from_csv_draws_the_same_svg(tmp_path):
    spec = layered_chart()
    card = write(tmp_path, spec)
    replotted = replot_spec(spec, read_card_csv(card / "fig-coca.csv"))
    assert vl_convert.vegalite_to_svg(replotted) == (card / "fig-coca.svg").read_text(encoding="utf-8")


def test_a_changed_csv_no_longer_replots_the_spec(tmp_path):
    # The comparison above can fail: one edited cell breaks it.
    spec = line_chart()
    card = write(tmp_path, spec)
    csv_path = card / "fig-coca.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("61200.5", "61200.6"),
                        encoding="utf-8")
    assert replot_spec(spec, read_card_csv(csv_path)) != spec


def test_csv_text_known_answer(tmp_path):
    # Floats keep their repr (62500.0 stays a float), the missing value is an empty cell,
    # booleans are spelled true/false.
    card = write(tmp_path, line_chart())
    assert (card / "fig-coca.csv").read_text(encoding="utf-8").splitlines() == [
        "year,hectares,iso3,headline",
        "2010,61200.5,PER,true",
        "2011,62500.0,PER,false",
        "2012,,COL,true",
        "2013,49800.25,COL,true",
    ]


def test_metadata_names_the_marks_of_each_dataset(tmp_path):
    card = write(tmp_path, layered_chart())
    meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
    assert [(d["columns"], d["marks"]) for d in meta["data"]["datasets"]] == [
        (["year", "hectares", "iso3", "headline"], ["line"]), (["level"], ["rule"])]
    facet = json.loads((write(tmp_path / "f", faceted_chart()) / "metadata.json").read_text())
    assert facet["data"]["datasets"][0]["marks"] == ["bar"]  # the facet's inner view


def test_several_datasets_are_told_apart(tmp_path):
    rows = plotted_data(layered_chart())
    assert [r["_dataset"] for r in rows].count(rows[-1]["_dataset"]) == 1  # the rule's one row
    assert rows[-1] == {"_dataset": rows[-1]["_dataset"], "level": 55000}
    assert len({r["_dataset"] for r in rows}) == 2 and len(rows) == 5


# --- metadata, zip, images -------------------------------------------------------------------

def test_metadata_validates(tmp_path):
    card = write(tmp_path, line_chart())
    meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
    jsonschema.validate(meta, METADATA_SCHEMA)
    assert (meta["id"], meta["caption"], meta["edition"]) == ("fig-coca", "Coca area by year", EDITION)
    assert meta["alt"].startswith("Line chart") and meta["sources"] == ["unodc_coca_2023"]
    assert meta["data"]["rows"] == 4
    assert meta["data"]["columns"] == [
        {"name": "year", "type": "integer"}, {"name": "hectares", "type": "number"},
        {"name": "iso3", "type": "string"}, {"name": "headline", "type": "boolean"}]


def test_metadata_schema_rejects_a_card_without_alt(tmp_path):
    card = write(tmp_path, line_chart())
    meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
    del meta["alt"]
    with pytest.raises(jsonschema.ValidationError, match="'alt' is a required property"):
        jsonschema.validate(meta, METADATA_SCHEMA)


def test_zip_opens_and_holds_the_four_files(tmp_path):
    card = write(tmp_path, line_chart())
    with zipfile.ZipFile(tmp_path / "fig-coca.zip") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [f"fig-coca/{n}" for n in card_files("fig-coca")]
        for name in card_files("fig-coca"):
            assert archive.read(f"fig-coca/{name}") == (card / name).read_bytes()


def test_zip_bytes_are_reproducible(tmp_path):
    write(tmp_path / "a", line_chart())
    write(tmp_path / "b", line_chart())
    assert (tmp_path / "a" / "fig-coca.zip").read_bytes() == (tmp_path / "b" / "fig-coca.zip").read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (bytes 16-24 after the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_size(text: str) -> tuple[int, int]:
    """Width and height attributes of the root <svg> element."""
    root = re.search(r"<svg\b[^>]*>", text).group(0)
    return (int(float(re.search(r'\bwidth="([\d.]+)"', root).group(1))),
            int(float(re.search(r'\bheight="([\d.]+)"', root).group(1))))


@pytest.mark.parametrize("make", [line_chart, values_chart])
def test_png_is_twice_the_svg(tmp_path, make):
    card = write(tmp_path, make())
    width, height = svg_size((card / "fig-coca.svg").read_text(encoding="utf-8"))
    assert width > 50 and height > 50
    assert png_size((card / "fig-coca.png").read_bytes()) == (2 * width, 2 * height)


def test_accepts_altair_chart_and_json_text(tmp_path):
    chart = alt.Chart(frame()).mark_point().encode(x="year:O", y="hectares:Q")
    a = write(tmp_path / "a", chart)
    b = write(tmp_path / "b", json.dumps(chart.to_dict()))
    assert (a / "fig-coca.csv").read_bytes() == (b / "fig-coca.csv").read_bytes()


# --- refusals: a clear message, nothing written ----------------------------------------------

@pytest.mark.parametrize("spec, message", [
    ({"data": {"url": "data/x.csv"}, "mark": "bar"}, "not inline values"),
    ({"mark": "bar", "encoding": {}}, "the spec has no data"),
    ({"data": {"values": [{"a": 1}, {"a": "x"}]}, "mark": "bar"}, "column 'a' holds"),
    ({"data": {"values": [{"a": {"b": 1}}]}, "mark": "bar"}, "column 'a' holds"),
    ({"data": {"values": [1, 2, 3]}, "mark": "tick"}, "is not a list of records"),
    ({"data": {"values": "a,b\n1,2", "format": {"type": "csv"}}, "mark": "bar"},
     "not inline values"),
])
def test_refuses_data_a_csv_cannot_hold(tmp_path, spec, message):
    with pytest.raises(CardError, match=message):
        write(tmp_path, spec)
    assert list(tmp_path.iterdir()) == []


def test_refuses_bad_id_and_missing_alt(tmp_path):
    with pytest.raises(CardError, match="is not a plain name"):
        write(tmp_path, values_chart(), fig_id="../escape")
    with pytest.raises(CardError, match="alt text must be given and differ from the caption"):
        write_figure_card(tmp_path, "fig-a", values_chart(), "Same", "Same", ["s"], "c", None)
    assert list(tmp_path.iterdir()) == []


# --- sources from the caption ----------------------------------------------------------------

def test_caption_sources_known_answer():
    caption = ("Peru against Colombia, see @fig-other. Source: UNODC [@unodc_wdr2025_coca; "
               "@unodc_wdr2022_coca, p. 12] and [see @wdi_homicide.] [@unodc_wdr2025_coca] "
               "[@sec-growers] write to a@b.org")
    assert caption_sources(caption) == ["unodc_wdr2025_coca", "unodc_wdr2022_coca", "wdi_homicide"]
    assert caption_sources("No source line.") == []


# --- end to end: the cards of a book rendered by the real renderer ---------------------------

@pytest.mark.slow
def test_cards_of_every_figure_of_a_rendered_book(tmp_path):
    import shutil
    from pathlib import Path

    from renderer import render_book

    book = Path(__file__).resolve().parent / "renderer" / "book"
    project = Path(shutil.copytree(book, tmp_path / "book", ignore=shutil.ignore_patterns(
        ".render-cache", "_book", "_book.*", "__pycache__")))
    result = render_book(project, tmp_path / "out", formats=("html",))
    assert result.figures, "the renderer's test book has figures"
    for fig in result.figures:
        card = write_figure_card(tmp_path / "out" / "figures", fig["id"], fig["spec"],
                                 fig["caption"], fig["alt"], caption_sources(fig["caption"]),
                                 "citation", EDITION)
        rows = read_card_csv(card / f"{fig['id']}.csv")
        assert replot_spec(fig["spec"], rows) == fig["spec"]
        meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
        jsonschema.validate(meta, METADATA_SCHEMA)
        assert meta["sources"] and all(not s.startswith("fig-") for s in meta["sources"])
        with zipfile.ZipFile(tmp_path / "out" / "figures" / f"{fig['id']}.zip") as archive:
            assert len(archive.namelist()) == 4
