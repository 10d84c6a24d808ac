"""The output folder a render replaces is its own and nothing else (renderer/outdir.py).

Known answers: each refusal is the sentence a user reads, and the folder named is
byte-identical afterwards; recovery after a killed render touches only journaled folders.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from renderer import RenderError
from renderer import outdir
from tests.digests import file_digest



@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a data folder; the current folder is a separate work folder."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "homicide.csv").write_text("iso3,year\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


def check(out, project, protected=()):
    outdir.check_out_dir(Path(out), project, project / ".render-cache", protected)


def test_a_new_or_empty_folder_or_an_earlier_book_is_accepted(project, tmp_path):
    check(tmp_path / "new" / "_book", project)
    (tmp_path / "empty").mkdir()
    check(tmp_path / "empty", project)
    book = tmp_path / "book"
    book.mkdir()
    (book / "index.html").write_text("old", encoding="utf-8")
    outdir.write_marker(book)
    check(book, project)
    check(project / "_book", project)  # inside the project is where books live


def test_a_users_folder_is_refused_and_left_alone(project, tmp_path):
    users = tmp_path / "u"
    users.mkdir()
    (users / "thesis.txt").write_text("x", encoding="utf-8")
    before = file_digest(users)
    with pytest.raises(RenderError, match=r"folder is not empty and was not written by this "
                                          r"renderer \(no \.book-by-renderer file in it\); nothing was changed"):
        check(users, project)
    assert file_digest(users) == before


@pytest.mark.parametrize("name, message", [
    ("cwd", "is the current folder"),
    ("cwd-parent", "contains the current folder"),
    ("project", "is the project folder"),
    ("data", "is the folder"),
    ("cache", "is the render cache"),
])
def test_folders_a_render_must_never_replace(project, name, message):
    target = {"cwd": Path.cwd(), "cwd-parent": Path.cwd().parent, "project": project,
              "data": project / "data", "cache": project / ".render-cache"}[name]
    with pytest.raises(RenderError, match=message):
        check(target, project, protected=(project / "data",))


def test_inside_the_data_folder_is_refused(project):
    with pytest.raises(RenderError, match="is inside the folder .*data, which a render must not change"):
        check(project / "data" / "_book", project, protected=(project / "data",))


def test_a_filesystem_root_and_a_file_are_refused(project, tmp_path):
    with pytest.raises(RenderError, match="refusing to write a book over a filesystem root"):
        check(Path("/"), project)
    file = tmp_path / "notes.txt"
    file.write_text("keep me", encoding="utf-8")
    with pytest.raises(RenderError, match="is a file, not a folder"):
        check(file, project)
    assert file.read_text(encoding="utf-8") == "keep me"


def test_swap_names_are_random_and_journaled(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "_book"
    cache.mkdir()
    a, b = outdir.begin(cache, out), outdir.begin(cache, out)
    assert a.tmp != b.tmp and a.tmp.name.startswith("_book.tmp-") and a.old.name.startswith("_book.old-")
    journal = json.loads((cache / outdir.JOURNAL).read_text(encoding="utf-8"))
    assert [e["tmp"] for e in journal] == [str(a.tmp), str(b.tmp)]


def test_finish_replaces_the_book_and_closes_the_journal(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "_book"
    cache.mkdir()
    out.mkdir()
    (out / "old.html").write_text("old", encoding="utf-8")
    swap = outdir.begin(cache, out)
    swap.tmp.mkdir()
    (swap.tmp / "new.html").write_text("new", encoding="utf-8")
    outdir.finish(cache, swap)
    assert sorted(os.listdir(out)) == ["new.html"]
    assert sorted(os.listdir(tmp_path)) == ["_book", "cache"]
    assert not (cache / outdir.JOURNAL).exists()


def test_recovery_touches_only_what_the_journal_names(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "_book"
    cache.mkdir()
    mine = tmp_path / "_book.old-v1"  # a user's earlier edition, named like a swap folder
    mine.mkdir()
    (mine / "claims.json").write_text("[]", encoding="utf-8")
    other = tmp_path / "_book.tmp-notes"
    other.mkdir()
    # A render killed between its two renames: the book is in `old`, `out` is gone.
    swap = outdir.begin(cache, out)
    swap.old.mkdir()
    (swap.old / "index.html").write_text("good", encoding="utf-8")
    swap.tmp.mkdir()
    outdir.recover(cache)
    assert (out / "index.html").read_text(encoding="utf-8") == "good"
    assert mine.is_dir() and other.is_dir()
    assert sorted(os.listdir(tmp_path)) == ["_book", "_book.old-v1", "_book.tmp-notes", "cache"]
    outdir.recover(cache)  # nothing left to do, nothing touched
    assert sorted(os.listdir(tmp_path)) == ["_book", "_book.old-v1", "_book.tmp-notes", "cache"]
