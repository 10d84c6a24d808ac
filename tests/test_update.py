"""`paradox update --from FOLDER`: reconciliation by the rules in hand/, provenance written by
the update, the new folder validated before it replaces the old one, nothing written on a problem."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from analysis.data import DataValidationError, check_folder
from analysis.data.imports._common import read_hand_yaml
from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
from paradox.cli import main as cli
from paradox.update import plan, read_tables, write_staging
from tests.publisher_files import all_editions

PUB = DEFAULT_SOURCES / "publisher"
COCA25 = PUB / "unodc_wdr2025_annex" / "6.1.1_Global_illicit_coca_bush_cultivation.xlsx"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def rows(folder: Path, table: str) -> list[dict]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def newer_coca_edition(folder: Path, revise_peru_2023: int | None = None) -> Path:
    """A synthetic 'WDR 2026' annex 6.1.1 made from the real WDR 2025 workbook: a 2024 column
    added after 2023 (Bolivia 31,500; Colombia 262,000; Peru c 89,755 - test values, not UNODC's),
    the Total = their sum, the title's span moved to 2011-2024."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.load_workbook(COCA25, data_only=True)
    sheet = book["Sheet1"]
    sheet["B3"] = "Global illicit cultivation of coca bush, 2011-2024 (hectares)"
    for cell, value in {"S5": 2024, "S7": 31500, "S8": 262000, "S10": 89755, "S11": 31500 + 262000 + 89755}.items():
        sheet[cell] = value
    if revise_peru_2023 is not None:
        sheet["R10"] = revise_peru_2023
        sheet["R11"] = sheet["R7"].value + sheet["R8"].value + revise_peru_2023
    out = folder / "6.1.1_Global_illicit_coca_bush_cultivation.xlsx"
    book.save(out)
    return out


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, target)
    return target


def test_same_edition_as_published_changes_no_table(data, tmp_path, capsys):
    """The WDR 2025 annex as UNODC publishes it gives exactly the rows data/ already holds
    (built from third-party CSV conversions); only sources.csv (and the descriptor) change."""
    before = files(data)
    assert cli(["update", "--from", str(PUB / "unodc_wdr2025_annex"), "--data", str(data), "--no-render"]) == 0
    after = files(data)
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["datapackage.json", "sources.csv"]
    out = capsys.readouterr().out
    assert "sources.csv: 0 rows added, 0 removed, 3 revised" in out
    assert "cocaine_use.csv: " not in out and "coca_cultivation.csv: " not in out  # no table line besides sources


def test_sources_rows_are_written_by_the_update(data):
    assert cli(["update", "--from", str(PUB / "ti_cpi2022"), "--data", str(data), "--no-render"]) == 0
    [row] = [r for r in rows(data, "sources") if r["source_id"] == "ti_cpi2022"]
    workbook = PUB / "ti_cpi2022" / "CPI2022_GlobalResultsTrends.xlsx"
    assert row["raw_sha256"] == hashlib.sha256(workbook.read_bytes()).hexdigest()
    assert row["raw_sha256"] == "40b562943f7510397b648a6b27c5df3933a39f86e5beac150641df892fb1d432"  # PROVENANCE.md
    assert row["raw_file"] == "CPI2022_GlobalResultsTrends.xlsx" and row["year"] == "2022"
    assert row["publisher"] == "Transparency International" and row["url"] == "https://www.transparency.org/en/cpi/2022"
    # TI's own value wins over the Datahub copy at Mexico 2015 (accepted in the rules): 31, not 35
    mex = [r for r in rows(data, "corruption") if (r["iso3"], r["year"], r["indicator"]) == ("MEX", "2015", "cpi_0_100")]
    assert [(r["value"], r["source_id"]) for r in mex] == [("31", "ti_cpi2022")]
    assert check_folder(data) == []


def test_every_publisher_file_gives_tables_that_pass_check(tmp_path):
    """All of publisher/ at once (both WDR coca editions, both WGI updates, WDI, CPI, API JSON),
    with the WDI homicide revision rule relaxed - the real 2023 file is older than data/'s
    2025 vintage and revises Chile and Colombia by more than 10% (next test)."""
    rules = read_hand_yaml("publisher_series.yaml")
    rules["wdi_homicide"]["check"] = "none"
    result = plan(PUB, DEFAULT_DATA, allow_older=True, rules=rules, editions=list(all_editions()))
    write_staging(result.tables, tmp_path)
    assert check_folder(tmp_path) == []
    assert result.skipped == ["SP.POP.TOTL.json: no rows for the report's countries; nothing adopted"]  # India only
    coca = [r for r in rows(tmp_path, "coca_cultivation") if r["iso3"] == "PER" and r["headline"] == "true"]
    assert {r["year"]: (r["hectares"], r["source_id"]) for r in coca}["2009"] == ("59900", "unodc_wdr2022_coca")
    assert {r["year"]: r["source_id"] for r in coca}["2023"] == "unodc_wdr2025_coca"
    wgi = {(r["year"], r["indicator"]): r["value"] for r in rows(tmp_path, "corruption") if r["iso3"] == "PER" and r["source_id"] == "wb_wgi"}
    assert float(wgi[("2023", "wgi_cc_est")]) == pytest.approx(-0.721, abs=5e-4)  # 2024 update won over 2021's


def test_an_older_vintage_is_refused_and_a_revision_beyond_the_rule_lists_the_rows(data, capsys):
    before = files(data)
    folder = PUB / "worldbank_wdi_bulk"
    assert cli(["update", "--from", str(folder), "--data", str(data), "--no-render"]) == 1
    err = capsys.readouterr().err
    assert "this is the 2023 vintage of wdi_homicide; data/ holds 2025" in err
    assert cli(["update", "--from", str(folder), "--data", str(data), "--no-render", "--allow-older"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    # 2025 vintage (data/homicide.csv) vs the 2023-12-18 file: Chile 2019 4.813066 vs 3.944 (-18%),
    # Colombia 2018 23.820759 vs 26.231 (+10.1%) ... five rows beyond 10%.
    assert len(lines) == 6 and lines[-1] == "5 problem(s) found; nothing was written."
    assert [l.split(": ")[2] for l in lines[:5]] == ["CHL 2019", "CHL 2020", "CHL 2021", "COL 2018", "COL 2019"]
    assert "the 2025 vintage has 4.813066, this file 3.9444343178286" in lines[0]
    assert files(data) == before


def test_a_newer_coca_edition_takes_the_headline(data, tmp_path):
    new = tmp_path / "wdr2026"
    newer_coca_edition(new)
    assert cli(["update", "--from", str(new), "--data", str(data), "--no-render"]) == 0
    coca = rows(data, "coca_cultivation")
    peru = {(r["year"], r["source_id"]): r for r in coca if r["iso3"] == "PER"}
    assert peru[("2024", "unodc_wdr2026_coca")]["headline"] == "true"
    assert peru[("2024", "unodc_wdr2026_coca")]["hectares"] == "89755"
    assert peru[("2023", "unodc_wdr2026_coca")]["headline"] == "true"
    assert peru[("2023", "unodc_wdr2025_coca")]["headline"] == "false"  # kept, outranked
    assert peru[("2009", "unodc_wdr2022_coca")]["headline"] == "true"   # only WDR 2022 has 2009
    assert [r for r in rows(data, "sources") if r["source_id"] == "unodc_wdr2026_coca"][0]["year"] == "2026"
    assert check_folder(data) == []


def test_a_newer_edition_revising_history_stops_the_update(data, tmp_path, capsys):
    before = files(data)
    newer_coca_edition(tmp_path / "wdr2026", revise_peru_2023=93500)
    assert cli(["update", "--from", str(tmp_path / "wdr2026"), "--data", str(data), "--no-render"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == ("6.1.1_Global_illicit_coca_bush_cultivation.xlsx: hectares: PER 2023: an older edition has 92800, "
                      "this file 93500 - beyond the 'equal' rule (tolerance 0); accept it under `accepted` in "
                      "analysis/data/hand/publisher_series.yaml or keep the old edition")
    assert len(err) == 2 and files(data) == before


def test_out_writes_a_new_folder_and_leaves_data_alone(data, tmp_path):
    before = files(data)
    out = tmp_path / "edition-2026"
    newer_coca_edition(tmp_path / "wdr2026")
    assert cli(["update", "--from", str(tmp_path / "wdr2026"), "--data", str(data), "--out", str(out), "--no-render"]) == 0
    assert files(data) == before and check_folder(out) == []
    # the new edition's rows sit beside the older editions' (43 rows as in WDR 2025 + three for 2024)
    assert read_tables(out)["coca_cultivation"].shape[0] == read_tables(data)["coca_cultivation"].shape[0] + 46


def test_missing_folder_is_one_line(capsys, data):
    assert cli(["update", "--from", "/nonexistent/folder", "--data", str(data), "--no-render"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "/nonexistent/folder: folder not found"


def test_plan_raises_for_every_problem_at_once(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    (tmp_path / "wgidataset.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DataValidationError) as err:
        plan(tmp_path, DEFAULT_DATA)
    lines = str(err.value).splitlines()
    assert len(lines) == 2 and lines[0].startswith("a.xlsx: not a publisher file")
    assert lines[1].startswith("wgidataset.xlsx: not a readable .xlsx workbook")
