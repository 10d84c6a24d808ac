"""`paradox import-sources`, `paradox check`, `paradox describe`: exit codes and what the user reads."""

from __future__ import annotations

import subprocess
import sys

from paradox.cli import main
from tests.digests import file_digest
from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES, REPO


def test_check_passes_on_the_curated_data(capsys):
    assert main(["check", str(DEFAULT_DATA)]) == 0
    assert capsys.readouterr().out == f"{DEFAULT_DATA}: OK\n"


def test_check_lists_every_problem_on_stderr_and_exits_1(data, capsys):
    population = data / "population.csv"
    population.write_text(population.read_text().replace("ABW,1995,79805,", "ABW,1995,-1,", 1))
    (data / "cocaine_use.csv").unlink()
    before = file_digest(data)
    assert main(["check", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        'population.csv: row 2: population: expected an integer >= 0, got "-1"',
        "cocaine_use.csv: file is missing",
        f"population.csv: checksum does not match datapackage.json (the file was edited); if the edit is deliberate, "
        f"run `paradox describe {data}` to record it, then `paradox check {data}`",
        f"3 problem(s) in {data}",
    ]
    assert file_digest(data) == before


def test_edit_then_describe_then_check_passes(data, capsys):
    # a deliberate new vintage: one more year of Peru's population
    with open(data / "population.csv", "a", encoding="utf-8") as handle:
        handle.write("PER,2025,34500000,wdi_population\n")
    assert main(["check", str(data)]) == 1
    capsys.readouterr()
    assert main(["describe", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("population.csv: rows 1260 -> 1261, bytes ")
    assert main(["check", str(data)]) == 0
    assert main(["describe", str(data)]) == 0
    assert capsys.readouterr().out.endswith("no change\n")


def test_describe_refuses_a_broken_folder(data, capsys):
    (data / "homicide.csv").write_text("iso3;year\nPER;2012\n")
    before = file_digest(data)
    assert main(["describe", str(data)]) == 1
    err = capsys.readouterr().err
    assert "homicide.csv: row 1: not comma-separated" in err and "nothing was written" in err
    assert file_digest(data) == before


def test_import_sources_reproduces_data_byte_for_byte(tmp_path, capsys):
    out = tmp_path / "fresh"
    assert main(["import-sources", str(DEFAULT_SOURCES), "--out", str(out)]) == 0
    assert file_digest(out) == file_digest(DEFAULT_DATA)


def test_the_installed_command_prints_no_traceback_for_bad_data(data):
    (data / "countries.csv").write_bytes(b"\xff\xfe broken")
    result = subprocess.run([sys.executable, "-m", "paradox", "check", str(data)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == "countries.csv: row 1: not valid UTF-8 (byte 0xff at character 1); save the file as UTF-8"

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data import check_folder
from analysis.data.describe import describe_folder


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(years=st.lists(st.integers(min_value=2025, max_value=2030), min_size=1, max_size=6, unique=True),
       population=st.integers(min_value=0, max_value=10**10))
def test_any_valid_new_rows_pass_after_describe(data, years, population):
    """Appending valid rows (a new vintage) fails check until describe, then passes."""
    path = data / "population.csv"
    original = path.read_bytes()
    descriptor = (data / "datapackage.json").read_bytes()
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.writelines(f"PER,{year},{population},wdi_population\n" for year in years)
        assert [p.message.split(" (")[0] for p in check_folder(data)] == ["checksum does not match datapackage.json"]
        assert describe_folder(data)[0].startswith(f"population.csv: rows 1260 -> {1260 + len(years)}")
        assert check_folder(data) == []
    finally:
        path.write_bytes(original)
        (data / "datapackage.json").write_bytes(descriptor)
