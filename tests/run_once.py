"""Work done once per test run, not once per pytest-xdist worker.

`make test` runs three workers. A session fixture is made once per worker, so the real book's
bundles (4 s), its figures (2 s) and the 2013 cut's bundles (4 s) were built up to three
times on the same 2 cores. Here the first worker that needs one makes it under a file lock in
a folder every worker sees (the pytest-xdist docs' pattern, as tests/e2e/conftest.py's
`good_book` does for the render) and the others read what it wrote. Without xdist (a plain
`pytest`, `make mutate`) nothing is shared: each session makes its own, as before.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def exclusive(lock: Path):
    """Hold an flock on `lock` (waiting for whoever holds it): one process at a time."""
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def under_xdist() -> bool:
    """Whether this process is a pytest-xdist worker."""
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def shared_temp(tmp_path_factory) -> Path:
    """A folder every process of this test run sees: under pytest-xdist the parent of the
    workers' own base folders, else the base folder itself."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if under_xdist() else base


def once_per_run(tmp_path_factory, name: str, make: Callable[[], T]) -> T:
    """`make()`, called by one worker of this run; the others load its pickled result.

    Only for values tests read and never change (what a session fixture holds anyway). The
    pickle is written under a temporary name and renamed, so a worker that died half-way
    leaves nothing another would read."""
    if not under_xdist():
        return make()
    home = shared_temp(tmp_path_factory)
    stored = home / f"{name}.pickle"
    with exclusive(home / f"{name}.lock"):
        if not stored.is_file():
            value = make()
            part = stored.with_suffix(".part")
            part.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            part.replace(stored)
            return value
    return pickle.loads(stored.read_bytes())
