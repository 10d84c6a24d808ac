"""Layout drift, made from the real publisher files: each variant is read correctly, or refused
with ONE line naming the file, sheet, row and column - and `paradox update` writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from analysis.data import DataValidationError
from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
from analysis.data.publishers import NameMap, wdi_bulk, wdr_coca, wdr_seizures
from paradox.cli import main as cli

PUB = DEFAULT_SOURCES / "publisher"
COCA = PUB / "unodc_wdr2025_annex" / "6.1.1_Global_illicit_coca_bush_cultivation.xlsx"
SEIZURES = PUB / "unodc_wdr2025_annex" / "7.1_Drug_seizures_2019-2023.xlsx"
WDI = PUB / "worldbank_wdi_bulk" / "API_VC.IHR.PSRC.P5_DS2_en_csv_v2_6299884.csv"
NAMES = NameMap(DEFAULT_DATA / "countries.csv")


def edited(src: Path, folder: Path, edit) -> Path:
    """A copy of a workbook in `folder`, with `edit(workbook)` applied (the drift)."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.load_workbook(src, data_only=True)  # keep the saved results of formulas (Total row)
    edit(book)
    out = folder / src.name
    book.save(out)
    return out


def coca_values(path: Path) -> dict:
    """(iso3, year, measure) -> hectares of a 6.1.1 file."""
    [ed] = wdr_coca.read(path, NAMES)
    return {(r.iso3, r.year, r.measure): r.hectares for r in ed.rows.itertuples()}


@pytest.fixture(scope="module")
def coca_reference() -> dict:
    return coca_values(COCA)


def refusal(call) -> str:
    """The one problem line a drifted file is refused with."""
    with pytest.raises(DataValidationError) as err:
        call()
    assert len(err.value.problems) == 1, err.value.problems
    return str(err.value.problems[0])


# --- read correctly ---------------------------------------------------------------------------

def test_moved_header_row_reads_the_same(tmp_path, coca_reference):
    path = edited(COCA, tmp_path, lambda b: b["Sheet1"].insert_rows(1, amount=3))  # title now B6, years row 8
    assert coca_values(path) == coca_reference


def test_extra_footnote_row_between_data_rows_is_skipped(tmp_path, coca_reference):
    def edit(book):
        sheet = book["Sheet1"]
        sheet.insert_rows(10)  # between "Peru b" (row 9) and "Peru c" (now row 11)
        sheet["B10"] = "f) Figures for 2023 are provisional."
    assert coca_values(edited(COCA, tmp_path, edit)) == coca_reference


def test_renamed_sheet_is_found_by_its_title(tmp_path, coca_reference):
    def edit(book):
        book["Sheet1"].title = "Table 6.1.1"
    assert coca_values(edited(COCA, tmp_path, edit)) == coca_reference


def test_missing_marks_and_thousands_separators(tmp_path, coca_reference):
    def edit(book):
        sheet = book["Sheet1"]
        sheet["R8"] = "252,600"   # Colombia 2023 as text with a thousands separator
        sheet["D10"] = "-"        # Peru c 2011 (the Total uses Peru b that year, so totals still add up)
        sheet["C10"] = ".."       # Peru c 2010 (empty in the original)
        sheet["C9"] = 61200       # unchanged number
    values = coca_values(edited(COCA, tmp_path, edit))
    expected = {k: v for k, v in coca_reference.items() if k != ("PER", 2011, "net_area_dec31")}
    assert values == expected and values[("COL", 2023, "net_area_dec31")] == 252600


def test_renamed_sheet_and_moved_columns_in_the_long_seizure_table(tmp_path):
    def edit(book):
        sheet = book["Seizures"]
        sheet.title = "Data"
        sheet.insert_rows(2)          # header now row 3
        sheet["A2"] = "Note: quantities in kilograms."
        sheet.cell(row=sheet.max_row + 1, column=1, value="Source: UNODC annual report questionnaire.")
        for row in sheet.iter_rows(min_row=4):  # Peru 2023 coca paste as text with separators
            if row[8].value == "PER" and row[6].value == 2023 and row[5].value.startswith("Coca paste"):
                row[7].value = "43,337.448"
    [ed] = wdr_seizures.read(edited(SEIZURES, tmp_path, edit), NAMES)
    peru = ed.rows[(ed.rows["iso3"] == "PER") & (ed.rows["year"] == 2023)]["kilograms"].item()
    assert peru == pytest.approx(43337.448 + 22512.828)  # sheet Seizures rows 2842-2843


def test_wdi_dots_and_missing_metadata_line(tmp_path):
    text = WDI.read_bytes().decode("utf-8-sig")
    line = next(l for l in text.split("\r\n") if l.startswith('"Peru"'))
    target = tmp_path / WDI.name
    target.write_bytes(text.replace(line, line.replace('"5.71389863958169"', '".."')).encode("utf-8-sig"))
    [ed] = wdi_bulk.read(target, NAMES)
    peru = ed.rows[ed.rows["iso3"] == "PER"].set_index("year")["rate_per_100k"]
    assert 2020 not in peru.index and peru[2019] == pytest.approx(7.26583438183995)


# --- refused: one line naming file, sheet, row, column -----------------------------------------

def test_renamed_column_is_refused_naming_the_header_row(tmp_path):
    def edit(book):
        book["Seizures"]["H2"] = "Weight"
    path = edited(SEIZURES, tmp_path, edit)
    line = refusal(lambda: wdr_seizures.read(path, NAMES))
    assert line.startswith("7.1_Drug_seizures_2019-2023.xlsx: sheet 'Seizures': row 2: column 'Kilograms': required column")
    assert "Weight" in line  # what the header has instead


def test_text_in_a_value_cell_is_refused_naming_the_cell(tmp_path):
    def edit(book):
        book["Sheet1"]["R10"] = "92 800 e"  # Peru c 2023
    path = edited(COCA, tmp_path, edit)
    line = refusal(lambda: wdr_coca.read(path, NAMES))
    assert line.startswith("6.1.1_Global_illicit_coca_bush_cultivation.xlsx: sheet 'Sheet1': row 10: column R ('2023'): expected a number")
    assert "'92 800 e'" in line


def test_a_renamed_sheet_without_the_table_is_refused(tmp_path):
    def edit(book):
        book["Sheet1"].title = "Contents"
        book["Contents"]["B3"] = "Contents of the annex"  # no title, no table to recognise
    path = edited(COCA, tmp_path, edit)
    line = refusal(lambda: wdr_coca.read(path, NAMES))
    assert line.startswith("6.1.1_Global_illicit_coca_bush_cultivation.xlsx: no sheet named 'Sheet1' or '6_1_1' or '6.1.1'")


def test_unknown_country_label_is_refused_naming_row_and_column(tmp_path):
    def edit(book):
        book["Sheet1"]["B8"] = "  Kolumbia a"
    path = edited(COCA, tmp_path, edit)
    line = refusal(lambda: wdr_coca.read(path, NAMES))
    assert line.startswith("6.1.1_Global_illicit_coca_bush_cultivation.xlsx: sheet 'Sheet1': row 8: column B: country 'Kolumbia'")


def test_wdi_text_value_is_refused_naming_line_and_column(tmp_path):
    text = WDI.read_bytes().decode("utf-8-sig")
    line = next(l for l in text.split("\r\n") if l.startswith('"Peru"'))
    target = tmp_path / WDI.name
    target.write_bytes(text.replace(line, line.replace('"5.71389863958169"', '"n/a"')).encode("utf-8-sig"))
    problem = refusal(lambda: wdi_bulk.read(target, NAMES))
    assert problem.startswith(f"{WDI.name}: row ") and ": column 65 ('2020'): expected a number" in problem


# --- the update writes nothing ----------------------------------------------------------------

def test_update_with_a_drifted_file_writes_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, data)
    before = {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    edited(COCA, tmp_path / "new", lambda b: b["Sheet1"].__setitem__("R10", "92 800 e"))
    code = cli(["update", "--from", str(tmp_path / "new"), "--data", str(data), "--no-render"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[0].startswith("6.1.1_Global_illicit_coca_bush_cultivation.xlsx: sheet 'Sheet1': row 10: column R ('2023')")
    assert err[1] == "1 problem(s) found; nothing was written." and len(err) == 2
    assert {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "new"]  # no staging folder left behind
