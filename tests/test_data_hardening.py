"""Issue 15, the data side: `paradox check` rejects everything the loader and the render would.

Each case plants one fault in a copy of data/ and records the edited files' checksums (as a
user who ran `paradox describe` before this check existed would have), so the fault's line
is the only one. Each asserts the exact sentence, exit code 1 from `paradox check`, that
`paradox render` refuses the folder before it writes anything, that no traceback is printed,
and that the data folder is byte-identical afterwards.
"""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.load import _CACHE as LOADED
from analysis.data import check_folder, load
from analysis.data.describe import write_descriptor
from analysis.data.schemas import table_schemas
from paradox.cli import main
from tests.digests import file_digest

pytestmark = pytest.mark.usefixtures("unmemoised_validation")  # tests/conftest.py: each test runs the cell checks

STALE = "checksum does not match datapackage.json"


# ---------------------------------------------------------------- helpers

def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write RFC 4180 CSV: a cell holding a comma, quote, CR or LF is quoted (Python's csv
    writer leaves a lone CR unquoted when the line terminator is LF; a reader then splits the
    row there)."""
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text
    path.write_text("".join(",".join(map(cell, row)) + "\n" for row in rows), encoding="utf-8", newline="")


def set_cell(data: Path, table: str, field: str, value: str, row: int = 2) -> None:
    """Set `field` of file row `row` (header = 1; no quoted newlines in the tables edited here)."""
    rows = read_rows(data / f"{table}.csv")
    rows[row - 1][rows[0].index(field)] = value
    write_rows(data / f"{table}.csv", rows)


def edit_schema(data: Path, table: str, edit) -> None:
    path = data / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def line_of(path: Path, start: str) -> int:
    """The editor line (1 = header) of the line starting with `start`."""
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if l.startswith(start))


def refused(data: Path, tmp_path: Path, capsys, monkeypatch) -> list[str]:
    """stderr lines of `paradox check DATA` (asserting exit 1, no traceback, folder untouched),
    after asserting that `paradox render --data DATA` refuses the folder before writing."""
    import renderer

    def must_not_render(*args, **kwargs):
        raise AssertionError("the render started on data that check must refuse")

    monkeypatch.setattr(renderer, "render_book", must_not_render)
    before = file_digest(data)
    out = tmp_path / "book"
    assert main(["render", "--to", "html", "--data", str(data), "--out", str(out)]) == 1
    rendered = capsys.readouterr()
    assert not out.exists() and "Traceback" not in rendered.err
    assert rendered.err.splitlines()[-1].endswith("nothing was rendered.")
    assert main(["check", str(data)]) == 1
    checked = capsys.readouterr()
    assert "Traceback" not in checked.err and checked.out == ""
    assert file_digest(data) == before
    lines = checked.err.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) in {data}"
    assert rendered.err.splitlines()[:-1] == lines[:-1]
    return lines[:-1]


def recorded(data: Path) -> Path:
    """Record the folder's current checksums in datapackage.json (bypassing describe's check)."""
    write_descriptor(data)
    return data


# ---------------------------------------------------------------- item 3: characters in text

PERU = "PER,Peru,"


@pytest.mark.parametrize("char, escaped, why", [
    ("\x00", "\\x00", "U+0000, a control character"),
    ("\x1b", "\\x1b", "U+001B, a control character"),
    ("\x0c", "\\x0c", "U+000C, a control character"),
    ("\x0b", "\\x0b", "U+000B, a control character"),
    ("\x7f", "\\x7f", "U+007F, a control character"),
    ("\x85", "\\x85", "U+0085, a control character"),
    ("\ufffe", "\\ufffe", "U+FFFE, a Unicode non-character"),
    ("\uffff", "\\uffff", "U+FFFF, a Unicode non-character"),
    ("\ufdd0", "\\ufdd0", "U+FDD0, a Unicode non-character"),
    ("\U0010ffff", "\\U0010ffff", "U+10FFFF, a Unicode non-character"),
])
def test_control_characters_and_non_characters_in_text_are_refused(data, tmp_path, capsys, monkeypatch, char, escaped, why):
    line = line_of(data / "countries.csv", PERU)
    path = data / "countries.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(PERU, f"PER,Pe{char}ru,"), encoding="utf-8", newline="")
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        f'countries.csv: row {line}: name: expected text without control characters or non-characters, '
        f'got "Pe{escaped}ru" ({why}, at character 3)']


@pytest.mark.parametrize("text", ["Pe\tru", "Pe\nru", "Pe\r\nru", "Perú \u2014 \U0001F1F5\U0001F1EA", ' "Peru", ; Perú '])
def test_tabs_line_breaks_and_any_other_text_are_kept_exactly(data, text):
    line = line_of(data / "countries.csv", PERU)
    set_cell(data, "countries", "name", text, row=line)
    assert check_folder(recorded(data)) == []
    countries = load("countries", data_dir=data)
    assert countries.loc[countries["iso3"] == "PER", "name"].tolist() == [text]


# ---------------------------------------------------------------- item 4: what the loader refuses

NUMBER_HINT = "(write numbers with the digits 0-9 only, without spaces or separators)"


@pytest.mark.parametrize("cell", ["79_805", "\u0667\u0669\u0668\u0660\u0665", "\uff17\uff19\uff18\uff10\uff15", " 79805", "79805 "])
def test_numbers_must_be_written_in_ascii_digits(data, tmp_path, capsys, monkeypatch, cell):
    # population.csv line 2 is Aruba 1995, 79805 people (frictionless took all of these as 79805)
    assert read_rows(data / "population.csv")[1] == ["ABW", "1995", "79805", "wdi_population"]
    set_cell(data, "population", "population", cell)
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        f'population.csv: row 2: population: expected an integer >= 0, got "{cell}" {NUMBER_HINT}']


def test_an_underscore_in_a_decimal_number_is_refused(data, tmp_path, capsys, monkeypatch):
    # coca_eradication.csv line 2: Bolivia 2009, 6341 hectares eradicated
    set_cell(data, "coca_eradication", "hectares", "6_341.5")
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        f'coca_eradication.csv: row 2: hectares: expected a number >= 0, got "6_341.5" {NUMBER_HINT}']


def test_a_table_with_a_header_and_no_rows_is_refused(data, tmp_path, capsys, monkeypatch):
    # the render failed in chapter 6: "attempt to get argmax of an empty sequence"
    (data / "coca_eradication.csv").write_text("iso3,year,hectares,source_id\n", encoding="utf-8")
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        "coca_eradication.csv: has a header but no rows; the book needs at least one row of every table"]


@pytest.mark.parametrize("entry, shown", [(5, "5"), (None, "null"), (["homicide"], '["homicide"]'), ("homicide", '"homicide"')])
def test_a_resource_that_is_not_an_object_is_refused(data, tmp_path, capsys, monkeypatch, entry, shown):
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].insert(3, entry)
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert refused(data, tmp_path, capsys, monkeypatch) == [
        f"datapackage.json: resources[3] is {shown}; expected an object with the name, path and schema of a table"]


def test_a_resource_listed_twice_is_refused(data, tmp_path, capsys, monkeypatch):
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].append(descriptor["resources"][0])
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert refused(data, tmp_path, capsys, monkeypatch) == ["datapackage.json: resource 'sources' is listed more than once"]


@pytest.mark.parametrize("levels", [21, 100_000])
def test_a_deeply_nested_descriptor_is_one_sentence(data, tmp_path, capsys, monkeypatch, levels):
    # 100,000 levels: Python's JSON parser raised RecursionError, a traceback from `check`
    (data / "datapackage.json").write_text('{"resources": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}", encoding="utf-8")
    assert refused(data, tmp_path, capsys, monkeypatch) == [
        f"datapackage.json: is nested more than 20 levels deep; expected a data package descriptor; "
        f"delete it and run `paradox describe {data}` to rebuild it"]


def test_a_deeply_nested_schema_is_one_sentence_and_its_table_is_still_checked(data, tmp_path, capsys, monkeypatch):
    (data / "schemas" / "population.json").write_text('{"fields": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    set_cell(data, "population", "population", "-1")
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        "schemas/population.json: is nested more than 20 levels deep; expected the project's table schema",
        'population.csv: row 2: population: expected an integer >= 0, got "-1"']


def test_a_control_character_in_the_descriptor_is_refused(data, tmp_path, capsys, monkeypatch):
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][2]["title"] = "Population\x1b[2J"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert refused(data, tmp_path, capsys, monkeypatch) == [
        'datapackage.json: resources[2].title: expected text without control characters or non-characters, '
        'got "Population\\x1b[2J" (U+001B, a control character, at character 11)']


# ---------------------------------------------------------------- item 5: the folder's schemas

def _drop(*keys):
    def edit(schema):
        target = schema
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return edit


def _set(value, *keys):
    def edit(schema):
        target = schema
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return edit


SCHEMA_EDITS = [
    # (table, edit, the line naming the schema file and what differs)
    ("coca_cultivation", _drop("fields", 2, "constraints", "minimum"),
     "schemas/coca_cultivation.json: field 'hectares': constraint minimum is missing (the project's schema has 0)"),
    ("population", _set(2100, "fields", 1, "constraints", "maximum"),
     "schemas/population.json: field 'year': constraint maximum is 2100 (the project's schema has 2030)"),
    ("coca_cultivation", _set(["net_area_dec31", "satellite_interpreted", "gross"], "fields", 3, "constraints", "enum"),
     'schemas/coca_cultivation.json: field \'measure\': constraint enum is ["net_area_dec31", "satellite_interpreted", "gross"] '
     '(the project\'s schema has ["net_area_dec31", "satellite_interpreted"])'),
    ("population", _set(False, "fields", 0, "constraints", "required"),
     "schemas/population.json: field 'iso3': constraint required is false (the project's schema has true)"),
    ("population", _drop("fields", 0, "constraints", "pattern"),
     "schemas/population.json: field 'iso3': constraint pattern is missing (the project's schema has \"^[A-Z]{3}$\")"),
    ("population", _set("number", "fields", 2, "type"),
     "schemas/population.json: field 'population': type is \"number\" (the project's schema has \"integer\")"),
    ("coca_eradication", _drop("primaryKey"),
     "schemas/coca_eradication.json: primaryKey is missing (the project's schema has [\"iso3\", \"year\", \"source_id\"])"),
    ("coca_eradication", _set(["iso3", "year"], "primaryKey"),
     "schemas/coca_eradication.json: primaryKey is [\"iso3\", \"year\"] (the project's schema has [\"iso3\", \"year\", \"source_id\"])"),
    ("coca_eradication", _drop("foreignKeys"),
     "schemas/coca_eradication.json: foreignKeys is missing (the project's schema has "
     "[{\"fields\": [\"source_id\"], \"reference\": {\"resource\": \"sou...)"),
    ("coca_eradication", _set({"unique": True}, "fields", 2, "constraints"),
     "schemas/coca_eradication.json: field 'hectares': constraint required is missing (the project's schema has true)"),
]


@pytest.mark.parametrize("table, edit, expected", SCHEMA_EDITS, ids=[e[2].split(": ", 1)[1][:40] for e in SCHEMA_EDITS])
def test_a_schema_that_differs_from_the_projects_is_refused(data, tmp_path, capsys, monkeypatch, table, edit, expected):
    edit_schema(data, table, edit)
    assert refused(data, tmp_path, capsys, monkeypatch)[0] == expected


def test_without_its_minimum_a_negative_area_is_still_refused(data, tmp_path, capsys, monkeypatch):
    # issue 15: the book printed "Peru had −92,800 hectares"
    edit_schema(data, "coca_cultivation", _drop("fields", 2, "constraints", "minimum"))
    path = data / "coca_cultivation.csv"
    line = line_of(path, "PER,2023,92800,")
    path.write_text(path.read_text(encoding="utf-8").replace("PER,2023,92800,", "PER,2023,-92800,"), encoding="utf-8")
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        "schemas/coca_cultivation.json: field 'hectares': constraint minimum is missing (the project's schema has 0)",
        f'coca_cultivation.csv: row {line}: hectares: expected a number >= 0, got "-92800"']


def test_without_its_primary_key_a_duplicate_is_still_refused(data, tmp_path, capsys, monkeypatch):
    edit_schema(data, "coca_eradication", _drop("primaryKey"))
    rows = read_rows(data / "coca_eradication.csv")
    write_rows(data / "coca_eradication.csv", rows[:2] + [rows[1]] + rows[2:])  # BOL 2009 again, line 3
    lines = refused(recorded(data), tmp_path, capsys, monkeypatch)
    assert lines[0] == "schemas/coca_eradication.json: primaryKey is missing (the project's schema has [\"iso3\", \"year\", \"source_id\"])"
    assert lines[1].startswith("coca_eradication.csv: row 3: duplicate key (iso3=BOL, year=2009, source_id=unodc_wdr2022_eradication)")
    assert len(lines) == 2


def test_a_field_added_to_schema_and_table_is_refused(data, tmp_path, capsys, monkeypatch):
    edit_schema(data, "coca_eradication", lambda s: s["fields"].append({"name": "comment", "type": "string"}))
    rows = read_rows(data / "coca_eradication.csv")
    write_rows(data / "coca_eradication.csv", [r + (["comment"] if i == 0 else ["x"]) for i, r in enumerate(rows)])
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        "schemas/coca_eradication.json: field 'comment' is not in the project's schema",
        "coca_eradication.csv: row 1: unknown column 'comment' (expected only: iso3, year, hectares, source_id)"]


# ---------------------------------------------------------------- item 7: the dialect, editor lines

def test_the_dialect_is_comma_even_where_a_sniffer_would_guess_semicolons(data):
    # Quoted notes full of `; "..."` made frictionless's sniffer read sources.csv as
    # semicolon-separated: 11 "Missing/Incorrect Label" lines without row numbers.
    rows = read_rows(data / "sources.csv")
    note = 'See tables "7"; "8"; "9"'
    write_rows(data / "sources.csv", [rows[0]] + [[c.replace(",", "") for c in r[:-1]] + [note] for r in rows[1:]])
    text = (data / "sources.csv").read_text(encoding="utf-8")
    assert csv.Sniffer().sniff(text, ",\t;|").delimiter == ";"  # the trap is armed
    assert check_folder(recorded(data)) == []
    assert set(load("sources", data_dir=data)["notes"]) == {note}


def test_rows_are_editor_lines_after_quoted_line_breaks(data, tmp_path, capsys, monkeypatch):
    # Three line breaks in the notes of sources.csv rows 2-4 push every later row 3 lines down.
    rows = read_rows(data / "sources.csv")
    for r in rows[1:4]:
        r[-1] = "First line\nsecond line"
    year, title = rows[0].index("year"), rows[0].index("title")
    rows[8][year] = "20x3"            # the 9th row of the file ...
    rows[10][title] = "Title\x00"     # ... and the 11th
    write_rows(data / "sources.csv", rows)
    lines = (data / "sources.csv").read_text(encoding="utf-8").split("\n")
    year_line = next(i for i, l in enumerate(lines, 1) if ",20x3," in l)
    title_line = next(i for i, l in enumerate(lines, 1) if "Title\x00" in l)
    assert (year_line, title_line) == (12, 14)  # what an editor shows
    assert refused(recorded(data), tmp_path, capsys, monkeypatch) == [
        # datapackage.json lists each source's title: the descriptor is checked too
        'datapackage.json: sources[9].title: expected text without control characters or non-characters, '
        'got "Title\\x00" (U+0000, a control character, at character 6)',
        'sources.csv: row 12: year: expected an integer between 1990 and 2030, got "20x3"',
        'sources.csv: row 14: title: expected text without control characters or non-characters, '
        'got "Title\\x00" (U+0000, a control character, at character 6)']


# ---------------------------------------------------------------- item 9: links, the cap

def test_a_symlinked_csv_is_refused_without_reading_its_target(data, tmp_path, capsys, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FIRST-LINE,hunter2\n", encoding="utf-8")
    (data / "population.csv").unlink()
    os.symlink(secret, data / "population.csv")
    lines = refused(data, tmp_path, capsys, monkeypatch)
    assert lines == ["population.csv: is a symbolic link; a data folder must hold the file itself (copy the file in its place)"]
    assert "TOP-SECRET" not in "\n".join(lines)


def test_more_than_ten_thousand_problems_in_a_file_is_stated(data, capsys):
    # 10,140 countries, each name with an ESC: 10,140 problems in countries.csv
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    header = read_rows(data / "countries.csv")[0]
    rows = [[a + b + c, "Land\x1b", "Americas", "South America", "false", "false"]
            for a in letters for b in letters for c in letters[:15]]
    assert len(rows) == 10_140
    write_rows(data / "countries.csv", [header] + rows)
    assert main(["check", str(recorded(data))]) == 1
    lines = capsys.readouterr().err.splitlines()
    problem = 'name: expected text without control characters or non-characters, got "Land\\x1b" (U+001B, a control character, at character 5)'
    assert lines[0] == f"countries.csv: row 2: {problem}"
    assert lines[9_999] == f"countries.csv: row 10001: {problem}"
    assert lines[10_000:] == [
        "countries.csv: more than 10,000 problems; only the first 10,000 are listed (fix them and check again to see the rest)",
        f"10001 problem(s) in {data}"]


# ---------------------------------------------------------------- the property

def _text_fields() -> list[tuple[str, str]]:
    return [(name, f["name"]) for name, schema in table_schemas().items() for f in schema["fields"] if f["type"] == "string"]


def _forbidden(text: str) -> bool:
    """Control characters other than tab/LF/CR, and non-characters (written out again here)."""
    for c in text:
        o = ord(c)
        if (o < 0x20 and c not in "\t\n\r") or 0x7F <= o <= 0x9F or 0xFDD0 <= o <= 0xFDEF or o & 0xFFFE == 0xFFFE:
            return True
    return False


TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(list('Pe ru,;"\'\t\n\r\x00\x1b\x0c\x7f\x85\ufffe\uffff\ufdd0\u2028\ufeff\u202e')), max_size=12),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
)


@pytest.fixture
def small_data(data) -> Path:
    """A small valid data folder: data/ with its four largest tables cut to their first 30 rows
    (their keys point into countries and sources, which stay whole), checksums recorded."""
    for table in ("homicide", "cocaine_seizures", "corruption", "cocaine_use"):
        write_rows(data / f"{table}.csv", read_rows(data / f"{table}.csv")[:31])
    assert check_folder(recorded(data)) == []
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(_text_fields()), text=TEXT)
def test_any_text_in_any_text_field_is_refused_with_a_sentence_or_loaded_exactly(small_data, target, text):
    """Arbitrary text (control characters included) in a text cell: `check` names the cell's
    problem, or it accepts the text and the loader returns exactly that text."""
    table, field = target
    data = small_data
    path = data / f"{table}.csv"
    original = path.read_bytes()
    try:
        set_cell(data, table, field, text)
        problems = [p for p in check_folder(data) if STALE not in p.message]
        lines = [str(p) for p in problems]
        assert all("\n" not in line and "could not be" not in line for line in lines), lines
        if _forbidden(text):
            assert any(p.file == f"{table}.csv" and p.row == 2 and p.field == field for p in problems), lines
        if not problems:
            LOADED.clear()  # same size within one mtime tick would hit the loader's cache
            got = load(table, data_dir=data)[field].iloc[0]
            assert (got == text) if text != "" else (isinstance(got, float) and math.isnan(got))
    finally:
        path.write_bytes(original)
