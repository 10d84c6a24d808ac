"""Reproducible output: SOURCE_DATE_EPOCH (validated) sets the PDF's dates, `fresh` bypasses
the output cache too, the kept notebooks carry no random ids or timings, and two fresh renders
of the test book are byte-identical, file for file."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import subprocess

import nbformat
import pytest

from paradox import render as paradox_render
from paradox.edition import edition_date
from renderer.build import _normalised
from renderer.cache import OutputCache
from renderer.errors import RenderError
from renderer.notebook import RECORD_TAG
from renderer.pdf import compile_pdf
from renderer.sourcedate import MAX_EPOCH, SourceDateError, source_date_epoch

EPOCH = "1764288000"  # 2025-11-28 00:00:00 UTC (date -u -d @1764288000)
TYPST = '#set document(title: "Dates")\nA page.\n'


# --- SOURCE_DATE_EPOCH ------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (EPOCH, 1764288000), ("0", 0), (" 42 \n", 42), (str(MAX_EPOCH), MAX_EPOCH), ("", None), ("  ", None),
])
def test_epoch_known_answers(value, expected):
    assert source_date_epoch({"SOURCE_DATE_EPOCH": value}) == expected


def test_epoch_unset_is_none():
    assert source_date_epoch({}) is None


@pytest.mark.parametrize("value", ["abc", "-5", "-0", "+5", "1.5", "1e9", "1_000", "\u0663",
                                   "\uff11\uff12", "0x10", str(MAX_EPOCH + 1), "2026-11-28",
                                   "9" * 400])
def test_a_bad_epoch_is_one_sentence(value):
    with pytest.raises(SourceDateError) as caught:
        source_date_epoch({"SOURCE_DATE_EPOCH": value})
    message = str(caught.value)
    assert message.startswith("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                              "1970-01-01 UTC, from 0 to 253402300799, got '")
    assert "\n" not in message and len(message) < 200
    assert isinstance(caught.value, RenderError) and isinstance(caught.value, ValueError)


def test_edition_date_uses_the_same_validation():
    assert edition_date({"SOURCE_DATE_EPOCH": EPOCH}) == dt.date(2025, 11, 28)
    with pytest.raises(ValueError, match="got '-86400'"):
        edition_date({"SOURCE_DATE_EPOCH": "-86400"})


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_paradox_render_refuses_a_bad_epoch_before_anything(tmp_path, monkeypatch, capsys, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    calls = []
    monkeypatch.setattr(paradox_render, "_check_data", lambda data: calls.append(data) or [])
    out = tmp_path / "out"
    args = argparse.Namespace(data=None, out=str(out), to=None, fresh=False, since=None)
    assert paradox_render.render(args) == 1
    err = capsys.readouterr().err
    assert err == ("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
                   f"from 0 to 253402300799, got {value!r}; nothing was rendered.\n")
    assert calls == [] and not out.exists()


# --- the PDF's dates --------------------------------------------------------------------------

def pdf_dates(pdf: bytes) -> dict[str, str]:
    """The Info dictionary's dates, as `pdfinfo -isodates` prints them (poppler, not our code)."""
    info = subprocess.run(["pdfinfo", "-isodates", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return dict(re.findall(r"^(CreationDate|ModDate):\s+(\S+)", info, re.M))


def test_pdf_dates_are_source_date_epoch_and_bytes_repeat(tmp_path):
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    first = compile_pdf(TYPST, {}, OutputCache(tmp_path / "a"), env)
    second = compile_pdf(TYPST, {}, OutputCache(tmp_path / "b"), env)  # another, cold cache
    assert pdf_dates(first) == {"CreationDate": "2025-11-28T00:00:00Z",
                                "ModDate": "2025-11-28T00:00:00Z"}
    assert b"<xmp:CreateDate>2025-11-28T00:00:00+00:00" in first
    assert first == second


def test_pdf_date_is_part_of_the_cache_key(tmp_path):
    cache = OutputCache(tmp_path)
    compile_pdf(TYPST, {}, cache, {"SOURCE_DATE_EPOCH": EPOCH})
    later = compile_pdf(TYPST, {}, cache, {"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400)})
    assert pdf_dates(later)["CreationDate"] == "2025-11-29T00:00:00Z"


def test_pdf_without_epoch_is_dated_now(tmp_path):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    created = pdf_dates(compile_pdf(TYPST, {}, OutputCache(tmp_path), {}))["CreationDate"]
    stamp = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert before - dt.timedelta(seconds=1) <= stamp <= dt.datetime.now(dt.timezone.utc)


def test_pdf_refuses_a_bad_epoch_before_compiling(tmp_path):
    with pytest.raises(SourceDateError, match="got 'soon'"):
        compile_pdf(TYPST, {}, OutputCache(tmp_path), {"SOURCE_DATE_EPOCH": "soon"})
    assert not (tmp_path / "outputs").exists()


# --- fresh bypasses the output cache ----------------------------------------------------------

def test_fresh_output_cache_makes_everything_again_once(tmp_path):
    made = []

    def make(value):
        return lambda: made.append(value) or value

    assert OutputCache(tmp_path).get_or_make("k", ["x"], make(b"old")) == b"old"
    assert OutputCache(tmp_path).get_or_make("k", ["x"], make(b"unused")) == b"old"  # reused
    fresh = OutputCache(tmp_path, fresh=True)
    assert fresh.get_or_make("k", ["x"], make(b"new")) == b"new"       # not read from disk
    assert fresh.get_or_make("k", ["x"], make(b"twice")) == b"new"     # made once per render
    assert OutputCache(tmp_path).get_or_make("k", ["x"], make(b"unused")) == b"new"  # stored
    assert made == [b"old", b"new"]


# --- the kept notebooks -----------------------------------------------------------------------

def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as nbclient leaves it: random ids, timings, a record cell's output."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("1 + 1")
    code.metadata["execution"] = {"iopub.status.busy": "2026-11-30T18:05:23.398139Z"}
    code.metadata["renderer"] = {"cell": 0, "line": 3}
    code.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    record = nbformat.v4.new_code_cell("_renderer_.record('/p')")
    record.metadata["tags"] = [RECORD_TAG, "nbval-skip"]
    record.outputs = [nbformat.v4.new_output("stream", name="stdout", text=json.dumps(
        {"files": ["/p/data/a.csv"], "dirs": [], "volatile": [], "third_party": ["numpy"]}) + "\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code, record]
    return nb


def test_kept_notebook_has_stable_ids_and_no_timings():
    nb = executed_notebook()
    kept = _normalised(nb)
    assert [c["id"] for c in kept.cells] == ["cell-0", "cell-1", "cell-2"]
    assert kept.cells[1].metadata == {"renderer": {"cell": 0, "line": 3}}
    assert kept.cells[1].outputs == nb.cells[1].outputs  # the chapter's outputs untouched
    assert json.loads(kept.cells[2].outputs[0]["text"]) == {
        "files": ["/p/data/a.csv"], "dirs": [], "volatile": []}
    assert "execution" in nb.cells[1].metadata  # the executed notebook itself is not changed
    nbformat.validate(kept)
    again = _normalised(executed_notebook())  # new random ids, same bytes
    assert nbformat.writes(again) == nbformat.writes(kept)


# --- two fresh renders of the test book -------------------------------------------------------

def tree(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_fresh_renders_are_byte_identical(book_copy, tmp_path, monkeypatch):
    from renderer import render_book

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = render_book(book_copy, tmp_path / "a", fresh=True)
    second = render_book(book_copy, tmp_path / "b", fresh=True)
    assert second.executed == first.executed and second.reused == []
    a, b = tree(first.out_dir), tree(second.out_dir)
    assert any(name.endswith(".pdf") for name in a) and any(name.endswith(".ipynb") for name in a)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
