"""`make bench`: how long `paradox update` takes, from publisher files to a validated data folder.

Scenarios (each into a temporary copy of data/; the repository's data/ is not touched):
  WDR 2025 annex      --from the three UNODC workbooks as published (same edition as data/):
                      read, reconcile, write and validate; no render
  all publisher files --from every file in ../shared/sources/publisher (10 files, 6.3 MB, WGI
                      workbooks included), the WDI homicide rule relaxed as in the tests; no render
  newer coca edition  --from a WDR 2026-like 6.1.1 (the 2025 workbook + a 2024 column), with
                      the ledger diff: both data folders rendered (HTML) to list the numbers that move
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    """Run the three scenarios and print a table."""
    from analysis.data.imports._common import read_hand_yaml
    from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
    from paradox.update import plan, update, write_staging
    from tests.test_update import newer_coca_edition

    publisher = DEFAULT_SOURCES / "publisher"
    rows = []
    with tempfile.TemporaryDirectory(prefix="update-bench-") as tmp:
        tmp = Path(tmp)

        def timed(label, work):
            data = tmp / label.replace(" ", "-") / "data"
            shutil.copytree(DEFAULT_DATA, data)
            start = time.perf_counter()
            work(data)
            rows.append((label, time.perf_counter() - start))
            print(f"{label:<20} {rows[-1][1]:6.1f} s", file=sys.stderr)

        timed("WDR 2025 annex", lambda d: update(publisher / "unodc_wdr2025_annex", d, render=False, say=lambda s: None))

        def everything(data):
            rules = read_hand_yaml("publisher_series.yaml")
            rules["wdi_homicide"]["check"] = "none"
            write_staging(plan(publisher, data, allow_older=True, rules=rules).tables, data)

        timed("all publisher files", everything)
        newer_coca_edition(tmp / "wdr2026")
        timed("newer coca edition", lambda d: update(tmp / "wdr2026", d, render=True, say=lambda s: None))
    print("\n| update scenario      | seconds |")
    print(f"|{'-' * 22}|{'-' * 9}|")
    for label, seconds in rows:
        print(f"| {label:<20} | {seconds:7.1f} |")
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end "
          "('newer coca edition' includes rendering both data folders for the ledger diff)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
