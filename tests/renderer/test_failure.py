"""Failures: the message names chapter file, cell and Python error; the last good output
survives; nothing left behind breaks the next render."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from renderer import RenderError, UnsupportedSyntaxError, render_book

pytestmark = pytest.mark.slow


def tree_digest(folder) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def leftovers(book) -> list[str]:
    return sorted(p.name for p in book.iterdir() if p.name.startswith("_book."))


def test_failing_cell_names_file_label_line_and_error_and_keeps_last_good_book(warm_book_copy):
    out = warm_book_copy / "_book"
    render_book(warm_book_copy, out, formats=("html",))
    before = tree_digest(out)
    chapter = warm_book_copy / "chapters" / "context.qmd"
    good = chapter.read_text()
    chapter.write_text(good + "\n```{python}\n#| label: boom\nx = 1\ny = x / 0\n```\n")
    index = warm_book_copy / "index.qmd"
    index.write_text(index.read_text().replace("sites = 2", "sites = 1 + 1"))  # runs beside the failure
    lines = chapter.read_text().splitlines()
    expected_line = lines.index("y = x / 0") + 1
    with pytest.raises(RenderError) as info:
        render_book(warm_book_copy, out, formats=("html",))
    assert str(info.value) == (f"chapters/context.qmd: cell 'boom' (line {expected_line}): "
                               "ZeroDivisionError: division by zero")
    assert tree_digest(out) == before and leftovers(warm_book_copy) == []
    chapter.write_text(good)
    # the edited index ran fine in the failed render and was cached; the restored chapter
    # matches its stored run: nothing executes
    assert render_book(warm_book_copy, out, formats=("html",)).executed == []
    assert leftovers(warm_book_copy) == []


def test_failing_inline_expression_names_the_expression_and_line(book_copy):
    index = book_copy / "index.qmd"
    index.write_text(index.read_text() + "\nBroken: `{python} undefined_name + 1`.\n")
    line = index.read_text().splitlines().index("Broken: `{python} undefined_name + 1`.") + 1
    with pytest.raises(RenderError) as info:
        render_book(book_copy, book_copy / "_book", formats=("html",))
    message = str(info.value)
    assert message.startswith(f"index.qmd: inline expression `undefined_name + 1` at line {line}: NameError")
    assert not (book_copy / "_book").exists()


def test_unsupported_syntax_stops_before_any_kernel(book_copy):
    chapter = book_copy / "chapters" / "method.qmd"
    chapter.write_text(chapter.read_text() + "\n{{< pagebreak >}}\n")
    line = len(chapter.read_text().splitlines())
    with pytest.raises(UnsupportedSyntaxError) as info:
        render_book(book_copy, book_copy / "_book")
    assert str(info.value).startswith(f"{chapter.resolve()}:{line}: shortcode")
    assert not (book_copy / ".render-cache" / "chapters").exists()  # no chapter ran


def test_unknown_cross_reference_is_an_error_naming_the_chapter(book_copy):
    chapter = book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text() + "\nSee @fig-missing.\n")
    with pytest.raises(RenderError, match=r"chapters/context.qmd: cross-reference @fig-missing has no target"):
        render_book(book_copy, book_copy / "_book", formats=("html",))


KILL_SCRIPT = """
import sys
from renderer import render_book
render_book(sys.argv[1], sys.argv[2], formats=("html", "pdf"), fresh=True,
            progress=lambda *a: print(*a, flush=True))
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_render_leaves_last_good_book_and_next_render_works(warm_book_copy, sig):
    out = warm_book_copy / "_book"
    render_book(warm_book_copy, out, formats=("html",))
    before = tree_digest(out)
    # One chapter sleeps, so the render is surely still executing when the signal arrives:
    # without it the tiny book could finish between the first "executed" line and the kill
    # (seen once under two busy pytest-xdist workers: exit 0).
    slow = warm_book_copy / "chapters" / "method.qmd"
    original = slow.read_text(encoding="utf-8")
    slow.write_text(original + "\n```{python}\nimport time\ntime.sleep(120)\n```\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(warm_book_copy), str(out)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("executed")  # killed while method.qmd sleeps
    proc.send_signal(sig)
    proc.wait(timeout=60)
    slow.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    assert tree_digest(out) == before
    result = render_book(warm_book_copy, out, formats=("html",))
    assert (out / "index.html").exists() and leftovers(warm_book_copy) == []
    assert set(result.executed) | set(result.reused) == {"index.qmd", "chapters/growth.qmd",
                                                          "chapters/context.qmd", "chapters/method.qmd"}
