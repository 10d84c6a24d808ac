"""The edition stamp as the command line uses it: the render's date, the ledger fields, the
edition file chapters read.

What identifies an edition (version, date, data vintage, commit) is computed by
`analysis.report.edition`, because under `quarto render` the chapters compute it themselves
and `analysis` may not import `paradox`; this module adds what only a `paradox render` does:
the edition date from `SOURCE_DATE_EPOCH` as the renderer reads it (the PDF's dates come from
the same reader), the flat ledger fields, and the file handed to chapter kernels.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Mapping

from analysis.report import edition as _edition
from analysis.report.edition import (NOT_A_VINTAGE, data_vintage, edition_stamp, git_commit,
                                     report_version)
from renderer.sourcedate import source_date_epoch

__all__ = ["edition_info", "edition_stamp", "ledger_fields", "write_edition_file",
           "report_version", "edition_date", "data_vintage", "git_commit", "NOT_A_VINTAGE"]


def edition_date(env: Mapping[str, str] | None = None, today: dt.date | None = None) -> dt.date:
    """The edition date: the UTC day of `SOURCE_DATE_EPOCH` if set, else `today` (UTC now).

    The epoch is validated by the renderer's own reader (the PDF's dates come from it too),
    so a bad value raises SourceDateError (a ValueError) with the same sentence everywhere.
    """
    epoch = source_date_epoch(env)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).date()
    return today or dt.datetime.now(dt.timezone.utc).date()


def edition_info(repo: str | Path, data_dir: str | Path,
                 env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`analysis.report.edition.edition_info` dated by `edition_date(env)`.

    Raises DataValidationError if the data folder cannot be read, ValueError for a bad
    SOURCE_DATE_EPOCH.
    """
    return _edition.edition_info(repo, data_dir, date=edition_date(env))


def ledger_fields(info: Mapping[str, Any]) -> dict[str, Any]:
    """The edition as flat scalar fields for each claims-ledger row (JSON and CSV alike)."""
    vintage = info.get("data_vintage") or {}
    return {
        "edition_version": info["version"],
        "edition_date": info["date"],
        "edition_commit": info["commit"],
        "data_to": info.get("data_to"),
        "data_vintage": "; ".join(f"{name} {year}" for name, year in vintage.items()),
    }


def write_edition_file(info: Mapping[str, Any], path: str | Path) -> dict[str, str]:
    """Write the edition as JSON to `path` (only if it changed); return the kernel env entry.

    Use: `env.update(write_edition_file(info, project / ".render-cache" / "edition.json"))`
    before `render_book(..., env=env)`. The path, hence the renderer's per-chapter cache key,
    stays the same from render to render; only chapters that read the file (the "How to cite"
    appendix, via `analysis.report.citation.edition_from_env`) re-execute when the edition changes.
    The file is left untouched when its content is the same, so its mtime does not move.
    """
    path = Path(path)
    text = json.dumps(dict(info), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"PARADOX_EDITION_FILE": str(path.resolve())}
