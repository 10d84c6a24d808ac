"""How the PDF is set, read back through poppler: word boxes, text runs with their fonts,
the outline, how far down each page the ink reaches. Each detector is a plain function of
what poppler gives, so test_pdf_layout.py can plant a fault and see it fire.

- `words(pdf)`: every word with its box (`pdftotext -bbox-layout`), in points.
- `overlapping_words(words)`: pairs of words whose boxes overlap (text set over text).
- `runs(pdf)`: text runs with their font (`pdftohtml -xml`), so code can be told apart.
- `straight_quotes(runs)`, `hyphen_ranges(runs)`: typography faults outside code.
- `chapter_starts(pdf)`: the pages where a top-level outline entry (a chapter) begins.
- `fill(pdf, words)`: how far down its text area each page's ink reaches (0..1).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .pdf import read_pgm

MONO = re.compile(r"mono|courier|code", re.I)  # font families of code (raw text in Typst)
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    font: str  # font family as embedded, e.g. "VGUWFB+LibertinusSerif"
    size: float = 0.0  # as pdftohtml reports it (points x 1.5)

    @property
    def code(self) -> bool:
        return bool(MONO.search(self.font))

    @property
    def chart(self) -> bool:
        """Text of a chart: vl-convert sets it in DejaVu Sans, smaller than any heading."""
        return "DejaVuSans" in self.font and not self.code and self.size < 15


def _run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def words(pdf: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of the PDF with its box, and each page's (width, height), in points."""
    root = ET.fromstring(_run("pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"))
    found, sizes = [], []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        sizes.append((float(page.get("width")), float(page.get("height"))))
        for word in page.iter(f"{XHTML}word"):
            box = [float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append(Word(number, word.text or "", *box))
    return found, sizes


def overlapping_words(found: list[Word], tolerance: float = 1.0) -> list[tuple[Word, Word]]:
    """Pairs of words on one page whose boxes overlap by more than `tolerance` points both
    across and down (boxes of neighbouring words and lines may touch; set text never
    overlaps). A sweep down the page keeps this fast."""
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for w in found:
        by_page.setdefault(w.page, []).append(w)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        active: list[Word] = []
        for w in page_words:
            active = [a for a in active if a.y1 - w.y0 > tolerance]
            for a in active:
                if min(a.x1, w.x1) - max(a.x0, w.x0) > tolerance and min(a.y1, w.y1) - max(a.y0, w.y0) > tolerance:
                    pairs.append((a, w))
            active.append(w)
    return pairs


# The template's side margins (book.typ: `margin: (x: 2.4cm, ...)`), in points.
SIDE_MARGIN = 2.4 / 2.54 * 72


def words_past_the_margins(found: list[Word], sizes: list[tuple[float, float]],
                           tolerance: float = 2.0) -> list[Word]:
    """Words that stick out of the text area into a side margin or off the page (a token too
    long for its table column runs on past the column and the page edge)."""
    return [w for w in found
            if w.x0 < SIDE_MARGIN - tolerance or w.x1 > sizes[w.page - 1][0] - SIDE_MARGIN + tolerance]


def runs(pdf: Path) -> tuple[list[Run], ET.Element]:
    """Text runs with their fonts (`pdftohtml -xml`), and the document's outline element."""
    xml = _run("pdftohtml", "-xml", "-i", "-q", "-stdout", "-enc", "UTF-8", str(pdf))
    root = ET.fromstring(xml)
    fonts = {spec.get("id"): (spec.get("family", ""), float(spec.get("size", 0))) for spec in root.iter("fontspec")}
    found = []
    for page in root.iter("page"):
        number = int(page.get("number"))
        for text in page.iter("text"):
            family, size = fonts.get(text.get("font"), ("", 0.0))
            found.append(Run(number, "".join(text.itertext()), family, size))
    return found, root.find("outline")


def straight_quotes(found: list[Run]) -> list[Run]:
    """Runs outside code that hold a straight double quote or apostrophe."""
    return [r for r in found if not r.code and ('"' in r.text or "'" in r.text)]


# Not ranges: a date (2026-11-30), a standard's part number (ISO 3166-1).
NOT_RANGE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\bISO \d+-\d+")
HYPHEN_RANGE = re.compile(r"\d-\d")


def hyphen_ranges(found: list[Run]) -> list[tuple[int, str]]:
    """(page, text) of each hyphen between two digits outside code, including a range broken
    at a line end ("3.5-" / "25.6"); dates and standards' numbers (NOT_RANGE) left out."""
    hits = []
    prose = [r for r in found if not r.code]
    for i, r in enumerate(prose):
        text = NOT_RANGE.sub("x", r.text)
        hits += [(r.page, text[max(0, m.start() - 12):m.end() + 12]) for m in HYPHEN_RANGE.finditer(text)]
        after = prose[i + 1] if i + 1 < len(prose) else None
        if after and after.page == r.page and re.search(r"\d-$", text) and re.match(r"\d", after.text):
            hits.append((r.page, f"{text[-12:]} / {after.text[:12]}"))
    return hits


def chapter_starts(outline: ET.Element | None) -> list[int]:
    """Pages (1-based) where each top-level outline entry - a chapter or appendix - begins."""
    if outline is None:
        return []
    return sorted({int(item.get("page")) for item in outline.findall("item") if item.get("page")})


def footer_top(found: list[Word], page: int, height: float) -> float:
    """Top of the page-number line: the lowest word of the page if it is a page number in the
    bottom margin (the last tenth of the page), else the page's height."""
    page_words = [w for w in found if w.page == page]
    if not page_words:
        return height
    lowest = max(page_words, key=lambda w: w.y0)
    if lowest.y0 > 0.9 * height and re.fullmatch(r"\d+|[ivxlc]+", lowest.text):
        return lowest.y0
    return height


def ink_rows(pdf: Path, dpi: int = 30, white: int = 240) -> list[list[bool]]:
    """Per page, per pixel row (top to bottom): whether the row holds any ink."""
    with tempfile.TemporaryDirectory(prefix="paradox-fill-") as tmp:
        _run("pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(Path(tmp) / "p"))
        pages = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        result = []
        for path in pages:
            width, height, pixels = read_pgm(path)
            result.append([min(pixels[y * width:(y + 1) * width]) < white for y in range(height)])
        return result


def fill(rows: list[list[bool]], found: list[Word], sizes: list[tuple[float, float]],
         skip: set[int] = frozenset()) -> dict[int, float]:
    """{page: share of the text area its ink reaches down to}, pages in `skip` left out.

    The text area runs from the highest first ink row to the lowest last ink row above the
    page number over all pages (what the template's margins give): a full page is 1.0."""
    spans = {}
    for page, (page_rows, (_, height)) in enumerate(zip(rows, sizes), start=1):
        scale = len(page_rows) / height  # pixel rows per point
        cut = int(footer_top(found, page, height) * scale) - 1
        inked = [y for y, ink in enumerate(page_rows[:cut]) if ink]
        if inked:
            spans[page] = (inked[0] / scale, inked[-1] / scale)
    body = {p: s for p, s in spans.items() if p not in skip}
    if not body:
        return {}
    top = min(s[0] for s in body.values())
    bottom = max(s[1] for s in body.values())
    return {p: (s[1] - top) / (bottom - top) for p, s in body.items()}
