"""The claims ledger and the rendered HTML hold exactly the same numbers, both ways."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow

SPAN = re.compile(r"<span\b([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def _spans(book) -> dict[str, str]:
    """{page#id: hover title} of every claim span in every HTML page of the book."""
    found = {}
    for page in sorted(book.rglob("*.html")):
        rel = page.relative_to(book).as_posix()
        for attrs in SPAN.findall(page.read_text(encoding="utf-8")):
            a = dict(ATTR.findall(attrs))
            if "claim" in a.get("class", "").split():
                found[f"{rel}#{a['id']}"] = a.get("title", "")
    return found


def test_every_claim_span_is_in_the_ledger_and_every_entry_is_a_span(good_book, claims):
    spans = _spans(good_book)
    anchors = {c["anchor"] for c in claims}
    assert len(anchors) == len(claims), "ledger anchors are unique"
    assert sorted(spans) == sorted(anchors)


def test_every_claim_span_names_its_source_on_hover(good_book, claims):
    spans = _spans(good_book)
    for claim in claims:
        title = spans[claim["anchor"]]
        assert title.startswith("Source"), (claim["id"], title)
        for source in claim["sources"]:
            assert source in title, (claim["id"], source, title)
