"""render_book's `setup` runs once, with the render lock held, before any chapter executes."""

from __future__ import annotations

import fcntl

import pytest

pytestmark = pytest.mark.slow


def test_setup_runs_under_the_lock_before_chapters(book_copy, tmp_path):
    from renderer import render_book

    seen = []

    def setup():
        with open(book_copy / ".render-cache" / "lock", "w") as fh:
            try:  # another process (or open file) cannot take the lock now
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("unlocked")
            except BlockingIOError:
                seen.append("locked")
        seen.append(len(list((book_copy / ".render-cache" / "chapters").glob("*.json"))))  # none executed yet

    result = render_book(book_copy, tmp_path / "out", formats=("html",), setup=setup)
    assert seen == ["locked", 0] and result.executed
    # and the chapters it ran were stored afterwards (so the count above could have been > 0)
    assert list((book_copy / ".render-cache" / "chapters").glob("*.json"))
