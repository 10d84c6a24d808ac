"""A render killed midway - Ctrl-C (SIGINT to the whole process group, as a terminal sends
it) or a crash (SIGKILL to the `paradox` process alone, its kernels orphaned) - must leave
the previous `_book/` byte-identical and nothing behind that stops the next render.

Two moments: ~2.5 s into a `--fresh` render (chapters executing in kernels), and the most
dangerous one, while the new book is being written beside the old one (killed the instant
the render's temporary output folder appears next to `_book/`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import PARADOX, REPO, digest_changes, explain, paradox_env, run_paradox, tree_digest

pytestmark = pytest.mark.slow

# Kill ~2.5 s into a --fresh render, or as soon as its first chapter has finished executing
# if that comes sooner (a fast machine): either way validation is past and kernels are busy.
KILL_AFTER = 2.5


class Render:
    """`paradox render ARGS --out OUT` in its own process group, output to files."""

    def __init__(self, out: Path, logs: Path, *args: str):
        self.stdout, self.stderr = (logs / "stdout.txt").open("w"), (logs / "stderr.txt").open("w")
        self.logs = logs
        self.proc = subprocess.Popen(
            [str(PARADOX), "render", *args, "--out", str(out)],
            stdout=self.stdout,
            stderr=self.stderr,
            env=paradox_env(),
            cwd=REPO,
            start_new_session=True,  # its own process group: Ctrl-C reaches all of it, cleanup too
            # As started from a terminal: SIGINT handled by default even if this test run was
            # launched in the background by a shell that ignores it (ignored signals are inherited).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )

    def kill(self, how: str) -> int:
        if how == "SIGINT":
            os.killpg(self.proc.pid, signal.SIGINT)
        else:
            os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(timeout=120)
        self.stdout.close()
        self.stderr.close()
        return code

    def error_output(self) -> str:
        return (self.logs / "stderr.txt").read_text()[-3000:]

    def close(self) -> None:
        """End whatever is left of the process group we started (orphaned kernels after SIGKILL)."""
        for f in (self.stdout, self.stderr):
            f.close()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)


def assert_next_render_works(book: Path, beside_before: set[str]) -> None:
    """No stale lock or half-written cache entry: the next render succeeds, replaces the book,
    and clears whatever the killed one left beside it."""
    again = run_paradox("render", "--to", "html", "--out", str(book), timeout=600, wait_for_lock=False)
    assert again.returncode == 0, explain(again)
    assert (book / "index.html").exists() and (book / "claims.json").exists()
    assert sorted(set(os.listdir(book.parent)) - beside_before) == [], "stale output left beside the book"


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_render_killed_while_executing_leaves_previous_book_intact(previous_book, tmp_path, how):
    before = tree_digest(previous_book)
    beside_before = set(os.listdir(previous_book.parent))
    render = Render(previous_book, tmp_path, "--fresh")
    try:
        deadline = time.monotonic() + KILL_AFTER
        while time.monotonic() < deadline and "executed" not in (tmp_path / "stdout.txt").read_text():
            time.sleep(0.02)
        assert render.proc.poll() is None, "the render ended before it could be interrupted\n" + explain_render(render)
        code = render.kill(how)
        # Exit 0 here would mean the render ignored Ctrl-C and finished (replacing the book).
        assert code != 0, "an interrupted render must not report success\n" + render.error_output()
        assert digest_changes(before, tree_digest(previous_book)) == []
        if how == "SIGINT":
            # A graceful stop: a sentence, not a KeyboardInterrupt traceback, and no litter.
            assert "Traceback (most recent call last)" not in render.error_output(), render.error_output()
            left = sorted(set(os.listdir(previous_book.parent)) - beside_before)
            assert left == [], f"Ctrl-C left temporary output beside _book/: {left}"
        assert_next_render_works(previous_book, beside_before)
    finally:
        render.close()


def test_render_killed_while_writing_the_new_book_leaves_previous_book_intact(previous_book, tmp_path):
    before = tree_digest(previous_book)
    parent = previous_book.parent
    beside_before = set(os.listdir(parent))
    # From the cache (chapters reused) the render reaches its output phase within seconds.
    render = Render(previous_book, tmp_path)
    try:
        deadline = time.monotonic() + 300
        new = set()
        while not new and render.proc.poll() is None and time.monotonic() < deadline:
            new = {n for n in os.listdir(parent) if n.startswith(previous_book.name + ".")} - beside_before
            time.sleep(0.005)
        assert new, "the render never wrote its output beside the book (or ended first)\n" + explain_render(render)
        assert render.proc.poll() is None, "the render ended before it could be killed while writing"
        render.kill("SIGKILL")
        assert digest_changes(before, tree_digest(previous_book)) == []
        assert_next_render_works(previous_book, beside_before)
    finally:
        render.close()


def explain_render(render: Render) -> str:
    render.stdout.flush()
    render.stderr.flush()
    return (render.logs / "stdout.txt").read_text()[-2000:] + (render.logs / "stderr.txt").read_text()[-2000:]
