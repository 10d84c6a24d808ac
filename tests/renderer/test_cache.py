"""The data-aware cache: reuse only when nothing a chapter read has changed; never stale."""

from __future__ import annotations

import pytest

from renderer import render_book

pytestmark = pytest.mark.slow
ALL = ["index.qmd", "chapters/growth.qmd", "chapters/context.qmd", "chapters/method.qmd"]


def render(book, **kw):
    return render_book(book, book / "_book", formats=("html",), **kw)


def test_second_render_executes_nothing_and_is_fast(book_copy):
    first = render(book_copy)
    assert first.executed == ALL
    second = render(book_copy)
    assert second.executed == [] and second.reused == ALL
    assert second.total_seconds < 2


def test_changed_data_file_reexecutes_only_the_chapter_that_read_it(book_copy):
    render(book_copy)
    csv = book_copy / "data" / "measurements.csv"
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    result = render(book_copy)
    assert result.executed == ["chapters/growth.qmd"]
    # never stale: the new mean of north (12.5 + 14 + 41) / 3 = 22.5 is what the page shows
    page = (book_copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
    assert ">22.5 cm</span>" in page
    assert "41.0" in page and "17.5" not in page  # the table follows too


def test_touched_but_identical_file_is_not_a_change(book_copy):
    render(book_copy)
    csv = book_copy / "data" / "sources.csv"
    csv.write_bytes(csv.read_bytes())
    assert render(book_copy).executed == []


def test_edited_project_module_reexecutes_the_chapters_that_import_it(book_copy):
    render(book_copy)
    module = book_copy / "chapters" / "bookdata.py"
    module.write_text(module.read_text().replace('f"{self.value:,.1f} {self.unit}"', 'f"{self.value:,.2f} {self.unit}"'))
    result = render(book_copy)
    assert result.executed == ["chapters/growth.qmd", "chapters/method.qmd"]
    page = (book_copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
    assert ">14.67 cm</span>" in page


def test_edited_chapter_source_reexecutes_that_chapter_only(book_copy):
    render(book_copy)
    chapter = book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace("printed output is shown", "printed output changed"))
    assert render(book_copy).executed == ["chapters/context.qmd"]


def test_new_file_in_a_listed_directory_is_a_change(book_copy):
    index = book_copy / "index.qmd"
    index.write_text(index.read_text().replace("sites = 2", "import os\nsites = len(os.listdir('data'))"))
    render(book_copy)
    (book_copy / "data" / "extra.csv").write_text("a\n1\n")
    assert render(book_copy).executed == ["index.qmd"]


def test_environment_is_part_of_the_key_and_fresh_ignores_the_cache(book_copy, tmp_path):
    render(book_copy)
    other = tmp_path / "other-data"
    other.mkdir()
    (other / "measurements.csv").write_text((book_copy / "data" / "measurements.csv").read_text())
    (other / "sources.csv").write_text((book_copy / "data" / "sources.csv").read_text())
    moved = render(book_copy, env={"TEST_BOOK_DATA": str(other)})
    assert moved.executed == ALL
    assert render(book_copy, env={"TEST_BOOK_DATA": str(other)}).executed == []
    assert render(book_copy).executed == []  # the first environment's entries are still there
    assert render(book_copy, fresh=True).executed == ALL


def test_chapter_that_runs_a_subprocess_is_never_reused(book_copy):
    """A subprocess reads files the audit hook cannot see (git, say): reuse could be stale."""
    chapter = book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace(
        "import textwrap\n", "import subprocess, sys, textwrap\nsubprocess.run([sys.executable, '-c', 'pass'])\n"))
    first = render(book_copy)
    assert "chapters/context.qmd" in first.volatile and "subprocess.Popen" in first.volatile["chapters/context.qmd"][0]
    second = render(book_copy)
    assert second.executed == ["chapters/context.qmd"]
    assert set(second.reused) == set(ALL) - {"chapters/context.qmd"}


def test_a_chapter_that_looks_up_a_system_library_is_reused(book_copy):
    """ctypes.util.find_library runs `ldconfig -p` (threadpoolctl does, to find libc): its output
    is the system's library cache, not an input of the project, so the chapter is still cached."""
    chapter = book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace(
        "import textwrap\n", "import ctypes.util, textwrap\nassert ctypes.util.find_library('c')\n"))
    first = render(book_copy)
    assert first.volatile == {} and "chapters/context.qmd" in first.executed
    assert render(book_copy).executed == []


def test_a_moved_project_does_not_reuse_runs_that_read_the_old_copy(book_copy, tmp_path):
    import shutil

    render(book_copy)
    moved = tmp_path / "moved"
    shutil.copytree(book_copy, moved)  # cache included
    csv = moved / "data" / "measurements.csv"
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    result = render(moved)
    assert result.executed == ALL
    assert ">22.5 cm</span>" in (moved / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
