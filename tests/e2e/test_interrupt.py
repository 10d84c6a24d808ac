"""A render killed midway - Ctrl-C (SIGINT to the whole process group, as a terminal sends
it) or a crash (SIGKILL to the `paradox` process alone, its kernels orphaned) - must leave
the previous `_book/` byte-identical and nothing behind that stops the next render."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from .conftest import PARADOX, REPO, digest_changes, explain, paradox_env, run_paradox, tree_digest

pytestmark = pytest.mark.slow

KILL_AFTER = 2.5  # seconds: past validation, inside chapter execution of a --fresh render


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_killed_render_leaves_previous_book_intact_and_next_render_works(previous_book, tmp_path, how):
    before = tree_digest(previous_book)
    beside_before = set(os.listdir(previous_book.parent))
    log = (tmp_path / "stdout.txt").open("w"), (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen(
        [str(PARADOX), "render", "--fresh", "--out", str(previous_book)],
        stdout=log[0],
        stderr=log[1],
        env=paradox_env(),
        cwd=REPO,
        start_new_session=True,  # its own process group, so the cleanup below can reach it
    )
    try:
        time.sleep(KILL_AFTER)
        assert proc.poll() is None, (
            f"the render ended (exit {proc.returncode}) before {KILL_AFTER}s: nothing was interrupted"
        )
        if how == "SIGINT":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGKILL)
        code = proc.wait(timeout=120)
        for f in log:
            f.close()
        stderr = (tmp_path / "stderr.txt").read_text()
        assert code != 0, f"an interrupted render must not report success\n{stderr[-3000:]}"

        # 1. The previous book is untouched, byte for byte.
        assert digest_changes(before, tree_digest(previous_book)) == []

        # 2. A graceful stop (Ctrl-C) cleans up its own temporary output beside _book/.
        left_beside = sorted(set(os.listdir(previous_book.parent)) - beside_before)
        if how == "SIGINT":
            assert left_beside == [], f"Ctrl-C left temporary output beside _book/: {left_beside}"

        # 3. The next render succeeds (no stale lock, no half-written cache entry) and
        #    replaces the book.
        again = run_paradox("render", "--to", "html", "--out", str(previous_book), timeout=600, wait_for_lock=False)
        assert again.returncode == 0, explain(again)
        assert (previous_book / "index.html").exists()
        assert (previous_book / "claims.json").exists()
    finally:
        for f in log:
            f.close()
        # End whatever is left of the process group we started (orphaned kernels after SIGKILL).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
