"""The chapter cache key changes with everything a stored execution depends on beyond the
files it read: the renderer's own code and the installed packages (fast, no render).

Why: a stale chapter shown after a renderer fix or a library upgrade is a wrong number with
nothing on the page to say so; the recorded file hashes cannot see either change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from renderer import cache

ARGS = ("chapters/01.qmd", "print(1)", {"PARADOX_DATA": "/d"}, {"echo": False})


@pytest.fixture
def fresh_hashes(monkeypatch):
    """Forget the memoised renderer and package hashes (restored after the test)."""
    monkeypatch.setattr(cache, "_renderer_hash", None)
    monkeypatch.setattr(cache, "_packages_hash", None)


def _key(monkeypatch, **replace) -> str:
    """chapter_key with ARGS, some replaced by keyword, memoised hashes recomputed."""
    monkeypatch.setattr(cache, "_renderer_hash", None)
    monkeypatch.setattr(cache, "_packages_hash", None)
    names = ("rel", "source", "env", "defaults")
    args = dict(zip(names, ARGS)) | replace
    return cache.chapter_key(*(args[n] for n in names))


def test_same_inputs_same_key(monkeypatch, fresh_hashes):
    assert _key(monkeypatch) == _key(monkeypatch)


@pytest.mark.parametrize("change", [
    {"rel": "chapters/02.qmd"}, {"source": "print(2)"},
    {"env": {"PARADOX_DATA": "/other"}}, {"defaults": {"echo": True}},
])
def test_each_argument_is_part_of_the_key(monkeypatch, fresh_hashes, change):
    assert _key(monkeypatch, **change) != _key(monkeypatch)


def test_a_renderer_change_changes_the_key(monkeypatch, fresh_hashes, tmp_path):
    copy, original = tmp_path / "renderer", (cache.RENDERER_DIR / "outputs.py").read_text()
    shutil.copytree(cache.RENDERER_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "RENDERER_DIR", copy)
    before = _key(monkeypatch)
    (copy / "outputs.py").write_text(original + "\n# a fix\n")
    assert _key(monkeypatch) != before
    (copy / "assets" / "new.css").write_text("p {}")  # a new asset is a change too
    after_edit = _key(monkeypatch)
    assert after_edit != before
    (copy / "assets" / "new.css").unlink()
    (copy / "outputs.py").write_text(original)
    assert _key(monkeypatch) == before  # and only a change: the same files give the same key


def _dists(versions: dict[str, str]) -> list:
    """Stand-ins for importlib.metadata distributions: a name and a version."""
    return [SimpleNamespace(metadata={"Name": n}, version=v) for n, v in versions.items()]


def test_a_package_version_change_changes_the_key(monkeypatch, fresh_hashes):
    import importlib.metadata

    installed = {"pandas": "2.2.3", "statsmodels": "0.14.4"}
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: _dists(installed))
    before = _key(monkeypatch)
    installed["statsmodels"] = "0.14.5"
    upgraded = _key(monkeypatch)
    assert upgraded != before
    installed["altair"] = "5.5.0"
    assert _key(monkeypatch) not in (before, upgraded)  # a new package counts too
    del installed["altair"]
    installed["statsmodels"] = "0.14.4"
    assert _key(monkeypatch) == before


def test_the_key_reads_defaults_in_any_order_and_any_value(monkeypatch, fresh_hashes):
    # the same execute options given in another order are the same options
    assert _key(monkeypatch, defaults={"echo": False, "warning": True}) == \
        _key(monkeypatch, defaults={"warning": True, "echo": False})
    # a value JSON cannot hold (a path) still makes a key, and a different one
    assert _key(monkeypatch, defaults={"dir": Path("a")}) != _key(monkeypatch, defaults={"dir": Path("b")})


def test_compiled_bytecode_is_not_a_renderer_change(monkeypatch, fresh_hashes, tmp_path):
    copy = tmp_path / "renderer"
    shutil.copytree(cache.RENDERER_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "RENDERER_DIR", copy)
    before = _key(monkeypatch)
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "outputs.cpython-311.pyc").write_bytes(b"\x00compiled")
    assert _key(monkeypatch) == before  # Python writes these on import; not an edit


def test_a_renamed_renderer_file_is_a_change(monkeypatch, fresh_hashes, tmp_path):
    copy = tmp_path / "renderer"
    shutil.copytree(cache.RENDERER_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "RENDERER_DIR", copy)
    before = _key(monkeypatch)
    (copy / "outputs.py").rename(copy / "outputs_old.py")  # same bytes, another module name
    assert _key(monkeypatch) != before


def test_the_data_folder_is_keyed_by_content_not_by_place():
    """With `data`, a variable naming the data folder is keyed as the folder, wherever it is;
    other variables, and the same variable without `data`, are keyed by their values."""
    key = cache.chapter_key
    env = lambda folder: {"PARADOX_DATA": folder, "OTHER": "x"}  # noqa: E731
    assert key("a.qmd", "s", env("/tmp/one/data"), {}, Path("/tmp/one/data")) == \
        key("a.qmd", "s", env("/srv/two/data"), {}, Path("/srv/two/data"))
    assert key("a.qmd", "s", env("/tmp/one/data"), {}) != key("a.qmd", "s", env("/srv/two/data"), {})
    assert key("a.qmd", "s", env("/tmp/one/data"), {}, Path("/tmp/one/data")) != \
        key("a.qmd", "s", {**env("/tmp/one/data"), "OTHER": "y"}, {}, Path("/tmp/one/data"))
    assert key("a.qmd", "s", env("relative/data"), {}, Path("/tmp/one/data")) != \
        key("a.qmd", "s", env("/tmp/one/data"), {}, Path("/tmp/one/data"))


def test_files_in_the_data_folder_are_recorded_relative_to_it_and_checked_in_the_current_one(tmp_path):
    """A run that read data/x.csv in one folder is fresh in a render whose data folder holds
    the same bytes, stale where they differ, and never fresh in a render without a data folder."""
    import nbformat

    one, two, project = tmp_path / "one", tmp_path / "two", tmp_path / "project"
    for folder in (one, two, project):
        folder.mkdir()
    (one / "x.csv").write_text("a\n1\n")
    (two / "x.csv").write_text("a\n1\n")
    stored = cache.ChapterCache(tmp_path / "cache", project, one)
    nb = nbformat.v4.new_notebook()
    stored.store("c.qmd", "k", nb, {"files": [str(one / "x.csv")], "dirs": [str(one)]})
    entry = json.loads(next((tmp_path / "cache" / "chapters").glob("c--*.json")).read_text())
    assert sorted(entry["files"]) == ["<data>/x.csv"] and sorted(entry["dirs"]) == ["<data>"]
    assert cache.ChapterCache(tmp_path / "cache", project, two).lookup("c.qmd", "k") is not None
    (two / "x.csv").write_text("a\n2\n")
    assert cache.ChapterCache(tmp_path / "cache", project, two).lookup("c.qmd", "k") is None
    (two / "x.csv").write_text("a\n1\n")
    (two / "y.csv").write_text("b\n")  # the listing changed
    assert cache.ChapterCache(tmp_path / "cache", project, two).lookup("c.qmd", "k") is None
    assert cache.ChapterCache(tmp_path / "cache", project).lookup("c.qmd", "k") is None


def test_runs_of_one_key_over_different_data_are_kept_side_by_side(tmp_path):
    """Two data folders with different content give the same key (content, not place, is
    what varies); each keeps its run, so going back to the first re-executes nothing."""
    import nbformat

    one, two, project = tmp_path / "one", tmp_path / "two", tmp_path / "project"
    for folder, text in ((one, "a\n1\n"), (two, "a\n2\n")):
        folder.mkdir()
        (folder / "x.csv").write_text(text)
    project.mkdir()
    for folder, value in ((one, "1"), (two, "2")):
        nb = nbformat.v4.new_notebook()
        nb.metadata["read"] = value
        cache.ChapterCache(tmp_path / "cache", project, folder).store(
            "c.qmd", "k", nb, {"files": [str(folder / "x.csv")], "dirs": []})
    assert cache.ChapterCache(tmp_path / "cache", project, one).lookup("c.qmd", "k").metadata["read"] == "1"
    assert cache.ChapterCache(tmp_path / "cache", project, two).lookup("c.qmd", "k").metadata["read"] == "2"
    cache.ChapterCache(tmp_path / "cache", project, one).forget("c.qmd", "k")
    assert cache.ChapterCache(tmp_path / "cache", project, two).lookup("c.qmd", "k") is None
