"""Determinism: `pytest --nbval` re-runs every executed chapter notebook the render kept and
must reproduce every output (the renderer's own record cell is tagged nbval-skip)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_kept_notebooks_reproduce_their_outputs_under_nbval(rendered):
    _, out, _ = rendered
    notebooks = out / "notebooks"
    assert sorted(p.name for p in notebooks.glob("*.ipynb")) == [
        "context.ipynb", "growth.ipynb", "index.ipynb", "method.ipynb"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         f"--rootdir={notebooks}", str(notebooks)],
        cwd=notebooks, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", proc.stdout).group(1))
    assert passed >= 12  # every author cell and inline cell was compared, not skipped
