"""What a reader of the PDF gets, through poppler-utils: text, page pixels, fonts.

- `pdf_text(pdf)`: `pdftotext` output, whitespace collapsed to single spaces (a claim such as
  "at least $1 billion" may be broken across lines in the layout), with soft hyphens and
  hyphenation at line ends undone.
- `blank_pages(pdf)`: page numbers whose raster (`pdftoppm -gray`, 24 dpi, parsed as PGM
  here - no imaging library needed) has fewer than `min_ink` non-white pixels.
- `fonts(pdf)`: the `pdffonts` table as dicts; `unembedded_fonts` lists those with emb != yes.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path


def _run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def normalise(text: str) -> str:
    """The text as one line: line breaks undone the way a reader reads them.

    - Typst marks its own hyphenation with a soft hyphen (U+00AD) at the line end: the word
      is joined ("in" soft-hyphen newline "clude" -> "include").
    - A line that ends just after a hard hyphen, dash or slash broke *at* that character,
      not at a space ("5-" newline "7" -> "5-7", "</" newline "script>" -> "</script>"), so
      nothing is inserted.
    - Every other run of whitespace is one space; non-breaking and thin spaces are spaces.
    """
    text = re.sub("\u00ad\\s*", "", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u2009", " ").replace("\u200b", "").replace("\u2060", "")  # thin space, zero-width space, word joiner
    text = re.sub("(?<=\\S[-\u2013\u2014/])\n", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: Path, raw: bool = False) -> str:
    """The PDF's text as a reader would copy it, normalised (see `normalise`).

    raw: content-stream order (`pdftotext -raw`) instead of reading layout. In a table the
    layout mode interleaves the lines of neighbouring cells; raw mode keeps each cell's text
    together, which is what a test looking for one cell's text needs.
    """
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(pdf), "-"]
    return normalise(_run(*args))


def page_count(pdf: Path) -> int:
    info = _run("pdfinfo", str(pdf))
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    if not match:
        raise RuntimeError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """(width, height, pixels) of a binary PGM (P5, maxval < 256) as pdftoppm -gray writes it."""
    data = path.read_bytes()
    # Header: magic, width, height, maxval, separated by whitespace; comments start with #.
    tokens, pos = [], 0
    while len(tokens) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        tokens.append(data[start:pos])
    if tokens[0] != b"P5" or int(tokens[3]) > 255:
        raise ValueError(f"{path}: not an 8-bit binary PGM ({tokens[0]!r}, maxval {tokens[3]!r})")
    width, height = int(tokens[1]), int(tokens[2])
    pixels = data[pos + 1 : pos + 1 + width * height]
    if len(pixels) != width * height:
        raise ValueError(f"{path}: truncated PGM")
    return width, height, pixels


def ink_per_page(pdf: Path, dpi: int = 24, white: int = 250) -> list[int]:
    """Number of non-white pixels on each page (index 0 = page 1)."""
    with tempfile.TemporaryDirectory(prefix="paradox-pgm-") as tmp:
        _run("pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(Path(tmp) / "p"))
        pages = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [sum(1 for px in read_pgm(p)[2] if px < white) for p in pages]


def blank_pages(pdf: Path, min_ink: int = 20) -> list[int]:
    """1-based numbers of pages with (almost) no ink."""
    return [i + 1 for i, ink in enumerate(ink_per_page(pdf)) if ink < min_ink]


def fonts(pdf: Path) -> list[dict]:
    """`pdffonts` rows as dicts: name, type, encoding, emb, sub, uni, object.

    Parsed from the right: long subset names overflow the header's column widths, but the
    last five cells (emb sub uni object-number generation) and the encoding are single
    words, the name is one word ("[none]" for Type 3), and the type is what lies between.
    """
    lines = _run("pdffonts", str(pdf)).splitlines()
    if len(lines) < 2 or not lines[1].startswith("---"):
        raise RuntimeError(f"unexpected pdffonts output: {lines[:2]}")
    rows = []
    for line in lines[2:]:
        cells = line.split()
        if not cells:
            continue
        if len(cells) < 8:
            raise RuntimeError(f"unexpected pdffonts row: {line!r}")
        rows.append(
            {
                "name": cells[0],
                "type": " ".join(cells[1:-6]),
                "encoding": cells[-6],
                "emb": cells[-5],
                "sub": cells[-4],
                "uni": cells[-3],
                "object": f"{cells[-2]} {cells[-1]}",
            }
        )
    return rows


def unembedded_fonts(pdf: Path) -> list[str]:
    return [f"{f['name']} ({f['type']})" for f in fonts(pdf) if f["emb"] != "yes"]
