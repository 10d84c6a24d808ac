"""Which edition of the report this is: version, edition date, data vintage, git commit.

Why: users quote the report in briefings, and the same version re-rendered with a newer data
vintage prints other numbers. Every rendered copy therefore carries a stamp - on the PDF's
title page and in every HTML page footer - and every ledger entry and figure card carries the
same fields, so any quoted number can be traced to the exact edition it came from:

    Edition 0.1.0 of 2026-11-28 · data to 2024 (population 2024, homicide 2023, ...) · commit abc1234

- version: `<repo>/pyproject.toml` (the source of truth in a checkout; an editable install's
  metadata can lag behind it), else the installed package's metadata;
- date: given by the caller (`paradox render` passes the day of `SOURCE_DATE_EPOCH`, checked
  by the renderer's reader), else today in UTC;
- data vintage: the latest `year` in each table of the data folder that has a `year` column,
  read with `analysis.data.load`; tables listed in the folder's `datapackage.json`;
- commit: the short sha of HEAD, `+dirty` if tracked or untracked (not ignored) files differ
  from it, `unknown` outside git (e.g. a source tarball).

Why here and not in `paradox`: under `quarto render` no `paradox render` writes the edition
file, so the chapters compute the edition of the project Quarto renders themselves
(`citation.edition_from_env`), and `analysis` may not import `paradox`. The command line
calls the same functions: one copy.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import subprocess
import tomllib
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from analysis.data import DataValidationError, Problem, load

__all__ = ["edition_info", "edition_stamp", "report_version", "data_vintage", "git_commit",
           "NOT_A_VINTAGE"]

PACKAGE = "peru-paradox"
SEPARATOR = " \u00b7 "  # middle dot between the parts of the stamp

# Tables whose `year` is not the year the data run to, so they do not count as a vintage.
NOT_A_VINTAGE = {
    "sources": "its year is when a source was published, not a year of observations",
    "article_claims": "its year is the year the 2013 article's claims refer to",
}


def report_version(repo: str | Path) -> str:
    """The report's version: `[project] version` of `<repo>/pyproject.toml`, else the
    installed `peru-paradox` metadata (a wheel install has no pyproject beside it)."""
    pyproject = Path(repo) / "pyproject.toml"
    if pyproject.is_file():
        version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("version")
        if version:
            return str(version)
    return importlib.metadata.version(PACKAGE)


def _vintage_tables(data_dir: Path) -> list[str]:
    """Names of the tables in `datapackage.json` whose schema has a `year` field, in order."""
    descriptor = data_dir / "datapackage.json"
    if not descriptor.is_file():
        raise DataValidationError([Problem("datapackage.json", message=f"is missing from {data_dir}")])
    names = []
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        schema = resource.get("schema")
        if isinstance(schema, str):
            schema = json.loads((data_dir / schema).read_text(encoding="utf-8"))
        fields = [f.get("name") for f in (schema or {}).get("fields", [])]
        if "year" in fields and resource["name"] not in NOT_A_VINTAGE:
            names.append(resource["name"])
    return names


def data_vintage(data_dir: str | Path,
                 loader: Callable[..., pd.DataFrame] = load) -> dict[str, int]:
    """Latest year per dataset: {table name: max year}, in datapackage.json order.

    Where a table marks the rows the report states (a boolean `headline` column: coca
    cultivation), only those rows count: the stamp then gives the latest year the text can
    name (coca 2023), not a later row kept only for a sensitivity check (Peru's national 2024
    figure). A table with no year at all (empty) is left out rather than given a made-up year.
    """
    data_dir = Path(data_dir)
    vintage = {}
    for name in _vintage_tables(data_dir):
        table = loader(name, data_dir=data_dir)
        if "headline" in table.columns:
            table = table.loc[table["headline"].astype(bool)]
        years = table["year"].dropna()
        if len(years):
            vintage[name] = int(years.max())
    return vintage


def _git(repo: Path, *args: str) -> str | None:
    """Output of one git command in `repo`, or None if git is absent or the command fails."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit(repo: str | Path) -> str:
    """Short sha of HEAD, with '+dirty' if the working tree differs; 'unknown' outside git."""
    sha = _git(Path(repo), "rev-parse", "--short=7", "HEAD")
    if not sha:
        return "unknown"
    status = _git(Path(repo), "status", "--porcelain")
    return f"{sha}+dirty" if status else sha


def edition_stamp(info: Mapping[str, Any]) -> str:
    """The one-line stamp for the title page and page footers (plain text)."""
    parts = [f"Edition {info['version']} of {info['date']}"]
    vintage = info.get("data_vintage") or {}
    if vintage:
        detail = ", ".join(f"{name.replace('_', ' ')} {year}" for name, year in vintage.items())
        parts.append(f"data to {info['data_to']} ({detail})")
    parts.append(f"commit {info['commit']}")
    return SEPARATOR.join(parts)


def edition_info(repo: str | Path, data_dir: str | Path,
                 date: dt.date | None = None) -> dict[str, Any]:
    """Everything that identifies this edition, as a JSON-ready dict.

    Keys: version, date (ISO: `date`, else today in UTC), commit, data_vintage ({table:
    latest year}), data_to (the latest of those, None if no table has a year) and stamp
    (`edition_stamp`). Raises DataValidationError if the data folder cannot be read.
    """
    vintage = data_vintage(data_dir)
    info = {
        "version": report_version(repo),
        "date": (date or dt.datetime.now(dt.timezone.utc).date()).isoformat(),
        "commit": git_commit(repo),
        "data_vintage": vintage,
        "data_to": max(vintage.values()) if vintage else None,
    }
    info["stamp"] = edition_stamp(info)
    return info
