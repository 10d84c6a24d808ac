"""Bad data end to end: `paradox render --data DIR --out OUT` over a corpus of corrupted data
folders (tests/e2e/corrupt.py), where OUT holds the previous good render.

Each must give the line a user needs, a non-zero exit, no Python traceback, and leave both
the data folder and the previous book byte-identical (nothing beside the book either).
Validation faults stop the render before any kernel starts (the command line is run through
`paradox.cli.main` in the test's process, see `render`); the two model faults pass validation
and must stop the installed command while the explanations are computed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import copy_data, digest_changes, explain, run_paradox, tree_digest
from .corrupt import CORRUPTIONS, line_matching

pytestmark = pytest.mark.slow


def test_the_corpus_covers_the_required_kinds():
    names = {c.name for c in CORRUPTIONS}
    required = {
        "missing_column", "extra_column", "wrong_type", "negative_count", "percentage_over_100",
        "duplicate_key", "unknown_iso3", "empty_file", "wrong_delimiter", "non_utf8",
        "checksum_mismatch", "missing_file", "unknown_source", "future_year", "model_does_not_converge",
        "control_character", "underscore_digits", "header_only", "schema_without_minimum",
    }
    assert required <= names and len(CORRUPTIONS) >= 12


@pytest.fixture(scope="module")
def refused_book(good_book, tmp_path_factory) -> Path:
    """One copy of the good render for every validation-stage case: such a render stops
    before writing anything, and each case checks the copy is byte-identical afterwards, so a
    case that touched it fails itself (copying the whole book per case cost seconds each)."""
    out = tmp_path_factory.mktemp("refused") / "site" / "_book"
    shutil.copytree(good_book, out, symlinks=True)
    return out


def render(corruption, capsys, *args: str) -> subprocess.CompletedProcess:
    """`paradox ARGS` for one case. A fault met while the chapters run: the installed command,
    in its own process. A validation fault: the same command line through `paradox.cli.main`
    in this process (as tests/test_render_command.py runs it), its exit code and stderr as the
    command's. Such a render stops before any kernel starts, so a process of its own checked
    nothing more per case and cost a Python start-up and its imports (about 1.3 s of CPU)
    each; the installed command's own exit code and stderr on bad data are tested by
    tests/test_data_cli.py and tests/renderer/test_paradox_render.py."""
    if corruption.at_execution:
        return run_paradox(*args)
    from paradox.cli import main

    capsys.readouterr()  # what the test printed before
    started = time.monotonic()
    code = main(list(args))
    printed = capsys.readouterr()
    done = subprocess.CompletedProcess(["paradox", *args], code, printed.out, printed.err)
    done.seconds = time.monotonic() - started
    return done


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=lambda c: c.name)
def test_bad_data_stops_the_render_with_a_clear_message(corruption, tmp_path, request, capsys):
    # A fault met while the chapters run gets a book of its own: the render has started.
    previous_book = request.getfixturevalue("previous_book" if corruption.at_execution
                                            else "refused_book")
    data = copy_data(tmp_path / "data")
    planted = corruption.plant(data)
    if corruption.at_execution:
        # A deliberate edit: record it as the user would (`paradox describe`), so that the
        # fault meets the model - unless validation refuses the values, which the expected
        # pattern of such a case allows.
        described = run_paradox("describe", str(data), timeout=120)
        if corruption.passes_validation:
            assert described.returncode == 0, explain(described)
            checked = run_paradox("check", str(data), timeout=120)
            assert checked.returncode == 0, "this fault must pass validation:\n" + explain(checked)
    data_before = tree_digest(data)
    book_before = tree_digest(previous_book)
    beside_before = set(os.listdir(previous_book.parent))

    done = render(corruption, capsys, "render", "--to", "html", "--data", str(data), "--out", str(previous_book))

    expected = corruption.expect(planted)
    assert done.returncode != 0, explain(done)
    assert "Traceback (most recent call last)" not in done.stderr, explain(done)
    assert line_matching(expected, done.stderr), f"no stderr line matches {expected!r}\n" + explain(done)
    assert digest_changes(data_before, tree_digest(data)) == [], "the data folder was modified"
    assert digest_changes(book_before, tree_digest(previous_book)) == [], "the previous book was modified"
    assert sorted(set(os.listdir(previous_book.parent)) - beside_before) == [], "the render left files beside the book"
    if not corruption.at_execution:
        # Every stderr line is a problem line (`file: ...`), then the closing count: one
        # clear message, nothing else (no progress, no log noise).
        lines = [l for l in done.stderr.splitlines() if l.strip()]
        assert lines[-1].endswith("nothing was rendered."), explain(done)
        assert all(re.match(r"[\w./-]+\.(csv|json): ", l) for l in lines[:-1]), explain(done)
