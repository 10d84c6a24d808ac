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
    """A variable named placeless is keyed as `<NAME>`, wherever it points; other variables,
    and the same variable when not named placeless, are keyed by their values."""
    key = cache.chapter_key
    env = lambda folder: {"PARADOX_DATA": folder, "OTHER": "x"}  # noqa: E731
    places = lambda e: cache.placed(e, ("PARADOX_DATA",))  # noqa: E731
    one, two = env("/tmp/one/data"), env("/srv/two/data")
    assert places(one) == {"PARADOX_DATA": Path("/tmp/one/data")}
    assert key("a.qmd", "s", one, {}, places(one)) == key("a.qmd", "s", two, {}, places(two))
    assert key("a.qmd", "s", one, {}) != key("a.qmd", "s", two, {})
    other = {**one, "OTHER": "y"}
    assert key("a.qmd", "s", one, {}, places(one)) != key("a.qmd", "s", other, {}, places(other))
    assert cache.placed(env("relative/data"), ("PARADOX_DATA",)) == {}  # not a place: keyed by value


def _store(root: Path, project: Path, places: dict, value: str = "") -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["read"] = value
    files = [str(p) for p in places.values() if p.is_file()] + [str(p / "x.csv") for p in places.values() if p.is_dir()]
    cache.ChapterCache(root, project, places).store(
        "c.qmd", "k", nb, {"files": files, "dirs": [str(p) for p in places.values() if p.is_dir()]})


def test_files_in_a_place_are_recorded_relative_to_it_and_checked_where_it_now_is(tmp_path):
    """A run that read x.csv in one data folder and an edition file is fresh in a render whose
    folder and file hold the same bytes elsewhere, stale where they differ, and never fresh in
    a render without those places."""
    one, two, project = tmp_path / "one", tmp_path / "two", tmp_path / "project"
    for folder in (one, two, project):
        folder.mkdir()
    for folder in (one, two):
        (folder / "x.csv").write_text("a\n1\n")
        (folder / "edition.json").write_text("{}")
    here = lambda f: {"PARADOX_DATA": f, "PARADOX_EDITION_FILE": f / "edition.json"}  # noqa: E731
    _store(tmp_path / "cache", project, here(one))
    entry = json.loads(next((tmp_path / "cache" / "chapters").glob("c--*.json")).read_text())
    assert sorted(entry["files"]) == ["<PARADOX_DATA>/x.csv", "<PARADOX_EDITION_FILE>"]
    assert sorted(entry["dirs"]) == ["<PARADOX_DATA>"]
    lookup = lambda places: cache.ChapterCache(tmp_path / "cache", project, places).lookup("c.qmd", "k")  # noqa: E731
    assert lookup(here(two)) is not None
    (two / "edition.json").write_text('{"date": "2026-12-01"}')
    assert lookup(here(two)) is None
    (two / "edition.json").write_text("{}")
    (two / "x.csv").write_text("a\n2\n")
    assert lookup(here(two)) is None
    (two / "x.csv").write_text("a\n1\n")
    (two / "y.csv").write_text("b\n")  # the listing changed
    assert lookup(here(two)) is None
    assert lookup({}) is None


def test_runs_of_one_key_over_different_data_are_kept_side_by_side(tmp_path):
    """Two data folders with different content give the same key (content, not place, is
    what varies); each keeps its run, so going back to the first re-executes nothing."""
    one, two, project = tmp_path / "one", tmp_path / "two", tmp_path / "project"
    for folder, text in ((one, "a\n1\n"), (two, "a\n2\n")):
        folder.mkdir()
        (folder / "x.csv").write_text(text)
    project.mkdir()
    for folder, value in ((one, "1"), (two, "2")):
        _store(tmp_path / "cache", project, {"PARADOX_DATA": folder}, value)
    lookup = lambda f: cache.ChapterCache(tmp_path / "cache", project, {"PARADOX_DATA": f}).lookup("c.qmd", "k")  # noqa: E731
    assert lookup(one).metadata["read"] == "1"
    assert lookup(two).metadata["read"] == "2"
    cache.ChapterCache(tmp_path / "cache", project).forget("c.qmd", "k")
    assert lookup(two) is None


def _record_output(files: list[str]) -> "nbformat.NotebookNode":
    """A notebook whose record cell printed what it read (as renderer.kernel.record does)."""
    import nbformat

    from renderer.notebook import RECORD_TAG

    nb = nbformat.v4.new_notebook()
    record = nbformat.v4.new_code_cell("_renderer_.record('/p')")
    record.metadata["tags"] = [RECORD_TAG]
    text = json.dumps({"files": files, "dirs": [], "volatile": [], "third_party": ["numpy"]})
    record.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text[:20]),
                      nbformat.v4.new_output("stream", name="stdout", text=text[20:] + "\n")]
    nb.cells = [nbformat.v4.new_code_cell("1"), record]
    return nb


def test_a_reused_run_records_what_it_read_where_this_render_has_it(tmp_path):
    """The notebook the book keeps names the files where this render has them: a run made
    with the data in `one` and reused with it in `two` lists two/x.csv, and the project's own
    module in this project (the kernel may send the record in pieces: one output after)."""
    one, two, project = tmp_path / "one", tmp_path / "two", tmp_path / "project"
    for folder in (one, two):
        folder.mkdir()
        (folder / "x.csv").write_text("a\n1\n")
    project.mkdir()
    (project / "mod.py").write_text("X = 1\n")
    read = [str(one / "x.csv"), str(project / "mod.py")]
    cache.ChapterCache(tmp_path / "cache", project, {"D": one}).store(
        "c.qmd", "k", _record_output(read), {"files": read, "dirs": [str(one)]})
    nb = cache.ChapterCache(tmp_path / "cache", project, {"D": two}).lookup("c.qmd", "k")
    record = nb.cells[1]
    assert [o["name"] for o in record.outputs] == ["stdout"]
    printed = json.loads(record.outputs[0]["text"])
    assert printed == {"files": sorted([str(two / "x.csv"), str(project / "mod.py")]), "dirs": [str(two)],
                       "volatile": [], "third_party": ["numpy"]}
    assert nb.cells[0].source == "1"  # the chapter's own cells untouched


def test_a_file_is_recorded_under_the_deepest_place_holding_it(tmp_path):
    outer, project = tmp_path / "outer", tmp_path / "project"
    inner = outer / "inner"
    inner.mkdir(parents=True)
    project.mkdir()
    (inner / "x.csv").write_text("1\n")
    (outer / "y.csv").write_text("2\n")
    (tmp_path / "z.csv").write_text("3\n")
    c = cache.ChapterCache(tmp_path / "cache", project, {"OUTER": outer, "INNER": inner})
    assert c._relative(str(inner / "x.csv")) == "<INNER>/x.csv"
    assert c._relative(str(outer / "y.csv")) == "<OUTER>/y.csv"
    assert c._relative(str(inner)) == "<INNER>"
    assert c._relative(str(tmp_path / "outer-not" / "a.csv")) == "../outer-not/a.csv"
    assert c._relative(str(tmp_path / "z.csv")) == "../z.csv"


def test_a_chapter_keeps_its_most_recently_used_runs(tmp_path):
    """Runs over other content are pruned beyond KEEP_PER_CHAPTER, least recently used
    first: a run reused just before stays, and another chapter's runs are not counted."""
    import time

    project, data = tmp_path / "project", tmp_path / "data"
    project.mkdir()
    data.mkdir()
    c = cache.ChapterCache(tmp_path / "cache", project, {"D": data})
    for n in range(cache.KEEP_PER_CHAPTER):
        (data / "x.csv").write_text(str(n))
        c.store("c.qmd", "k", _record_output([]), {"files": [str(data / "x.csv")], "dirs": []})
        time.sleep(0.01)
    c.store("other.qmd", "k", _record_output([]), {"files": [], "dirs": []})
    (data / "x.csv").write_text("0")
    assert c.lookup("c.qmd", "k") is not None  # the oldest run, used again now
    time.sleep(0.01)
    (data / "x.csv").write_text("new")
    c.store("c.qmd", "k", _record_output([]), {"files": [str(data / "x.csv")], "dirs": []})
    runs = sorted(p.name for p in (tmp_path / "cache" / "chapters").glob("c--*.json"))
    assert len(runs) == cache.KEEP_PER_CHAPTER
    (data / "x.csv").write_text("1")  # the least recently used: pruned
    assert c.lookup("c.qmd", "k") is None
    for kept in ("0", "2", "new"):
        (data / "x.csv").write_text(kept)
        assert c.lookup("c.qmd", "k") is not None, kept
    assert len(list((tmp_path / "cache" / "chapters").glob("other--*.json"))) == 1


def test_forgetting_a_key_keeps_the_chapters_other_keys(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    c = cache.ChapterCache(tmp_path / "cache", project)
    c.store("c.qmd", "k1", _record_output([]), {"files": [], "dirs": []})
    c.store("c.qmd", "k2", _record_output([]), {"files": [], "dirs": []})
    c.forget("c.qmd", "k1")
    assert c.lookup("c.qmd", "k1") is None and c.lookup("c.qmd", "k2") is not None


def test_a_run_under_another_key_or_a_damaged_entry_is_not_reused(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    c = cache.ChapterCache(tmp_path / "cache", project)
    c.store("c.qmd", "k" * 30, _record_output([]), {"files": [], "dirs": []})
    (entry,) = (tmp_path / "cache" / "chapters").glob("c--*.json")
    assert c.lookup("c.qmd", "k" * 24 + "x" * 6) is None  # same file name prefix, other key
    entry.write_text("{not json")
    assert c.lookup("c.qmd", "k" * 30) is None


def test_the_newest_fresh_run_is_reused_and_a_damaged_entry_is_skipped(tmp_path):
    """Two runs of one key that read different files are both fresh: the more recently used
    is reused, whichever it is. A damaged entry (newer still) is passed over, not an end to
    the search."""
    import os
    import time

    project = tmp_path / "project"
    project.mkdir()
    for name in ("x.csv", "y.csv"):
        (project / name).write_text(name)
    c = cache.ChapterCache(tmp_path / "cache", project)
    runs = {}
    for name in ("x.csv", "y.csv"):
        nb = _record_output([])
        nb.metadata["run"] = name
        before = set((tmp_path / "cache" / "chapters").glob("c--*.json"))
        c.store("c.qmd", "k", nb, {"files": [str(project / name)], "dirs": []})
        (runs[name],) = set((tmp_path / "cache" / "chapters").glob("c--*.json")) - before
    now = time.time_ns()
    for newer, older in (("y.csv", "x.csv"), ("x.csv", "y.csv")):
        os.utime(runs[older], ns=(now - 2 * 10**9, now - 2 * 10**9))
        os.utime(runs[newer], ns=(now - 10**9, now - 10**9))
        assert c.lookup("c.qmd", "k").metadata["run"] == newer
    damaged = tmp_path / "cache" / "chapters" / (c._prefix("c.qmd", "k") + "0" * 16 + ".json")
    damaged.write_text("{not json")
    os.utime(damaged, ns=(now + 10**10, now + 10**10))
    assert c.lookup("c.qmd", "k") is not None


def test_a_copied_cache_checks_the_folder_the_run_read_as_well(tmp_path):
    """A run made in project `one` and reused in a copy `two` must find its files unchanged
    in both (the chapter may have read them by absolute path in `one`)."""
    import shutil

    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    (one / "x.csv").write_text("1")
    cache.ChapterCache(one / ".cache", one).store("c.qmd", "k", _record_output([]),
                                                  {"files": [str(one / "x.csv")], "dirs": []})
    shutil.copytree(one, two)
    assert cache.ChapterCache(two / ".cache", two).lookup("c.qmd", "k") is not None
    (one / "x.csv").write_text("2")  # changed where the run read it, not in the copy
    assert cache.ChapterCache(two / ".cache", two).lookup("c.qmd", "k") is None


def test_only_the_record_cells_printed_record_is_rewritten(tmp_path):
    """A chapter cell's own printed output stays as it was; the record cell keeps one stdout
    output, the record (anything else it printed, stderr here, is not part of it)."""
    import nbformat

    from renderer.notebook import RECORD_TAG

    project = tmp_path / "project"
    project.mkdir()
    nb = _record_output([])
    own = nbformat.v4.new_code_cell("print(1)")
    own.outputs = [nbformat.v4.new_output("stream", name="stdout", text='{"files": ["mine"]}\n')]
    nb.cells.insert(0, own)
    record = next(c for c in nb.cells if RECORD_TAG in c.metadata.get("tags", []))
    record.outputs.insert(0, nbformat.v4.new_output("stream", name="stderr", text="warning\n"))
    c = cache.ChapterCache(tmp_path / "cache", project)
    c.store("c.qmd", "k", nb, {"files": [], "dirs": []})
    got = c.lookup("c.qmd", "k")
    assert got.cells[0].outputs[0]["text"] == '{"files": ["mine"]}\n'
    outs = next(c for c in got.cells if RECORD_TAG in c.metadata.get("tags", [])).outputs
    assert [(o["name"], json.loads(o["text"])["files"]) for o in outs] == [("stdout", [])]
