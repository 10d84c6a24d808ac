"""Determinism: two fresh renders of the same inputs give the same claims ledger, byte for byte,
and the same HTML apart from the one element that says when the edition was made.

Both renders ignore the cache (`--fresh`), so every chapter is executed twice in fresh kernels:
any dependence on dict order, hash seeds, wall-clock time, random draws without a seed, or
temporary paths shows up as a difference here.
"""

from __future__ import annotations

import difflib
import re

import pytest

from .conftest import explain, run_paradox

pytestmark = pytest.mark.slow

# The edition stamp's date/time: the only part of a page allowed to differ between two renders
# of the same inputs (renderer/html.py footer: <span class="edition-date">date: ...</span>).
EDITION_TIME = re.compile(
    r'(<(span|time)\b[^>]*class="[^"]*edition-(date|time)[^"]*"[^>]*>)[^<]*(</\2>)'
    r"|(<time\b[^>]*>)[^<]*(</time>)"
)


def normalise_edition_time(page: str) -> str:
    return EDITION_TIME.sub(lambda m: (m.group(1) or m.group(5)) + "EDITION-TIME" + (m.group(4) or m.group(6)), page)


def first_difference(a: str, b: str, name: str) -> str:
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), f"a/{name}", f"b/{name}", n=1, lineterm="")
    return "\n".join(list(diff)[:30])


def test_normalisation_touches_only_the_edition_time():
    page = '<footer><span class="edition-date">date: 2026-11-28</span> <span class="edition-version">version: 0.1.0</span></footer>'
    other_day = page.replace("2026-11-28", "2026-11-29")
    assert normalise_edition_time(page) == normalise_edition_time(other_day)
    assert normalise_edition_time(page) != normalise_edition_time(page.replace("0.1.0", "0.2.0"))


@pytest.fixture(scope="module")
def two_fresh_renders(tmp_path_factory):
    books = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name) / "_book"
        done = run_paradox("render", "--fresh", "--to", "html", "--out", str(out))
        assert done.returncode == 0, explain(done)
        books.append(out)
    return books


def test_same_files(two_fresh_renders):
    a, b = two_fresh_renders
    files = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files(a) == files(b)


def test_claims_ledger_is_identical(two_fresh_renders):
    a, b = two_fresh_renders
    for name in ("claims.json", "claims.csv"):
        left, right = (a / name).read_text(encoding="utf-8"), (b / name).read_text(encoding="utf-8")
        assert left == right, first_difference(left, right, name)


def test_html_is_identical_apart_from_the_edition_time(two_fresh_renders):
    a, b = two_fresh_renders
    pages = sorted(p.relative_to(a) for p in a.rglob("*.html"))
    assert pages, "no HTML pages rendered"
    different = []
    for rel in pages:
        left = normalise_edition_time((a / rel).read_text(encoding="utf-8"))
        right = normalise_edition_time((b / rel).read_text(encoding="utf-8"))
        if left != right:
            different.append(first_difference(left, right, rel.as_posix()))
    assert different == [], "\n\n".join(different)
