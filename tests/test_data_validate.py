"""check_folder / DataValidationError: one line per problem, every problem at once, nothing written.

The bad-input corpus is built here from a copy of data/ in tmp_path; each case pins the exact
line a user will read and asserts the folder is byte-identical afterwards.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data import DataValidationError, check_folder, load
from analysis.data.describe import describe_folder
from tests.digests import file_digest
from analysis.data.paths import DEFAULT_DATA

pytestmark = pytest.mark.usefixtures("unmemoised_validation")  # tests/conftest.py: each test runs the cell checks

STALE = "checksum does not match datapackage.json (the file was edited)"


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace `old` by `new` once in file line `line` (1 = header), asserting it was there."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def lines_of(folder: Path) -> list[str]:
    """check_folder's problems as the lines a user reads, checksum reminders left out."""
    return [str(p) for p in check_folder(folder) if STALE not in p.message]


def assert_untouched(folder: Path, before: dict) -> None:
    """The folder is byte-identical to the snapshot."""
    assert file_digest(folder) == before


def test_the_curated_folder_is_valid():
    assert check_folder(DEFAULT_DATA) == []


def test_negative_count_is_reported_with_file_row_field_and_value(data):
    # line 14 of homicide.csv is Aruba 2006 (WDI series); a rate of -3 violates minimum 0
    path = data / "homicide.csv"
    lines = path.read_text().split("\n")
    assert lines[13].startswith("ABW,2006,") and lines[13].endswith(",,wdi_series,World Bank WDI (UNODC/WHO),wdi_homicide")
    lines[13] = "ABW,2006,-3,,wdi_series,World Bank WDI (UNODC/WHO),wdi_homicide"
    path.write_text("\n".join(lines))
    before = file_digest(data)
    assert lines_of(data) == ['homicide.csv: row 14: rate_per_100k: expected a number between 0 and 1000, got "-3"']
    assert_untouched(data, before)


def test_negative_integer_count(data):
    edit_line(data / "homicide.csv", 5, ",5,public_health", ",-5,public_health")
    before = file_digest(data)
    assert lines_of(data) == ['homicide.csv: row 5: count: expected an integer >= 0, got "-5"']
    assert_untouched(data, before)


def test_missing_column(data):
    path = data / "population.csv"
    path.write_text("\n".join(",".join(l.split(",")[:2] + l.split(",")[3:]) for l in path.read_text().split("\n")))
    before = file_digest(data)
    assert "population.csv: row 1: missing column 'population'" in lines_of(data)
    assert_untouched(data, before)


def test_extra_unknown_column(data):
    path = data / "coca_eradication.csv"
    rows = path.read_text().rstrip("\n").split("\n")
    path.write_text("\n".join([rows[0] + ",comment"] + [r + ",x" for r in rows[1:]]) + "\n")
    before = file_digest(data)
    assert lines_of(data) == ["coca_eradication.csv: row 1: unknown column 'comment' (expected only: iso3, year, hectares, source_id)"]
    assert_untouched(data, before)


def test_wrong_type(data):
    edit_line(data / "population.csv", 2, ",79805,", ",lots,")
    before = file_digest(data)
    assert lines_of(data) == ['population.csv: row 2: population: expected an integer >= 0, got "lots"']
    assert_untouched(data, before)


def test_percentage_above_100(data):
    edit_line(data / "cocaine_use.csv", 3, ",0.08,", ",180,")
    before = file_digest(data)
    assert lines_of(data) == ['cocaine_use.csv: row 3: prevalence_pct: expected a number between 0 and 100, got "180"']
    assert_untouched(data, before)


def test_duplicate_key(data):
    path = data / "coca_eradication.csv"
    rows = path.read_text().split("\n")
    rows.insert(3, rows[1])  # BOL 2009 again, as line 4
    path.write_text("\n".join(rows))
    before = file_digest(data)
    found = lines_of(data)
    assert len(found) == 1
    assert found[0].startswith("coca_eradication.csv: row 4: duplicate key (iso3=BOL, year=2009, source_id=unodc_wdr2022_eradication)")
    assert_untouched(data, before)


def test_unknown_iso3(data):
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009", "XXX,2009")
    before = file_digest(data)
    assert lines_of(data) == ['coca_eradication.csv: row 2: iso3: "XXX" is not a iso3 in countries.csv']
    assert_untouched(data, before)


def test_malformed_iso3(data):
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009", "Bol,2009")
    assert lines_of(data)[0] == 'coca_eradication.csv: row 2: iso3: expected text matching ^[A-Z]{3}$, got "Bol"'


def test_year_out_of_range(data):
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009", "BOL,2099")
    before = file_digest(data)
    assert lines_of(data) == ['coca_eradication.csv: row 2: year: expected an integer between 1990 and 2030, got "2099"']
    assert_untouched(data, before)


def test_empty_file(data):
    (data / "corruption.csv").write_bytes(b"")
    before = file_digest(data)
    assert lines_of(data) == ["corruption.csv: file is empty (expected a header row: iso3,year,indicator,value,source_id)"]
    assert_untouched(data, before)


def test_wrong_delimiter(data):
    path = data / "coca_eradication.csv"
    path.write_text(path.read_text().replace(",", ";"))
    before = file_digest(data)
    assert lines_of(data) == ["coca_eradication.csv: row 1: not comma-separated: the header is separated by semicolons; save it as CSV with commas"]
    assert_untouched(data, before)


def test_non_utf8_bytes(data):
    path = data / "countries.csv"
    raw = path.read_bytes().replace("Côte d'Ivoire".encode(), "Côte d'Ivoire".encode("latin-1"))
    path.write_bytes(raw)
    line = raw[: raw.index(b"C\xf4te")].count(b"\n") + 1
    before = file_digest(data)
    found = lines_of(data)
    assert found[0] == f"countries.csv: row {line}: not valid UTF-8 (byte 0xf4 at character 6); save the file as UTF-8"
    assert_untouched(data, before)


def test_checksum_mismatch_tells_the_user_to_run_describe(data):
    # a plausible, valid edit: Peru's 2024 national total revised by one hectare
    path = data / "coca_cultivation.csv"
    assert "PER,2024,89755," in path.read_text()
    path.write_text(path.read_text().replace("PER,2024,89755,", "PER,2024,89756,"))
    before = file_digest(data)
    assert [str(p) for p in check_folder(data)] == [
        f"coca_cultivation.csv: checksum does not match datapackage.json (the file was edited); if the edit is deliberate, "
        f"run `paradox describe {data}` to record it, then `paradox check {data}`"
    ]
    assert_untouched(data, before)


def test_missing_file(data):
    (data / "cocaine_use.csv").unlink()
    before = file_digest(data)
    assert lines_of(data) == ["cocaine_use.csv: file is missing"]
    assert_untouched(data, before)


def test_source_id_with_no_source(data):
    edit_line(data / "population.csv", 2, "wdi_population", "wdi_populaton")
    before = file_digest(data)
    assert lines_of(data) == ['population.csv: row 2: source_id: "wdi_populaton" is not a source_id in sources.csv']
    assert_untouched(data, before)


def test_rate_without_population_breaks_coverage(data):
    path = data / "population.csv"
    path.write_text("\n".join(l for l in path.read_text().split("\n") if not l.startswith("PER,2012,")))
    found = lines_of(data)
    # Peru 2012 has a GSH criminal-justice rate, an IHME rate and a WDI rate: three lines
    assert len(found) == 3
    assert all(l.endswith("rate_per_100k: no population for PER 2012 in population.csv") for l in found)


def test_second_headline_value(data):
    path = data / "coca_cultivation.csv"
    path.write_text(path.read_text().replace("PER,2012,60400,satellite_interpreted,false", "PER,2012,60400,satellite_interpreted,true"))
    found = lines_of(data)
    assert len(found) == 1 and "headline: second headline value for PER 2012 (first on row" in found[0]


def test_every_problem_is_reported_at_once(data):
    """Four different files broken four ways -> four lines, in table order."""
    edit_line(data / "population.csv", 2, ",79805,", ",lots,")
    (data / "corruption.csv").write_bytes(b"")
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009", "BOL,2099")
    (data / "cocaine_use.csv").unlink()
    assert [l.split(":")[0] for l in lines_of(data)] == ["population.csv", "coca_eradication.csv", "cocaine_use.csv", "corruption.csv"]


def test_the_exception_carries_every_problem_one_line_each(data):
    edit_line(data / "population.csv", 2, ",79805,", ",lots,")
    (data / "corruption.csv").write_bytes(b"")
    with pytest.raises(DataValidationError, match=r'population.csv: row 2: population: expected an integer >= 0, got "lots"\ncorruption.csv: file is empty') as err:
        describe_folder(data)
    assert len(err.value.problems) == 2


def test_describe_refuses_a_broken_folder_and_writes_nothing(data):
    (data / "cocaine_use.csv").unlink()
    before = file_digest(data)
    with pytest.raises(DataValidationError, match="cocaine_use.csv: file is missing"):
        describe_folder(data)
    assert_untouched(data, before)


def test_load_raises_the_validation_error_for_a_missing_table(data):
    (data / "homicide.csv").unlink()
    with pytest.raises(DataValidationError, match="homicide.csv: file is missing"):
        load("homicide", data_dir=data)


CORRUPTIONS = st.sampled_from(["", "-1", "abc", "1e999", "2099", "x,y", '"', "\u00e9", "NaN", "true", "  ", "1990.5", "\x00"])


def _certainly_invalid(field: dict, value: str) -> bool:
    """Whether `value` breaks the field's declared type or constraints beyond doubt, read from
    the table's schema (data/schemas/*.json) without the validator: a second cell ("x,y"), an
    empty required cell, a non-number in a number column, a fraction in an integer column, a
    word in a boolean column, a value outside the declared minimum/maximum, pattern or enum."""
    kind, c = field["type"], field.get("constraints", {})
    if value == "x,y" or (value == "" and c.get("required")):
        return True
    if value in ("", '"', "\x00", "  "):
        return False  # empty optional cells are allowed; the rest depends on the CSV reader
    if kind in ("integer", "number"):
        try:
            x = float(value)
        except ValueError:
            return True
        if kind == "integer" and not x.is_integer() and value not in ("NaN", "1e999"):
            return True
        if value in ("NaN", "1e999"):
            return False
        return x < c.get("minimum", -math.inf) or x > c.get("maximum", math.inf)
    if kind == "boolean":
        return value not in ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0", "yes", "no")
    if kind == "string":
        return ("pattern" in c and re.fullmatch(c["pattern"], value) is None) or (
            "enum" in c and value not in c["enum"])
    return False


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(["homicide", "coca_cultivation", "cocaine_use", "population", "countries", "article_claims"]),
       row=st.integers(min_value=2, max_value=16), column=st.integers(min_value=0, max_value=5), value=CORRUPTIONS)
def test_random_corruption_gives_problem_lines_never_a_traceback(data, table, row, column, value):
    """Replacing any cell by junk yields only Problem lines (or none if the junk is valid), and
    at least one when the junk is certainly invalid for the column's declared type."""
    path = data / f"{table}.csv"
    original = path.read_bytes()
    fields = json.loads((data / "schemas" / f"{table}.json").read_text())["fields"]
    try:
        lines = original.decode().split("\n")
        plain = '"' not in lines[row - 1]  # no quoted cells: a comma split gives the real cells
        cells = lines[row - 1].split(",")
        target = column % len(cells)
        cells[target] = value
        lines[row - 1] = ",".join(cells)
        path.write_bytes("\n".join(lines).encode())
        problems = check_folder(data)
        assert all(p.file and str(p).count("\n") == 0 for p in problems)
        assert not any("could not be checked" in p.message for p in problems)
        if plain and len(cells) == len(fields) and _certainly_invalid(fields[target], value):
            name = fields[target]["name"]
            assert any(p.row == row and (p.field == name or value == "x,y") for p in problems), (
                f"{table}.csv row {row}: {name} = {value!r} is invalid for its type, but no "
                f"problem names that cell: {[str(p) for p in problems]}")
        try:
            load(table, data_dir=data)
        except DataValidationError:
            pass
    finally:
        path.write_bytes(original)


def test_short_row_gives_one_line_per_missing_cell(data):
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009,6341,unodc_wdr2022_eradication", "BOL,2009")
    before = file_digest(data)
    assert lines_of(data) == [
        "coca_eradication.csv: row 2: hectares: cell is missing (the row has fewer cells than the header)",
        "coca_eradication.csv: row 2: source_id: cell is missing (the row has fewer cells than the header)",
    ]
    assert_untouched(data, before)


def test_blank_row_is_one_line(data):
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009,6341,unodc_wdr2022_eradication", "BOL,2009,6341,unodc_wdr2022_eradication\n")
    assert lines_of(data) == ["coca_eradication.csv: row 3: row is blank"]


@pytest.mark.parametrize("junk", ["NaN", "inf", "-inf", "1e999"])
def test_non_finite_numbers_are_rejected(data, junk):
    # frictionless parses these as floats; a hectare count of NaN or infinity is not data
    edit_line(data / "coca_eradication.csv", 2, "BOL,2009,6341,", f"BOL,2009,{junk},")
    assert lines_of(data) == [f'coca_eradication.csv: row 2: hectares: expected a number >= 0, got "{junk}"']


def test_excel_style_bom_and_crlf_are_accepted(data):
    path = data / "coca_eradication.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert lines_of(data) == []
    assert load("coca_eradication", data_dir=data)["hectares"].iloc[0] == 6341


def test_frictionless_validates_the_package():
    from frictionless import validate

    report = validate(str(DEFAULT_DATA / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_describe_writes_a_missing_descriptor(data):
    expected = (data / "datapackage.json").read_bytes()
    (data / "datapackage.json").unlink()
    assert lines_of(data) == ["datapackage.json: file is missing"]
    assert describe_folder(data) == ["datapackage.json: created (10 resources)"]
    assert (data / "datapackage.json").read_bytes() == expected


def test_an_invalid_schema_is_one_line(data):
    path = data / "schemas" / "coca_eradication.json"
    path.write_text(path.read_text().replace('"type": "number"', '"type": "numbr"'))
    before = file_digest(data)
    assert lines_of(data) == ['schemas/coca_eradication.json: field \'hectares\': type is "numbr" (the project\'s schema has "number")']
    assert_untouched(data, before)


def test_an_impossible_homicide_rate_names_the_upper_bound(data):
    # a rate above 1,000 per 100,000 cannot be real: refused by validation, with the valid range
    path = data / "homicide.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[13].split(",")  # line 14 of the file
    cells[2] = "1e15"
    lines[13] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    messages = [str(p) for p in check_folder(data)]
    assert 'homicide.csv: row 14: rate_per_100k: expected a number between 0 and 1000, got "1e15"' in messages


def test_the_data_layer_imports_run_one_way():
    """No module of analysis/data imports, even inside a function, a module that imports it
    back (issue 16: describe and validate imported each other)."""
    import ast

    root = Path(__file__).resolve().parents[1] / "analysis" / "data"
    graph = {}
    for path in root.glob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis.data."):
                names.add(node.module.split(".")[2])
        graph[path.stem] = names - {path.stem}

    def reaches(start: str, goal: str, seen: set) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert "descriptor" in graph["describe"] and "validate" in graph["describe"]
    assert [m for m in graph if reaches(m, m, set())] == []
