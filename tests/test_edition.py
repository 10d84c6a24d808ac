"""The edition: version, date (SOURCE_DATE_EPOCH), data vintage per table, git commit, stamp."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.metadata
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import DataValidationError
from paradox import edition as ed

REPO = Path(__file__).resolve().parent.parent

INFO = {"version": "1.2.3", "date": "2026-11-28", "commit": "abc1234",
        "data_vintage": {"homicide": 2023, "coca_cultivation": 2024}, "data_to": 2024}


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the repository's data folder (tests never write into data/)."""
    return Path(shutil.copytree(REPO / "data", tmp_path / "data"))


def keep_years_up_to(csv_path: Path, last: int) -> None:
    """Drop the rows of a curated CSV after `last` - an older vintage of the same table."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if int(r["year"]) <= last)


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a throwaway identity; return its stdout."""
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], check=True, capture_output=True, text=True).stdout.strip()


# --- version and date -------------------------------------------------------------------------

def test_report_version_reads_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "9.8.7"\n')
    assert ed.report_version(tmp_path) == "9.8.7"
    assert ed.report_version(REPO) == importlib.metadata.version("peru-paradox")


def test_report_version_falls_back_to_installed_metadata(tmp_path):
    assert ed.report_version(tmp_path) == importlib.metadata.version("peru-paradox")


def test_edition_date_from_source_date_epoch():
    # 1764288000 s = 20420 days exactly; 20420 - 20089 (days to 2025-01-01) = day 331 of 2025
    # (0-based) = 28 November 2025. One second earlier is still 27 November.
    assert ed.edition_date({"SOURCE_DATE_EPOCH": "1764288000"}) == dt.date(2025, 11, 28)
    assert ed.edition_date({"SOURCE_DATE_EPOCH": "1764287999"}) == dt.date(2025, 11, 27)


def test_edition_date_defaults_to_today():
    assert ed.edition_date({}, today=dt.date(2031, 1, 2)) == dt.date(2031, 1, 2)
    assert ed.edition_date({}) == dt.datetime.now(dt.timezone.utc).date()


def test_edition_date_rejects_a_bad_epoch():
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH must be a whole number .* got '2026-11-28'"):
        ed.edition_date({"SOURCE_DATE_EPOCH": "2026-11-28"})


# --- data vintage -----------------------------------------------------------------------------

def max_year_by_hand(csv_path: Path) -> int:
    """The latest year in a CSV, read with the csv module (independently of the loader); only
    the headline rows where the table marks them."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return max(int(r["year"]) for r in csv.DictReader(handle)
                   if r["year"] and r.get("headline", "true") == "true")


def test_data_vintage_of_the_repository_data():
    vintage = ed.data_vintage(REPO / "data")
    # every table with a year, except those whose year is not a vintage; countries has no year
    assert set(vintage) == {"population", "homicide", "coca_cultivation", "coca_eradication",
                            "cocaine_seizures", "cocaine_use", "corruption"}
    for name, year in vintage.items():
        assert year == max_year_by_hand(REPO / "data" / f"{name}.csv"), name


def test_coca_vintage_is_the_latest_year_the_text_can_name(tmp_path):
    """Issue 11: the footer said coca data run to 2024 while the text's latest coca year is
    2023 - the 2024 row is Peru's national figure, kept for a sensitivity check, not a headline.
    A later non-headline row does not move the vintage; a later headline row does."""
    from analysis.producers import latest_year
    coca = pd.read_csv(REPO / "data" / "coca_cultivation.csv")
    assert ed.data_vintage(REPO / "data")["coca_cultivation"] == latest_year(coca) == 2023
    assert int(coca["year"].max()) == 2024  # the row that used to set the stamp
    data = copy_data(tmp_path)
    path = data / "coca_cultivation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("PER,2030,1,net_area_dec31,false,peru_coca_2020_2024")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ed.data_vintage(data)["coca_cultivation"] == 2023
    path.write_text("\n".join(lines[:-1] + ["PER,2030,1,net_area_dec31,true,unodc_wdr2025_coca"]) + "\n",
                    encoding="utf-8")
    assert ed.data_vintage(data)["coca_cultivation"] == 2030


def test_data_vintage_follows_an_older_vintage(tmp_path):
    data = copy_data(tmp_path)
    keep_years_up_to(data / "homicide.csv", 2015)
    keep_years_up_to(data / "corruption.csv", 2012)
    vintage = ed.data_vintage(data)
    assert (vintage["homicide"], vintage["corruption"]) == (2015, 2012)
    assert vintage["population"] == ed.data_vintage(REPO / "data")["population"]


def test_data_vintage_needs_a_descriptor(tmp_path):
    with pytest.raises(DataValidationError, match="datapackage.json: is missing from"):
        ed.data_vintage(tmp_path)


# --- git --------------------------------------------------------------------------------------

def test_git_commit_clean_dirty_and_outside_git(tmp_path):
    assert ed.git_commit(tmp_path) == "unknown"
    git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("one\n")
    git(tmp_path, "add", "a.txt")
    git(tmp_path, "commit", "-q", "-m", "first")
    sha = git(tmp_path, "rev-parse", "--short=7", "HEAD")
    assert ed.git_commit(tmp_path) == sha and len(sha) == 7
    (tmp_path / "a.txt").write_text("two\n")  # a tracked change
    assert ed.git_commit(tmp_path) == f"{sha}+dirty"
    git(tmp_path, "checkout", "-q", "a.txt")
    (tmp_path / "new.qmd").write_text("x\n")  # an untracked file also changes the output
    assert ed.git_commit(tmp_path) == f"{sha}+dirty"
    (tmp_path / ".gitignore").write_text("new.qmd\n.gitignore\n")  # ignored files do not
    assert ed.git_commit(tmp_path) == sha


# --- stamp and info ---------------------------------------------------------------------------

def test_edition_stamp_known_answer():
    assert ed.edition_stamp(INFO) == (
        "Edition 1.2.3 of 2026-11-28 \u00b7 data to 2024 (homicide 2023, coca cultivation 2024)"
        " \u00b7 commit abc1234")


def test_edition_stamp_without_vintage():
    info = dict(INFO, data_vintage={}, data_to=None)
    assert ed.edition_stamp(info) == "Edition 1.2.3 of 2026-11-28 \u00b7 commit abc1234"


def test_edition_info_end_to_end(tmp_path):
    data = copy_data(tmp_path)
    keep_years_up_to(data / "homicide.csv", 2019)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.2.0"\n')
    info = ed.edition_info(tmp_path, data, env={"SOURCE_DATE_EPOCH": "1764288000"})
    assert (info["version"], info["date"], info["commit"]) == ("0.2.0", "2025-11-28", "unknown")
    assert info["data_vintage"]["homicide"] == 2019
    assert info["data_to"] == max(info["data_vintage"].values())
    assert info["stamp"].startswith("Edition 0.2.0 of 2025-11-28 \u00b7 data to ")
    assert "homicide 2019" in info["stamp"] and info["stamp"].endswith(" \u00b7 commit unknown")


def test_edition_info_of_this_checkout_names_its_commit():
    info = ed.edition_info(REPO, REPO / "data", env={})
    head = git(REPO, "rev-parse", "--short=7", "HEAD")
    assert info["commit"] in (head, f"{head}+dirty")


def test_ledger_fields_are_flat():
    assert ed.ledger_fields(INFO) == {
        "edition_version": "1.2.3", "edition_date": "2026-11-28", "edition_commit": "abc1234",
        "data_to": 2024, "data_vintage": "homicide 2023; coca_cultivation 2024"}


def test_write_edition_file_round_trips_and_keeps_mtime(tmp_path):
    from analysis.report.citation import edition_from_env

    path = tmp_path / "cache" / "edition.json"
    env = ed.write_edition_file(INFO, path)
    assert env == {"PARADOX_EDITION_FILE": str(path.resolve())}
    assert edition_from_env(env) == INFO
    before = path.stat().st_mtime_ns
    ed.write_edition_file(dict(INFO), path)  # same content: file untouched
    assert path.stat().st_mtime_ns == before
    ed.write_edition_file(dict(INFO, commit="def5678"), path)
    assert edition_from_env(env)["commit"] == "def5678"
