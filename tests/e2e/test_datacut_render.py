"""The real book rendered from the full data (the session's good render, shared) and from the
data cut at 2013 (one more render): each data-chosen sentence takes the branch the data imply,
the ledger holds the pinned sentence (tests/test_known_answers_text.py SENTENCES), and the
page shows it.

Why the pinned text and not only the ledger's: the ledger and the page come from the same
code, so a wrong sentence ("Peru has overtaken Peru.") would agree with itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_book_datacut import EXPECTED, ROOT, cut_folder, html_text
from tests.test_known_answers_text import SENTENCES

from .conftest import checkout_copy, explain, run_paradox

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cut_book(tmp_path_factory) -> Path:
    """The book rendered (HTML) from the data cut at 2013, by the command a user types. Every
    data file is cut, so every chapter executes whatever the cache holds: it renders a copy
    of the checkout (conftest.py `checkout_copy`), off the project renders' worker."""
    base = tmp_path_factory.mktemp("cut")
    data = cut_folder(ROOT / "data", base / "data")
    out = base / "_book"
    done = run_paradox("render", "--to", "html", "--data", str(data), "--out", str(out),
                       checkout=checkout_copy(base / "checkout"))
    assert done.returncode == 0, explain(done)
    return out


@pytest.mark.parametrize("which", ["full", "cut"])
def test_rendered_book_takes_each_branch_where_it_should(which, request):
    out = request.getfixturevalue("good_book" if which == "full" else "cut_book")
    ledger = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    branches = {(e["chapter"], e["expression"]): e for e in ledger if e["kind"] == "branch"}
    for (stem, name), pair in EXPECTED.items():
        chapter = "index" if stem == "index.qmd" else stem
        entry = branches.get((chapter, f"r.{name}"))
        assert entry is not None, f"{which}: {chapter} r.{name} not in the ledger"
        assert entry["branch"] == pair[0 if which == "full" else 1], (which, stem, name, entry["branch"])
        assert entry["text"] == SENTENCES[(stem, name)][0 if which == "full" else 1], (which, stem, name)
        page = out / ("index.html" if chapter == "index" else f"chapters/{chapter}.html")
        assert entry["text"] in html_text(page), f"{which}: branch text missing from {page.name}"
