"""`paradox render --since OLD`: the new edition says what changed, on its first page."""

from __future__ import annotations

import csv
import html
import json
import re

import pytest

from tests.e2e.conftest import explain, run_paradox

pytestmark = pytest.mark.slow

HEADING = "What changed in this edition"


def _text(page) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def bump_peru_latest_coca(folder) -> tuple[int, int]:
    """Raise Peru's latest headline coca area by 1,111 ha; return (year, new hectares)."""
    path = folder / "coca_cultivation.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    peru = [r for r in rows if r["iso3"] == "PER" and r["headline"] == "true"]
    latest = max(peru, key=lambda r: int(r["year"]))
    latest["hectares"] = str(int(latest["hectares"]) + 1111)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return int(latest["year"]), int(latest["hectares"])


def test_new_vintage_lists_the_numbers_that_moved(good_book, edited_book):
    # edited_book (conftest.py): data/ copied, Peru's latest coca area raised by
    # bump_peru_latest_coca (and test_hostile_text.py's text planted in other cells), the
    # edit recorded with `paradox describe`, then `paradox render --data COPY --since good_book`
    out, hectares = edited_book.out, edited_book.hectares
    old = {c["id"]: c for c in json.loads((good_book / "claims.json").read_text(encoding="utf-8"))}
    new = {c["id"]: c for c in json.loads((out / "claims.json").read_text(encoding="utf-8"))}
    moved = [i for i in new if i in old and new[i]["text"] != old[i]["text"]]
    # Peru's latest area is printed on the first page; it moved by exactly the planted amount
    assert "index-r-peru-area-latest" in moved
    assert new["index-r-peru-area-latest"]["text"].startswith(f"{hectares:,}")
    page = _text(out / "index.html")
    assert HEADING in page
    entry = old["index-r-peru-area-latest"]["text"], new["index-r-peru-area-latest"]["text"]
    assert entry[0] in page and entry[1] in page


def test_the_book_never_prints_where_its_data_folder_is(edited_book):
    """A book rendered from a data folder outside the project names no path of that folder
    in its pages, PDF, ledger, cards or downloads: a published book should not leak a user's
    folders, and the render cache reuses a chapter's run for the same data in another folder
    (renderer/cache.py), which is sound only if no output depends on the folder's place.
    The kept notebooks name it only in the renderer's setup and record cells (what a replay
    reads, rewritten for each render), never in a chapter's own cells or outputs."""
    import nbformat

    from tests.e2e.pdf import pdf_text

    where = str(edited_book.data)
    leaks = []
    for path in (p for p in edited_book.out.rglob("*") if p.is_file()):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            own = [c for c in nb.cells if not any(t.startswith("renderer-") for t in c.metadata.get("tags", []))]
            if where in json.dumps(own):
                leaks.append(path.name)
        elif where.encode() in path.read_bytes():
            leaks.append(path.relative_to(edited_book.out).as_posix())
    assert leaks == [], f"{where} is printed in {leaks}"
    assert where not in pdf_text(next(edited_book.out.glob("*.pdf")))


def test_without_since_there_is_no_changes_section(good_book):
    assert HEADING not in _text(good_book / "index.html")


def test_an_earlier_edition_is_read_never_claimed_and_its_text_stays_text(previous_book):
    """`mv _book _book.old-v1; paradox render --since _book.old-v1`: the earlier edition is
    untouched (recovery claims only the folders its own journal names), and text read from
    its ledger - here HTML that would run and load a remote image - is printed literally."""
    from tests.e2e.conftest import REPO, tree_digest
    from tests.hostile import HOSTILE

    earlier = previous_book.with_name("_book.old-v1")
    previous_book.rename(earlier)
    ledger = json.loads((earlier / "claims.json").read_text(encoding="utf-8"))
    hostile = " ".join(HOSTILE[:2])  # a script, and an image from the network
    for entry in ledger:
        if entry["id"] == "index-r-peru-area-latest":
            entry["text"] = hostile
    (earlier / "claims.json").write_text(json.dumps(ledger), encoding="utf-8")
    before = tree_digest(earlier)
    done = run_paradox("render", "--to", "html", "--since", str(earlier), "--out", str(previous_book))
    assert done.returncode == 0, explain(done)
    assert tree_digest(earlier) == before
    # the render's private copy of the earlier ledger is gone with it
    assert sorted((REPO / ".render-cache").glob("previous-claims*")) == []
    page = (previous_book / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=https://example.org" not in page
    assert hostile in _text(previous_book / "index.html")
