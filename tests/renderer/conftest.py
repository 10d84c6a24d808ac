"""Fixtures for the renderer's tests: copies of the test book, rendered once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent / "book"
IGNORE = shutil.ignore_patterns(".render-cache", "_book", "_book.*", "__pycache__")


def copy_book(dest: Path) -> Path:
    """A private copy of the test book (tests never write into the repository)."""
    shutil.copytree(BOOK, dest, ignore=IGNORE)
    return dest


@pytest.fixture(scope="session")
def book_sources() -> dict:
    """What a caller (paradox render) tells the renderer about the test book's source ids."""
    return SOURCES


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """The test book rendered to HTML and PDF once: (project dir, out dir, RenderResult)."""
    from renderer import render_book

    project = copy_book(tmp_path_factory.mktemp("rendered") / "book")
    out = project / "_book"
    result = render_book(project, out, formats=("html", "pdf"), data_package=project / "data",
                         sources=SOURCES)
    return project, out, result


SOURCES = {"field_notes": {"name": "Test Station", "title": "Field notes", "year": "2021",
                           "url": "https://example.org/field-notes"}}


@pytest.fixture(scope="session")
def pdf_text(rendered) -> str:
    """`pdftotext -layout` of the rendered PDF."""
    _, out, result = rendered
    return subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def book_copy(tmp_path) -> Path:
    """A fresh copy of the test book for tests that edit it."""
    return copy_book(tmp_path / "book")


@pytest.fixture(scope="session")
def warm_book(tmp_path_factory) -> Path:
    """The test book rendered once (HTML): its .render-cache holds a run of every chapter.
    Never changed after: tests edit copies of it (warm_book_copy)."""
    from renderer import render_book

    project = copy_book(tmp_path_factory.mktemp("warm") / "book")
    render_book(project, project / "_book", formats=("html",))
    return project


@pytest.fixture
def warm_book_copy(warm_book, tmp_path) -> Path:
    """A copy of the test book whose cache (copied with it) already holds every chapter's run,
    for tests whose first render only fills the cache: that render reuses the runs instead of
    executing every chapter (the cache records paths relative to the project, and checks them
    in the copy and where the run read them, test_cache.py)."""
    return Path(shutil.copytree(warm_book, tmp_path / "book", symlinks=True))


class _PageParser:
    """Collects ids, links (tag, attribute, url), text and claim spans of one HTML page.

    Content of <template> and <script> elements is not shown to a reader: it is left out of
    the text (e.g. the bibliography a page keeps only for citation previews).
    """

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.ids, self.links, self.claims, self.chunks = set(), [], {}, []
        parser = HTMLParser(convert_charrefs=True)
        claim = []
        hidden = []  # open <template>/<script> elements

        def start(tag, attrs):
            if tag in ("template", "script"):
                hidden.append(tag)
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.add(attrs["id"])
            for key in ("href", "src"):
                if attrs.get(key) is not None:
                    self.links.append((tag, key, attrs[key], attrs.get("class", "")))
            if tag == "span" and "claim" in (attrs.get("class") or "").split():
                claim.append([attrs["id"], attrs.get("title"), ""])
            elif claim and tag == "span":
                claim.append(None)

        def end(tag):
            if tag in ("template", "script") and hidden:
                hidden.pop()
            if tag == "span" and claim:
                item = claim.pop()
                if item is not None:
                    self.claims[item[0]] = {"title": item[1], "text": item[2]}

        def data(text):
            if hidden:
                return
            self.chunks.append(text)
            for item in claim:
                if item is not None:
                    item[2] += text

        parser.handle_starttag, parser.handle_endtag, parser.handle_data = start, end, data
        parser.feed(text)
        self.text = " ".join("".join(self.chunks).split())


@pytest.fixture(scope="session")
def site(rendered) -> dict:
    """Every HTML page of the rendered site, parsed: {path relative to _book: _PageParser}."""
    _, out, _ = rendered
    return {p.relative_to(out).as_posix(): _PageParser(p.read_text(encoding="utf-8"))
            for p in sorted(out.rglob("*.html"))}
