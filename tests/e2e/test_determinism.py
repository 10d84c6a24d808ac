"""Determinism: two fresh renders of the same inputs give the same claims ledger and the same
HTML, byte for byte, apart from the date/time of the edition stamp (the one thing that says
when the edition was made).

Both renders ignore the cache (`--fresh`), so every chapter is executed twice in fresh kernels:
any dependence on dict order, hash seeds, wall-clock time, random draws without a seed, or
temporary paths shows up as a difference here. The first is the session's `good_book`
(conftest.GOOD_RENDER); the second repeats the same command into another folder.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re

import pytest

from .conftest import GOOD_RENDER, RENDERED_FROM, explain, inputs_digest, render_pinned

pytestmark = pytest.mark.slow

# The edition stamp's date/time: the only thing allowed to differ between two renders of the
# same inputs (two renders either side of midnight print different edition dates). It is an
# ISO date (optionally with a time) inside an element whose class names the edition - the
# renderer's footer writes <span class="edition-date">date: 2026-11-28</span>, a one-string
# stamp would be <span class="edition-edition">Edition 0.1.0 of 2026-11-28 ...</span> - or
# an edition field of a ledger entry.
ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
EDITION_ELEMENT = re.compile(r'(<(\w+)\b[^>]*\bclass="[^"]*edition[^"]*"[^>]*>)([^<]*)(</\2>)')


def normalise_edition_time(page: str) -> str:
    """The page with the date/time of each edition element replaced by EDITION-TIME."""
    return EDITION_ELEMENT.sub(lambda m: m.group(1) + ISO_DATE_TIME.sub("EDITION-TIME", m.group(3)) + m.group(4), page)


def normalise_ledger_edition_time(ledger: str) -> str:
    """claims.json / claims.csv with the date/time in edition fields replaced.

    JSON: values of keys that name the edition ("edition", "edition_date", ...). CSV: the
    columns whose header names the edition.
    """
    if ledger.lstrip().startswith("["):
        entries = json.loads(ledger)
        for entry in entries:
            for key, value in entry.items():
                if "edition" in key and isinstance(value, str):
                    entry[key] = ISO_DATE_TIME.sub("EDITION-TIME", value)
        return json.dumps(entries, indent=2, ensure_ascii=False)
    rows = list(csv.reader(io.StringIO(ledger)))
    edition_cols = [i for i, name in enumerate(rows[0]) if "edition" in name] if rows else []
    for row in rows[1:]:
        for i in edition_cols:
            if i < len(row):
                row[i] = ISO_DATE_TIME.sub("EDITION-TIME", row[i])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def first_difference(a: str, b: str, name: str) -> str:
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), f"a/{name}", f"b/{name}", n=1, lineterm="")
    return "\n".join(list(diff)[:30])


def test_normalisation_touches_only_the_edition_time():
    page = ('<p>In 2012-01-01 terms</p><footer><span class="edition-date">date: 2026-11-28</span> '
            '<span class="edition-version">version: 0.1.0</span></footer>')
    other_day = page.replace("2026-11-28", "2026-11-29")
    assert normalise_edition_time(page) == normalise_edition_time(other_day)
    assert normalise_edition_time(page) != normalise_edition_time(page.replace("0.1.0", "0.2.0"))
    assert normalise_edition_time(page) != normalise_edition_time(page.replace("2012-01-01", "2012-01-02"))
    stamp = '<div class="edition-stamp">Edition 0.1.0 of 2026-11-28T23:59:59Z</div>'
    assert normalise_edition_time(stamp) == normalise_edition_time(stamp.replace("2026-11-28T23:59:59Z", "2026-11-29T00:00:01Z"))


def test_ledger_normalisation_touches_only_edition_fields():
    entry = {"id": "x", "text": "2013-04-01", "edition_date": "2026-11-28", "value": 1.0}
    a = json.dumps([entry])
    b = json.dumps([dict(entry, edition_date="2026-11-29")])
    assert normalise_ledger_edition_time(a) == normalise_ledger_edition_time(b)
    assert normalise_ledger_edition_time(a) != normalise_ledger_edition_time(json.dumps([dict(entry, text="2013-04-02")]))
    csv_a = "id,text,edition_date\nx,2013-04-01,2026-11-28\n"
    assert normalise_ledger_edition_time(csv_a) == normalise_ledger_edition_time(csv_a.replace("11-28", "11-29"))
    assert normalise_ledger_edition_time(csv_a) != normalise_ledger_edition_time(csv_a.replace("04-01", "04-02"))


@pytest.fixture(scope="module")
def two_fresh_renders(good_book, tmp_path_factory):
    """Two fresh renders of provably the same inputs (conftest.inputs_digest).

    The first is the session's good_book if nothing changed since it was made; on a shared
    checkout where someone committed meanwhile, both are made here. Three attempts, then the
    test fails saying why: it never compares renders of different inputs.
    """
    assert "--fresh" in GOOD_RENDER
    for attempt in range(3):
        first = good_book if attempt == 0 and RENDERED_FROM.get(good_book) == inputs_digest() else None
        if first is None:
            first = tmp_path_factory.mktemp("first") / "_book"
            done, pinned = render_pinned(*GOOD_RENDER, out=first)
            assert done.returncode == 0, explain(done)
        second = tmp_path_factory.mktemp("second") / "_book"
        done, pinned = render_pinned(*GOOD_RENDER, out=second)
        assert done.returncode == 0, explain(done)
        if pinned is not None and RENDERED_FROM.get(first) == pinned:
            return first, second
    pytest.fail("the project's sources changed during every attempt: no two renders of the same inputs")


def test_same_files(two_fresh_renders):
    a, b = two_fresh_renders
    files = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files(a) == files(b)


def test_claims_ledger_is_identical_apart_from_the_edition_time(two_fresh_renders):
    a, b = two_fresh_renders
    for name in ("claims.json", "claims.csv"):
        left, right = (normalise_ledger_edition_time((book / name).read_text(encoding="utf-8")) for book in (a, b))
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
