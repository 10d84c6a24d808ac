"""Determinism of the real book: `pytest --nbval` replays every executed chapter notebook the
render kept (`_book/notebooks/`) in a fresh kernel and must reproduce every output. It is the
session's only second execution of the book's chapters: test_determinism.py compares the fresh
render with one that reuses the chapters' runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.e2e.conftest import DATA, REPO, paradox_env

pytestmark = pytest.mark.slow


def test_book_notebooks_reproduce_their_outputs_under_nbval(good_book, tmp_path, monkeypatch):
    from paradox.edition import edition_info, write_edition_file

    notebooks = good_book / "notebooks"
    chapters = re.findall(r"[\w/.-]+\.qmd", (REPO / "_quarto.yml").read_text(encoding="utf-8"))
    assert sorted(p.stem for p in notebooks.glob("*.ipynb")) == sorted(c.rsplit("/", 1)[-1][:-4] for c in chapters)
    # the kernels get what `paradox render` gave the chapters: the data folder, the edition
    # (same commit and day as the render) and an empty "what changed" file - files of this
    # test's own, which the notebooks' setup cells leave as set (renderer/kernel.py `start`):
    # the project's .render-cache/edition.json is whatever the last render wrote
    monkeypatch.setenv("SOURCE_DATE_EPOCH", paradox_env()["SOURCE_DATE_EPOCH"])  # the render's day
    env = {**paradox_env(), "PARADOX_DATA": str(DATA),
           **write_edition_file(edition_info(REPO, DATA), tmp_path / "edition.json")}
    (tmp_path / "changes.md").write_text("", encoding="utf-8")
    env["PARADOX_CHANGES_FILE"] = str(tmp_path / "changes.md")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         f"--rootdir={notebooks}", str(notebooks)],
        cwd=notebooks, capture_output=True, text=True, timeout=900, env=env,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", proc.stdout).group(1))
    assert passed >= 50  # the book's cells and inline values were compared, not skipped
