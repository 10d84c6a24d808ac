"""The claims ledger: claims.json and claims.csv in the format of ARCHITECTURE.md."""

from __future__ import annotations

import csv
import json

import pytest

pytestmark = pytest.mark.slow


def test_ledger_json_and_csv_agree_and_follow_the_contract(rendered):
    _, out, result = rendered
    entries = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    assert entries == result.claims
    assert [e["id"] for e in entries] == ["growth-north", "growth-south"]  # book order
    for entry in entries:
        for key in ("id", "kind", "text", "value", "low", "high", "unit", "sources", "branch",
                    "sentence", "chapter", "anchor"):
            assert key in entry
    rows = list(csv.DictReader((out / "claims.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [e["id"] for e in entries]
    assert [r["sources"] for r in rows] == [";".join(e["sources"]) for e in entries]
    assert [r["text"] for r in rows] == [e["text"] for e in entries]


def test_each_claim_anchor_points_at_its_span_and_sentence_holds_its_text(rendered, site):
    _, _, result = rendered
    for entry in result.claims:
        page, fragment = entry["anchor"].split("#")
        span = site[page].claims[fragment]
        assert span["text"] == entry["text"]
        assert span["title"] == "Source: " + ", ".join(entry["sources"])
        assert entry["text"] in entry["sentence"]
        assert entry["sentence"].startswith("The north site averaged")
        assert "(Figure 1.1, Table 1.1)" in entry["sentence"]  # references read as in the text


def test_claim_values_come_from_the_protocol(rendered):
    _, _, result = rendered
    north = next(e for e in result.claims if e["id"] == "growth-north")
    assert north["low"] <= north["value"] <= north["high"]
    assert north["unit"] == "cm" and north["sources"] == ["field_notes"]
    assert north["expression"] == "north" and north["chapter"] == "growth"


def test_edition_fields_reach_the_ledger_footer_and_title_page(book_copy, tmp_path):
    import subprocess

    from renderer import render_book

    out = tmp_path / "out"
    edition = {"stamp": "Edition 9.9.9 <of> #today", "version": "9.9.9", "data_vintage": "2099"}
    result = render_book(book_copy, out, edition=edition)
    assert all(e["version"] == "9.9.9" and e["data_vintage"] == "2099" and "stamp" not in e
               for e in result.claims)
    for page in ("index.html", "chapters/method.html"):
        assert "Edition 9.9.9 &lt;of&gt; #today" in (out / page).read_text(encoding="utf-8")
    title_page = subprocess.run(["pdftotext", "-l", "1", str(result.pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
    assert "Edition 9.9.9 <of> #today" in title_page


def test_a_render_with_no_format_writes_the_ledger_a_full_render_writes_and_nothing_else(warm_book_copy, tmp_path):
    """`render_book(formats=())`: what `paradox diff`, `paradox update` and the first pass of
    `paradox render --since` use to learn what a book will say. The same claims.json as the
    HTML render of the same project (warm_book_copy's _book, rendered from the same runs), the
    kept notebooks, and no page, PDF or figure card."""
    from renderer import render_book

    out = tmp_path / "ledger"
    result = render_book(warm_book_copy, out, formats=())
    assert result.html is None and result.pdf is None
    full = warm_book_copy / "_book"
    assert (out / "claims.json").read_bytes() == (full / "claims.json").read_bytes()
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == sorted(p.name for p in (full / "notebooks").iterdir())
    assert not list(out.rglob("*.html")) and not list(out.rglob("*.pdf")) and not list(out.rglob("*.zip"))
    assert (full / "figures").is_dir() and not (out / "figures").exists()
