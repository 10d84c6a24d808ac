"""`paradox render`: bad data stops it before any kernel; good data reaches chapters as
PARADOX_DATA; failures exit non-zero without a traceback."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

import renderer
from paradox import render as paradox_render

REPO = Path(__file__).resolve().parents[2]


def test_bad_data_folder_exits_1_with_one_line_per_problem_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "homicide.csv").write_text("iso3,year\nPER,not-a-year\n")
    before = sorted(p.name for p in data.iterdir())
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "paradox", "render", "--data", str(data), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) >= 2 and lines[-1].endswith("nothing was rendered.")
    assert not out.exists()
    assert sorted(p.name for p in data.iterdir()) == before


def test_missing_data_folder_is_one_problem(tmp_path, capsys):
    args = argparse.Namespace(data=str(tmp_path / "nowhere"), out=str(tmp_path / "out"), to=None, fresh=False)
    assert paradox_render.render(args) == 1
    assert "no such data folder" in capsys.readouterr().err


def test_render_error_is_reported_without_traceback_and_exit_1(tmp_path, monkeypatch, capsys):
    """The glue only: a RenderError from the renderer becomes a message and exit code 1."""
    data = REPO / "data"
    if paradox_render._check_data(data):
        pytest.fail("the repository's data/ folder should pass `paradox check`")
    seen = {}

    def failing_render_book(project, **kwargs):
        seen.update(kwargs, project=project)
        raise renderer.RenderError("chapters/x.qmd: cell 'a' (line 3): ValueError: boom")

    monkeypatch.setattr(renderer, "render_book", failing_render_book)
    args = argparse.Namespace(data=str(data), out=str(tmp_path / "out"), to="pdf", fresh=True, since=None)
    assert paradox_render.render(args) == 1
    err = capsys.readouterr().err
    assert "chapters/x.qmd: cell 'a' (line 3): ValueError: boom" in err and "Traceback" not in err
    assert seen["env"]["PARADOX_DATA"] == str(data.resolve())
    # the files chapters read are written by `setup`, which render_book runs under its lock
    seen["setup"]()
    edition_file = Path(seen["env"]["PARADOX_EDITION_FILE"])
    assert edition_file.is_file() and Path(seen["env"]["PARADOX_CHANGES_FILE"]).is_file()
    assert set(seen["env"]) == {"PARADOX_DATA", "PARADOX_EDITION_FILE", "PARADOX_CHANGES_FILE"}
    assert seen["edition"]["stamp"].startswith("Edition ") and "edition_commit" in seen["edition"]
    assert seen["formats"] == ("pdf",) and seen["fresh"] is True and seen["project"] == REPO
