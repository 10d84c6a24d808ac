"""`paradox render` refuses what would harm a user's files, and every failure is a sentence.

Each case asserts the sentence, the exit code, that no traceback is printed and that the
folders involved are byte-identical afterwards. None of them gets as far as executing a
chapter, so they are fast.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from analysis.data.paths import DEFAULT_DATA
from paradox.cli import main as cli
from tests.digests import file_digest
from tests.e2e.conftest import PINNED_EPOCH

REPO = Path(__file__).resolve().parent.parent



def run(capsys, *args: str) -> tuple[int, str]:
    """`paradox ARGS` in-process: (exit code, stderr); a traceback would fail the test."""
    code = cli(list(args))
    return code, capsys.readouterr().err


@pytest.fixture
def users_folder(tmp_path) -> Path:
    folder = tmp_path / "u"
    folder.mkdir()
    (folder / "thesis.txt").write_text("x\n", encoding="utf-8")
    return folder


def test_out_naming_a_users_folder_is_refused(capsys, users_folder):
    before = file_digest(users_folder)
    code, err = run(capsys, "render", "--to", "html", "--out", str(users_folder))
    assert code == 1
    assert f"--out {users_folder}: folder is not empty and was not written by this renderer" in " ".join(err.split())
    assert "Traceback" not in err
    assert file_digest(users_folder) == before


def test_out_dot_is_refused(capsys, users_folder, monkeypatch):
    monkeypatch.chdir(users_folder)
    code, err = run(capsys, "render", "--to", "html", "--out", ".")
    assert code == 1 and "is the current folder" in err and "Traceback" not in err
    assert (users_folder / "thesis.txt").read_text(encoding="utf-8") == "x\n"


def test_out_the_data_folder_is_refused(capsys, tmp_path):
    data = Path(shutil.copytree(DEFAULT_DATA, tmp_path / "data"))
    before = file_digest(data)
    code, err = run(capsys, "render", "--to", "html", "--data", str(data), "--out", str(data))
    assert code == 1 and f"--out {data}: is the folder {data}" in " ".join(err.split())
    assert file_digest(data) == before


@pytest.mark.parametrize("out, message", [
    ("/", "refusing to write a book over a filesystem root"),
    (str(REPO), "is the project folder"),
])
def test_out_a_root_or_the_project_is_refused(capsys, tmp_path, monkeypatch, out, message):
    monkeypatch.chdir(tmp_path)  # elsewhere, so the project is not also the current folder
    code, err = run(capsys, "render", "--to", "html", "--out", out)
    assert code == 1 and message in " ".join(err.split()) and "Traceback" not in err


def test_a_crafted_since_ledger_is_refused_before_anything_is_written(capsys, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "claims.json").write_text(json.dumps([
        {"id": "x` <script>alert(1)</script> `", "kind": "number", "text": "1"},
        {"id": "a", "kind": "number", "text": "2", "edition_date": "<img src=https://e.org/x>"},
    ]), encoding="utf-8")
    out = tmp_path / "book"
    code, err = run(capsys, "render", "--to", "html", "--since", str(old), "--out", str(out))
    assert code == 1
    assert err.startswith(f"--since: {old / 'claims.json'}: not a valid claims ledger: entry 1: id: expected")
    assert "entry 2: edition_date: expected a date such as 2026-11-30" in err
    assert not out.exists()


def test_ctrl_c_during_the_data_check_is_a_sentence(capsys, tmp_path, monkeypatch):
    import analysis.data

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(analysis.data, "check_folder", interrupted)
    code, err = run(capsys, "render", "--to", "html", "--out", str(tmp_path / "b"))
    assert code == 130
    assert err == "paradox render: interrupted; nothing was changed.\n"
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_is_a_sentence_and_the_old_book_stays(capsys, tmp_path, monkeypatch, number):
    """The write fails where the OS would fail it: while the new book is written."""
    import renderer.build
    from renderer import outdir

    book = tmp_path / "book"
    book.mkdir()
    (book / "index.html").write_text("previous edition", encoding="utf-8")
    outdir.write_marker(book)
    before = file_digest(book)

    def full(*args, **kwargs):
        raise OSError(number, os.strerror(number), str(tmp_path / "book.tmp-x" / "index.html"))

    monkeypatch.setattr(renderer.build, "_write_book", full)
    # the e2e renders' edition date, so the chapters come from the cache they left warm
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    code, err = run(capsys, "render", "--to", "html", "--out", str(book))
    assert code == 1 and "Traceback" not in err
    assert f"render failed: could not read or write {tmp_path / 'book.tmp-x' / 'index.html'}: {os.strerror(number)}" \
        in " ".join(err.split())
    assert "The previous output (if any) was left as it was." in err
    assert file_digest(book) == before
    assert sorted(os.listdir(tmp_path)) == ["book"]  # the temporary folder was removed
