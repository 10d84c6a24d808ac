"""Known answers for the one-line problems bad data produces: `to_problem` and `to_text`
rewrite each kind of frictionless error into the exact line a user reads (file, row, column,
what was expected). Errors are stand-ins carrying the attributes frictionless sets."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from analysis.data.validate import to_problem, to_text

pytestmark = pytest.mark.usefixtures("unmemoised_validation")  # tests/conftest.py: each test runs the cell checks

FIELDS = {"rate_per_100k": {"name": "rate_per_100k", "type": "number",
                            "constraints": {"minimum": 0, "required": True}},
          "year": {"name": "year", "type": "integer", "constraints": {"minimum": 1990,
                                                                     "maximum": 2030}}}
SCHEMA = {"fields": [{"name": "iso3"}, {"name": "year"}, {"name": "rate_per_100k"}],
          "primaryKey": ["iso3", "year"]}


def err(kind, **kw):
    return SimpleNamespace(type=kind, note=kw.pop("note", ""), title=kw.pop("title", ""), **kw)


def line(kind, **kw):
    return str(to_problem("homicide.csv", 14, err(kind, **kw), FIELDS, SCHEMA))


@pytest.mark.parametrize("kind", ["type-error", "constraint-error"])
def test_a_bad_cell_names_what_was_expected(kind):
    assert line(kind, field_name="rate_per_100k", cell="-3") == (
        'homicide.csv: row 14: rate_per_100k: expected a number >= 0, got "-3"')
    assert line(kind, field_name="year", cell="1890") == (
        'homicide.csv: row 14: year: expected an integer between 1990 and 2030, got "1890"')


@pytest.mark.parametrize("cell", [None, ""])
def test_an_empty_required_cell_says_a_value_is_required(cell):
    assert line("constraint-error", field_name="rate_per_100k", cell=cell) == (
        "homicide.csv: row 14: rate_per_100k: a value is required, got an empty cell")
    # not required: the expectation, with the empty cell shown
    assert line("type-error", field_name="year", cell="") == (
        'homicide.csv: row 14: year: expected an integer between 1990 and 2030, got ""')


def test_row_shape_problems():
    assert line("missing-cell", field_name="rate_per_100k") == (
        "homicide.csv: row 14: rate_per_100k: cell is missing (the row has fewer cells than "
        "the header)")
    assert line("extra-cell", cell="x\ny") == (
        'homicide.csv: row 14: has more cells than the header (extra value "x\\ny")')
    assert line("blank-row") == "homicide.csv: row 14: row is blank"


@pytest.mark.parametrize("kind", ["primary-key", "unique-error"])
def test_a_duplicate_key_names_the_key(kind):
    assert line(kind, cells=["PER", "2012", "6.7"], note="row 3 has the same key") == (
        "homicide.csv: row 14: duplicate key (iso3=PER, year=2012); row 3 has the same key")
    # no cells on the error: the key's values are unknown
    assert line(kind, cells=None, note="n") == "homicide.csv: row 14: duplicate key (iso3=?, year=?); n"


def test_other_errors_keep_frictionless_text():
    assert line("encoding-error", field_name=None, note="  not UTF-8 \n") == (
        "homicide.csv: row 14: not UTF-8")
    # a field the schema does not know is not rewritten as an expectation
    assert line("type-error", field_name="other", cell="1", note="bad") == (
        "homicide.csv: row 14: other: bad")


def test_to_text_prefers_note_then_title_then_the_error():
    assert to_text(SimpleNamespace(note=" a ", title="b")) == "a"
    assert to_text(SimpleNamespace(note="", title=" b ")) == "b"

    class E:
        note = title = ""

        def __str__(self):
            return " c "
    assert to_text(E()) == "c"
