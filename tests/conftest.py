"""Fixtures shared by the data-layer tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.data.paths import DEFAULT_DATA


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the curated data folder (tests never write into data/)."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, target)
    return target
