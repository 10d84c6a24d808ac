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


@pytest.mark.parametrize("field, words", [
    ({"type": "integer", "constraints": {"minimum": 1990, "maximum": 2030}}, "an integer between 1990 and 2030"),
    ({"type": "number", "constraints": {"minimum": 0}}, "a number >= 0"),
    ({"type": "number", "constraints": {"maximum": 100}}, "a number <= 100"),
    ({"type": "string", "constraints": {"pattern": "[A-Z]{3}"}}, "text matching [A-Z]{3}"),
    ({"type": "boolean"}, "true or false"),
    ({}, "text"),                                  # no type: Table Schema's default, a string
    ({"type": "geopoint"}, "geopoint"),            # a type without words: its own name
    ({"type": "string", "constraints": {"enum": ["true", "false", 3]}}, "one of true, false, 3"),
    ({"type": "integer", "constraints": {"minimum": 0, "enum": [1, 2]}}, "one of 1, 2"),  # the list says it all
])
def test_what_a_valid_cell_looks_like_is_said_in_words(field, words):
    from analysis.data.validate import expectation

    assert expectation(field) == words


# --- whole folders: each structural fault gives its one line ---------------------------------

def _lines(folder) -> list[str]:
    """check_folder's lines, without the checksum line an edit made here always adds."""
    from analysis.data.validate import check_folder

    return [str(p) for p in check_folder(folder) if "checksum does not match" not in p.message]


def _header(data, table: str, header: str, newline: str = "\n") -> None:
    """Replace the first line of `table`.csv, keeping the rows."""
    path = data / f"{table}.csv"
    rows = path.read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_bytes((header + newline + rows.replace("\n", newline)).encode("utf-8"))


def test_a_missing_folder_is_one_line(tmp_path):
    assert _lines(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: data folder not found"]


@pytest.mark.parametrize("sep, label", [(";", "semicolons"), ("\t", "tabs"), ("|", "pipes")])
def test_a_header_separated_by_something_else_says_by_what(data, sep, label):
    _header(data, "countries", sep.join(["iso3", "name", "region", "subregion"]))
    assert _lines(data) == ["countries.csv: row 1: not comma-separated: the header is separated by "
                            f"{label}; save it as CSV with commas"]


def test_windows_line_endings_are_a_valid_header(data):
    path = data / "countries.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    _header(data, "countries", header, newline="\r\n")
    assert not [l for l in _lines(data) if "row 1" in l]


def test_a_column_named_twice_is_named_once(data):
    path = data / "countries.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    _header(data, "countries", header + ",name")
    lines = [l for l in _lines(data) if l.startswith("countries.csv: row 1")]
    assert "countries.csv: row 1: column 'name' appears more than once" in lines
    assert lines.count("countries.csv: row 1: column 'name' appears more than once") == 1


def test_a_bug_in_a_table_check_is_a_line_naming_the_table(data, monkeypatch):
    from analysis.data import validate

    def broken(folder, name, schema, problems):
        if name == "homicide":
            raise RuntimeError("boom")
        return None

    monkeypatch.setattr(validate, "check_table", broken)
    assert "homicide.csv: could not be checked (RuntimeError: boom)" in _lines(data)


def test_a_bug_in_the_cross_checks_is_a_line_naming_the_descriptor(data, monkeypatch):
    from analysis.data import validate

    monkeypatch.setattr(validate, "check_references", lambda rows, schemas: 1 / 0)
    assert _lines(data)[-1] == "datapackage.json: could not be cross-checked (ZeroDivisionError: division by zero)"


def test_exactly_the_limit_of_problems_has_no_more_line():
    from analysis.data.problems import Problem
    from analysis.data.validate import LIMIT, capped

    at = [Problem("a.csv", message="x")] * LIMIT
    assert capped(at) == at
    over = capped(at + [Problem("a.csv", message="y")])
    assert len(over) == LIMIT + 1 and over[-1].message.startswith(f"more than {LIMIT:,} problems")


def test_an_integer_column_refuses_a_decimal_a_number_column_takes_it():
    from analysis.data.cells import is_plain_number

    assert not is_plain_number("1.5", "integer") and is_plain_number("1.5", "number")
    assert is_plain_number("15", "integer")


@pytest.mark.parametrize("written", ["true", "True", "TRUE", "1"])
def test_a_second_headline_for_a_country_year_names_both_rows(data, written):
    """Row 3 of coca_cultivation.csv (BOL 2010, WDR 2022) is made a headline too: row 4
    (BOL 2010, WDR 2025) already is, and the report can use only one. Every way a CSV may
    write true counts."""
    path = data / "coca_cultivation.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[2] == "BOL,2010,31000,satellite_interpreted,false,unodc_wdr2022_coca"
    lines[2] = lines[2].replace(",false,", f",{written},")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _lines(data) == ["coca_cultivation.csv: row 4: headline: second headline value for BOL 2010 "
                            "(first on row 3)"]


def test_a_short_row_is_one_missing_cell_not_also_an_empty_required_one(data):
    """frictionless reports a cell the row lacks as missing and, the field being required,
    as empty too: the second only repeats the first (validate.is_echo)."""
    path = data / "homicide.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1] == "ABW,1995,7.903264,,wdi_series,World Bank WDI (UNODC/WHO),wdi_homicide"
    lines[1] = lines[1].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _lines(data) == ["homicide.csv: row 2: source_id: cell is missing (the row has fewer cells than the header)"]


def test_two_blank_rows_are_two_lines_not_also_a_duplicate_key(data):
    """Two blank rows share an empty key: frictionless says so, but that only repeats that
    the rows are blank."""
    path = data / "homicide.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(2, ",,,,,,")
    lines.insert(4, ",,,,,,")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _lines(data) == ["homicide.csv: row 3: row is blank", "homicide.csv: row 5: row is blank"]
