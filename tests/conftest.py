"""Fixtures shared across the tests: a private data folder, the book's bundles and figures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from analysis.data.paths import DEFAULT_DATA
from run_once import once_per_run

# `make mutate` (tests/mutate.py) loads this profile. A mutant that breaks a property would
# otherwise be shrunk to a minimal example, minutes per mutant in validation; a mutation run
# only needs to know that a test failed. Fixed examples make a mutant's verdict repeatable.
# Tests' own @settings (max_examples, deadline) still apply: they override only what they name.
settings.register_profile("mutate", phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the curated data folder (tests never write into data/)."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, target)
    return target


@pytest.fixture(scope="session", autouse=True)
def validation_memo_of_this_session():
    """Start every pytest session with an empty memo of validation's cell results
    (analysis.data.validate._CELL_CACHE). A new process starts empty anyway; `make mutate`
    runs each mutant in a process forked from one that already ran the tests, whose memo
    would hand a mutant the unmutated results."""
    from analysis.data import validate

    validate._CELL_CACHE.clear()


@pytest.fixture
def unmemoised_validation():
    """While `mutmut` learns which tests reach which functions (MUTANT_UNDER_TEST=stats, under
    `make mutate`), each test runs the cell checks of the tables it validates itself: with
    the memo shared, only the first test to check the curated folder would run them, and
    their mutants would never meet the other tests. Otherwise the memo is kept (what users
    run; 2.5 times faster for these modules)."""
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        from analysis.data import validate

        validate._CELL_CACHE.clear()


def _outside_a_render() -> dict:
    """The render's variables taken out of the environment (restored after)."""
    keys = ("PARADOX_DATA", "PARADOX_EDITION", "PARADOX_EDITION_FILE", "PARADOX_CHANGES_FILE")
    return {k: os.environ.pop(k) for k in keys if k in os.environ}


def _bundles(data: Path | None = None) -> dict:
    """Every chapter's bundle, from `data` (the repository's data/ if None), built outside
    any render's environment."""
    from analysis.report import book

    saved = _outside_a_render()
    try:
        if data is not None:
            os.environ["PARADOX_DATA"] = str(data)
        return {stem: make() for stem, make in book.BUNDLES.items()}
    finally:
        os.environ.pop("PARADOX_DATA", None)
        os.environ.update(saved)


@pytest.fixture(scope="session")
def book_bundles(tmp_path_factory) -> dict:
    """Every chapter's bundle from the repository's data, built once for the test run."""
    return once_per_run(tmp_path_factory, "book_bundles", _bundles)


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
    """The repository's data cut at 2013 (tests/test_book_datacut.py `cut_folder`), once for
    the test run, in a folder every worker sees. Tests only read it."""
    from test_book_datacut import ROOT, cut_folder

    return once_per_run(tmp_path_factory, "cut_data", lambda: cut_folder(
        ROOT / "data", tmp_path_factory.mktemp("vintage") / "data"))


@pytest.fixture(scope="session")
def cut_bundles(cut_data, tmp_path_factory) -> dict:
    """Every chapter's bundle built from the data cut at 2013, once for the test run."""
    return once_per_run(tmp_path_factory, "cut_bundles", lambda: _bundles(cut_data))


def _figure_specs() -> dict:
    """Every figure's Vega-Lite spec from the repository's data."""
    from analysis.report import book

    saved = _outside_a_render()
    try:
        return {name: make().to_dict() for name, make in book.FIGURES.items()}
    finally:
        os.environ.update(saved)


@pytest.fixture(scope="session")
def figure_specs(tmp_path_factory) -> dict:
    """Every figure's Vega-Lite spec from the repository's data, built once for the test run."""
    return once_per_run(tmp_path_factory, "figure_specs", _figure_specs)


# Tests that render this checkout's book (`paradox render`, render_book of the repository).
# The renderer lets one render of a project run at a time (a lock in .render-cache), so under
# pytest-xdist they share one worker, in collection order: spread over two they would wait on
# each other's lock, and test_interrupt.py, which must see its own render hold the lock, could
# see another's. (test_nbval_book.py replays the kept notebooks with its own edition and
# changes files - the replaying shell's variables come first, renderer/kernel.py - so it
# does not depend on which render ran last, and runs on any worker. test_hostile_text.py and
# test_datacut_render.py render a copy of the checkout, tests/e2e/conftest.py `checkout_copy`,
# and run on any worker too, as do test_since.py's tests of that copy's render.)
RENDER_THE_PROJECT = (
    "tests/e2e/test_determinism.py",
    "tests/e2e/test_since.py::test_an_earlier_edition_is_read_never_claimed_and_its_text_stays_text",
    "tests/e2e/test_update.py", "tests/e2e/test_interrupt.py",
    "tests/test_render_command.py", "tests/renderer/test_paradox_render.py",
)


def renders_the_project(nodeid: str) -> bool:
    """Whether the test `nodeid` renders the repository's book (see RENDER_THE_PROJECT: a
    file, or one test of a file whose other tests only read books rendered elsewhere)."""
    path = nodeid.split("::")[0]
    if path in RENDER_THE_PROJECT or nodeid.split("[")[0] in RENDER_THE_PROJECT:
        return True
    if path == "tests/e2e/test_bad_data.py" and nodeid.endswith("]"):
        # the faults met while chapters execute render; validation refusals stop before
        from tests.e2e.corrupt import CORRUPTIONS

        case = nodeid.rsplit("[", 1)[1][:-1]
        return any(c.name == case and c.at_execution for c in CORRUPTIONS)
    return False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` (`make test`) with the groups made here: every test that renders the
    repository's book is one unit of work, run by one worker in collection order; every other
    test file is a unit (so a module's fixtures - a browser pass over the whole book, say -
    are made by one worker, once). pytest-xdist's own loadgroup reads `xdist_group` marks
    through the test ids it rewrites, which pytest 9.2 no longer lets it do (pytest-xdist
    issue #1386: it then groups nothing, silently), so the groups are decided here, from the ids."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ProjectRenders(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "project renders" if renders_the_project(nodeid) else nodeid.split("::")[0]

    config.option.loadscopereorder = False  # units in collection order (see below), not by size
    return ProjectRenders(config, log)


# The slow files that take longest on their worker (measured on 2 cores, the closing note of
# issue 17 gives the times), handed out first among the slow files so that no long file starts
# last and runs alone at the end; a file not listed runs after these, in collection order.
LONGEST_FIRST = ("tests/e2e/test_hostile_text.py", "tests/e2e/test_datacut_render.py",
                 "tests/renderer/test_cache.py", "tests/e2e/test_reader.py",
                 "tests/e2e/test_nbval_book.py", "tests/e2e/test_pdf_layout.py",
                 "tests/e2e/test_bad_data.py", "tests/e2e/test_site.py")


def pytest_collection_modifyitems(config, items):
    """Order: the project group's end-to-end tests (the first renders good_book, leaving the
    cache warm for the group's other renders), the group's fast tests, the other fast tests,
    then the other slow tests - so under pytest-xdist the workers without the group start on
    fast tests while one renders good_book (shared by a file lock,
    tests/e2e/conftest.py) instead of waiting for it. A test file is ranked as its slowest
    test: pytest-xdist hands out whole files, in the order their first test appears, so a
    file with one end-to-end test among fast ones would otherwise start early and wait."""
    def rank(item) -> int:
        slow = item.get_closest_marker("slow") is not None
        if renders_the_project(item.nodeid):
            return 0 if slow else 1
        return 3 if slow else 2

    ranks = {item.nodeid: rank(item) for item in items}
    by_file: dict[str, int] = {}
    for item in items:
        if ranks[item.nodeid] >= 2:
            path = item.nodeid.split("::")[0]
            by_file[path] = max(by_file.get(path, 2), ranks[item.nodeid])
    def order(item) -> tuple[int, int]:
        path = item.nodeid.split("::")[0]
        if ranks[item.nodeid] < 2:
            return ranks[item.nodeid], 0
        first = LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)
        return by_file[path], first

    items.sort(key=order)  # stable: collection order within a rank
