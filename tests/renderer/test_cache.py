"""The data-aware cache: reuse only when nothing a chapter read has changed; never stale."""

from __future__ import annotations

import pytest

from renderer import render_book

pytestmark = pytest.mark.slow
DATA = ("TEST_BOOK_DATA",)  # the test book's data folder variable (chapters/bookdata.py)
ALL = ["index.qmd", "chapters/growth.qmd", "chapters/context.qmd", "chapters/method.qmd"]


def render(book, **kw):
    return render_book(book, book / "_book", formats=("html",), **kw)


def test_second_render_executes_nothing_and_is_fast(book_copy):
    first = render(book_copy)
    assert first.executed == ALL
    second = render(book_copy)
    assert second.executed == [] and second.reused == ALL
    assert second.total_seconds < 2


def test_changed_data_file_reexecutes_only_the_chapter_that_read_it(warm_book_copy):
    render(warm_book_copy)
    csv = warm_book_copy / "data" / "measurements.csv"
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    result = render(warm_book_copy)
    assert result.executed == ["chapters/growth.qmd"]
    # never stale: the new mean of north (12.5 + 14 + 41) / 3 = 22.5 is what the page shows
    page = (warm_book_copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
    assert ">22.5 cm</span>" in page
    assert "41.0" in page and "17.5" not in page  # the table follows too


def test_touched_but_identical_file_is_not_a_change(warm_book_copy):
    render(warm_book_copy)
    csv = warm_book_copy / "data" / "sources.csv"
    csv.write_bytes(csv.read_bytes())
    assert render(warm_book_copy).executed == []


def test_edited_project_module_reexecutes_the_chapters_that_import_it(warm_book_copy):
    render(warm_book_copy)
    module = warm_book_copy / "chapters" / "bookdata.py"
    module.write_text(module.read_text().replace('f"{self.value:,.1f} {self.unit}"', 'f"{self.value:,.2f} {self.unit}"'))
    result = render(warm_book_copy)
    assert result.executed == ["chapters/growth.qmd", "chapters/method.qmd"]
    page = (warm_book_copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
    assert ">14.67 cm</span>" in page


def test_edited_chapter_source_reexecutes_that_chapter_only(warm_book_copy):
    render(warm_book_copy)
    chapter = warm_book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace("printed output is shown", "printed output changed"))
    assert render(warm_book_copy).executed == ["chapters/context.qmd"]


def test_new_file_in_a_listed_directory_is_a_change(warm_book_copy):
    index = warm_book_copy / "index.qmd"
    index.write_text(index.read_text().replace("sites = 2", "import os\nsites = len(os.listdir('data'))"))
    render(warm_book_copy)
    (warm_book_copy / "data" / "extra.csv").write_text("a\n1\n")
    assert render(warm_book_copy).executed == ["index.qmd"]


def test_environment_is_part_of_the_key_and_fresh_ignores_the_cache(warm_book_copy, tmp_path):
    render(warm_book_copy)
    other = tmp_path / "other-data"
    other.mkdir()
    (other / "measurements.csv").write_text((warm_book_copy / "data" / "measurements.csv").read_text())
    (other / "sources.csv").write_text((warm_book_copy / "data" / "sources.csv").read_text())
    moved = render(warm_book_copy, env={"TEST_BOOK_DATA": str(other)})
    assert moved.executed == ALL
    assert render(warm_book_copy, env={"TEST_BOOK_DATA": str(other)}).executed == []
    assert render(warm_book_copy).executed == []  # the first environment's entries are still there
    assert render(warm_book_copy, fresh=True).executed == ALL


def test_chapter_that_runs_a_subprocess_is_never_reused(warm_book_copy):
    """A subprocess reads files the audit hook cannot see (git, say): reuse could be stale."""
    chapter = warm_book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace(
        "import textwrap\n", "import subprocess, sys, textwrap\nsubprocess.run([sys.executable, '-c', 'pass'])\n"))
    first = render(warm_book_copy)
    assert "chapters/context.qmd" in first.volatile and "subprocess.Popen" in first.volatile["chapters/context.qmd"][0]
    second = render(warm_book_copy)
    assert second.executed == ["chapters/context.qmd"]
    assert set(second.reused) == set(ALL) - {"chapters/context.qmd"}


def test_a_chapter_that_looks_up_a_system_library_is_reused(warm_book_copy):
    """ctypes.util.find_library runs `ldconfig -p` (threadpoolctl does, to find libc): its output
    is the system's library cache, not an input of the project, so the chapter is still cached."""
    chapter = warm_book_copy / "chapters" / "context.qmd"
    chapter.write_text(chapter.read_text().replace(
        "import textwrap\n", "import ctypes.util, textwrap\nassert ctypes.util.find_library('c')\n"))
    first = render(warm_book_copy)
    assert first.volatile == {} and "chapters/context.qmd" in first.executed
    assert render(warm_book_copy).executed == []


def test_a_copied_project_reuses_its_runs_checked_against_the_copys_files(book_copy, tmp_path):
    """Recorded inputs are relative to the project: a copy (cache included) reuses every run
    whose files are the same in the copy, and re-executes a chapter whose file the copy
    changed - never the old copy's numbers."""
    import shutil

    render(book_copy)
    copy = tmp_path / "copy"
    shutil.copytree(book_copy, copy)  # cache included
    assert render(copy).executed == []
    csv = copy / "data" / "measurements.csv"
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    assert render(copy).executed == ["chapters/growth.qmd"]
    assert ">22.5 cm</span>" in (copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")


def test_a_moved_project_does_not_reuse_runs_that_read_the_old_copy(book_copy, tmp_path):
    """What it protects: a project in another folder never reuses a run whose inputs may no
    longer be the same. A chapter may have opened a file by its absolute path (in the folder
    the run happened in) or relative to the project, so both must hash as recorded: a change
    in the old folder re-executes the chapter that read it, even in an unchanged copy, and a
    project moved away from its old folder re-executes every chapter that read a file
    (growth: the data; method: the project module bookdata.py). index and context read none:
    their key (source, environment, renderer, packages) is all they depend on."""
    import shutil

    render(book_copy)
    copy = tmp_path / "copy"
    shutil.copytree(book_copy, copy)  # cache included
    csv = book_copy / "data" / "measurements.csv"  # the old folder's file, not the copy's
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    assert render(copy).executed == ["chapters/growth.qmd"]
    assert ">14.7 cm</span>" in (copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")  # (12.5 + 14 + 17.5) / 3
    moved = tmp_path / "moved"
    shutil.move(book_copy, moved)  # the folder every stored run read is gone
    assert render(moved).executed == ["chapters/growth.qmd", "chapters/method.qmd"]
    assert ">22.5 cm</span>" in (moved / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")


def test_the_same_data_in_another_folder_reuses_every_run_and_a_changed_file_reexecutes(warm_book_copy, tmp_path):
    """`render_book(placeless=...)`: the data folder is keyed by content, not by place (what `paradox
    update` and `paradox diff` rely on: they render a staging copy beside the user's folder).
    A copy holding the same files reuses every run, even when the first folder is gone; a file
    changed in the copy re-executes the chapter that read it, and the page shows the copy's
    numbers, never the first folder's."""
    import shutil

    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(warm_book_copy / "data", first)
    assert render(warm_book_copy, env={"TEST_BOOK_DATA": str(first)}, placeless=DATA).executed == ALL
    shutil.copytree(first, second)
    shutil.rmtree(first)
    again = render(warm_book_copy, env={"TEST_BOOK_DATA": str(second)}, placeless=DATA)
    assert again.executed == [] and again.reused == ALL
    # the kept notebooks are rebuilt for this render: they name the folder it read, so a
    # replay reads the same data; nothing in the book names the first folder
    book = warm_book_copy / "_book"
    kept = [p for p in book.rglob("*.ipynb")]
    assert kept and all(str(second) in p.read_text(encoding="utf-8") for p in kept)
    assert [p.name for p in book.rglob("*") if p.is_file() and str(first).encode() in p.read_bytes()] == []
    csv = second / "measurements.csv"
    csv.write_text(csv.read_text().replace("2021,north,17.5", "2021,north,41.0"))
    assert render(warm_book_copy, env={"TEST_BOOK_DATA": str(second)}, placeless=DATA).executed == ["chapters/growth.qmd"]
    page = (warm_book_copy / "_book" / "chapters" / "growth.html").read_text(encoding="utf-8")
    assert ">22.5 cm</span>" in page  # (12.5 + 14 + 41) / 3
    # both contents keep their runs: the unchanged data (in a third folder) re-executes nothing
    third = tmp_path / "third"
    shutil.copytree(warm_book_copy / "data", third)
    assert render(warm_book_copy, env={"TEST_BOOK_DATA": str(third)}, placeless=DATA).executed == []

