"""Appendix D, chapters/a4-reproducibility.qmd: what this edition was rendered from.

`bundle()` holds the commit (the render's edition, else git), the Python version, whether the
working copy was clean, the data vintage of each table and the package versions.
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.data import data_dir, load
from analysis.estimate import Branch
from analysis.report import citation as cite
from analysis.report.markdown import Table, cell
from analysis.report.values import Bundle, branch, data_package


def _git_commit() -> tuple[str, bool | None]:
    """(commit, dirty) this edition was rendered from: the render's edition stamp, else git.

    dirty is None when it cannot be known (no git, or the stamp does not say).
    """
    edition = cite.edition_from_env() or {}
    if edition.get("commit"):
        return str(edition["commit"]), None
    repo = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                 "--untracked-files=no"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)", None
    return out, bool(status)


PACKAGES = ("pandas", "numpy", "statsmodels", "altair", "vl-convert-python", "frictionless",
            "nbclient", "ipykernel", "pypandoc-binary", "typst", "pyyaml")


def vintage_table(folder: Path | None = None) -> pd.DataFrame:
    """Years each curated table covers in the data folder rendered from."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in data_package(folder)["resources"]:
        frame = load(res["name"], folder)
        if res["name"] in ("sources", "article_claims") or "year" not in frame.columns \
                or frame["year"].isna().all():
            continue  # publication years and the claims' reference year are not data years
        rows.append({"Table": res["name"], "First year": str(int(frame["year"].min())),
                     "Latest year": str(int(frame["year"].max())),
                     "Rows": cell(len(frame), "count")})
    return pd.DataFrame(rows)


def bundle() -> Bundle:
    """Appendix D: commit, Python, packages, data vintage."""
    r = Bundle()
    commit, dirty = _git_commit()
    r.commit = Branch(text=commit, branch="commit")
    r.python_version = Branch(text=platform.python_version(), branch="python")
    r.dirty_sentence = branch([
        (dirty is True, "This edition was rendered from a working copy with uncommitted changes, "
                        "so it may not be reproducible from the commit alone.", "dirty"),
        (dirty is False, "The working copy matched the commit when this edition was rendered.",
         "clean"),
        (True, "Whether the working copy matched the commit was not recorded.", "unknown"),
    ])
    r.vintage_table = Table(vintage_table())
    rows = []
    for name in PACKAGES:
        try:
            rows.append({"Package": name, "Version": metadata.version(name)})
        except metadata.PackageNotFoundError:
            rows.append({"Package": name, "Version": "not installed"})
    r.packages_table = Table(pd.DataFrame(rows))
    return r
