"""Forked kernels: which libraries are preloaded, and that forked runs equal ordinary ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from renderer import render_book
from renderer.project import load_project
from renderer.qmd import parse_qmd
from renderer.zygote import NOT_PRELOADED, preload_list, read_preload, static_imports

BOOK = Path(__file__).resolve().parent / "book"


def test_static_imports_follow_project_modules_but_list_only_libraries():
    project = load_project(BOOK)
    code = [(c.text, ch.path.parent) for ch in project.chapters for c in parse_qmd(ch.path).cells
            if c.kind == "code"]
    found = static_imports(BOOK, code)
    assert {"altair", "pandas"} <= found        # pandas only via chapters/bookdata.py
    assert "bookdata" not in found              # a project module is never preloaded
    assert "textwrap" not in found and "platform" not in found  # stdlib: not worth it


def test_preload_list_drops_modules_that_must_not_be_preloaded(tmp_path):
    (tmp_path / "preload.json").write_text(json.dumps(
        ["pandas", "statsmodels.api", "matplotlib.pyplot", "seaborn", "os; rm", 3]))
    assert read_preload(tmp_path) == ["pandas", "statsmodels.api"]
    assert "matplotlib" in NOT_PRELOADED
    chapter = "import matplotlib.pyplot as plt\nimport altair\n"
    assert preload_list(tmp_path, tmp_path, [(chapter, tmp_path)]) == ["altair", "pandas", "statsmodels.api"]


@pytest.mark.slow
def test_forked_and_ordinary_kernels_give_the_same_book(book_copy, tmp_path, monkeypatch):
    forked = render_book(book_copy, tmp_path / "forked", formats=("html",), cache_dir=tmp_path / "c1")
    assert forked.forked
    monkeypatch.setattr("renderer.build.ZYGOTE_MIN_JOBS", 10_000)
    plain = render_book(book_copy, tmp_path / "plain", formats=("html",), cache_dir=tmp_path / "c2")
    assert not plain.forked and plain.executed == forked.executed
    for page in ("index.html", "chapters/growth.html", "chapters/context.html", "chapters/method.html"):
        assert (tmp_path / "forked" / page).read_text() == (tmp_path / "plain" / page).read_text()
    assert (tmp_path / "forked" / "claims.json").read_text() == (tmp_path / "plain" / "claims.json").read_text()
    assert json.loads((tmp_path / "c1" / "preload.json").read_text())  # recorded for next time


def processes_in(folder: Path) -> list[int]:
    """Pids of processes whose working directory is inside `folder` (our kernels)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(folder):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
def test_kernels_exit_when_renderer_and_zygote_are_killed_together(book_copy):
    """SIGKILL to the whole process group (renderer + zygote): forked kernels, which run in
    their own sessions, notice their parent is gone and exit instead of lingering."""
    chapter = book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text() + "\n```{python}\nimport time\ntime.sleep(60)\n```\n")
    script = ("import sys\nfrom renderer import render_book\n"
              "render_book(sys.argv[1], sys.argv[2], formats=('html',), progress=lambda *a: print(*a, flush=True))\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(book_copy), str(book_copy / "_book")],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not processes_in(book_copy / "chapters") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_in(book_copy / "chapters"), "no kernel started"
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while processes_in(book_copy) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_in(book_copy) == []
