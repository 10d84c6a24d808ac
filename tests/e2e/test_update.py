"""`paradox update --from` a folder holding a newer edition of ONE publisher file: exactly the
numbers of the book that depend on that file move in the rendered ledger (one render pair: the
old and the new data folder, as `paradox update` renders them to say what changed)."""

from __future__ import annotations

import csv

import pytest

from paradox.update import update
from tests.e2e.conftest import PINNED_EPOCH, copy_data
from tests.test_update import newer_coca_edition

pytestmark = pytest.mark.slow


def cites_coca(entry) -> bool:
    """Whether a ledger entry names a UNODC coca cultivation edition among its sources."""
    return any(s.startswith("unodc_wdr") and s.endswith("_coca") for s in entry.get("sources") or [])


def test_newer_coca_edition_moves_exactly_the_coca_numbers(tmp_path, monkeypatch):
    # the day of this session's renders, as for a user updating the day they rendered: the
    # current data's chapters are then those good_book ran (reused, renderer/cache.py)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    data = copy_data(tmp_path / "data")
    before = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    newer_coca_edition(tmp_path / "wdr2026")  # WDR 2025 annex 6.1.1 + a 2024 column (Peru 89,755 ha)
    printed: list[str] = []
    diff = update(tmp_path / "wdr2026", data, say=printed.append)

    # the data: only the coca table and the sources list changed
    after = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    assert sorted(n for n in after if after[n] != before[n]) == ["coca_cultivation.csv", "sources.csv"]

    # the book: something moved, and everything that moved cites a coca edition
    moved = [(c.old, c.new) for c in diff.changed + diff.flipped] + [(e, e) for e in diff.appeared + diff.disappeared]
    assert moved, "the newer edition moved no number"
    others = {o.get("id"): (o, n) for o, n in moved if not (cites_coca(o) or cites_coca(n))}
    # ... except the data package's total row count (appendix A1), which counts every table's rows
    assert list(others) == ["a1-data-methods-r-n-rows"]
    old, new = others["a1-data-methods-r-n-rows"]
    assert new["value"] - old["value"] == 46 + 1  # the new edition's 46 coca rows and its sources.csv row
    # Peru's latest coca area is now the 2024 value of the new edition
    new_values = [c.new for c in diff.changed] + list(diff.appeared)
    assert any(e.get("value") == 89755 and e.get("year") == 2024 for e in new_values), new_values
    text = "\n".join(printed)
    assert "adopted 6.1.1_Global_illicit_coca_bush_cultivation.xlsx: 46 rows of coca_cultivation.csv as unodc_wdr2026_coca (2026)" in text
    assert "Numbers that changed" in text
    headline = [r for r in csv.DictReader(open(data / "coca_cultivation.csv", encoding="utf-8"))
                if r["iso3"] == "PER" and r["headline"] == "true" and r["year"] == "2024"]
    assert [(r["hectares"], r["source_id"]) for r in headline] == [("89755", "unodc_wdr2026_coca")]
