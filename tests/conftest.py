"""Fixtures shared across the tests: a private data folder, the book's bundles and figures."""

from __future__ import annotations

import os
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


def _outside_a_render() -> dict:
    """The render's variables taken out of the environment (restored after)."""
    keys = ("PARADOX_DATA", "PARADOX_EDITION", "PARADOX_EDITION_FILE", "PARADOX_CHANGES_FILE")
    return {k: os.environ.pop(k) for k in keys if k in os.environ}


@pytest.fixture(scope="session")
def book_bundles() -> dict:
    """Every chapter's bundle from the repository's data, built once for the session."""
    from analysis.report import book

    saved = _outside_a_render()
    try:
        return {stem: make() for stem, make in book.BUNDLES.items()}
    finally:
        os.environ.update(saved)


@pytest.fixture(scope="session")
def real_findings():
    """Both explanations tested on the repository's data (analysis.explanations.analyse),
    computed once for the session: several test modules read the same findings, none
    changes them."""
    from analysis import explanations
    from analysis.data import load

    tables = ("homicide", "population", "cocaine_seizures", "countries", "corruption",
              "article_claims")
    return explanations.analyse({name: load(name) for name in tables})


@pytest.fixture(scope="session")
def cut_data(tmp_path_factory) -> Path:
    """The repository's data cut at 2013 (tests/test_book_datacut.py `cut_folder`), once."""
    from test_book_datacut import ROOT, cut_folder

    return cut_folder(ROOT / "data", tmp_path_factory.mktemp("vintage") / "data")


@pytest.fixture(scope="session")
def cut_bundles(cut_data) -> dict:
    """Every chapter's bundle built from the data cut at 2013, once for the session."""
    from analysis.report import book

    saved = _outside_a_render()
    try:
        os.environ["PARADOX_DATA"] = str(cut_data)
        return {stem: make() for stem, make in book.BUNDLES.items()}
    finally:
        os.environ.pop("PARADOX_DATA", None)
        os.environ.update(saved)


@pytest.fixture(scope="session")
def figure_specs() -> dict:
    """Every figure's Vega-Lite spec from the repository's data, built once for the session."""
    from analysis.report import book

    saved = _outside_a_render()
    try:
        return {name: make().to_dict() for name, make in book.FIGURES.items()}
    finally:
        os.environ.update(saved)


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`-n 2 --dist loadgroup`) every slow test runs in one worker: the
    e2e renders share session renders (good_book) and take the project's render lock, so
    spreading them would render the book once per worker and then wait on the lock."""
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.xdist_group("render"))
