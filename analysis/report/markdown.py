"""What a chapter shows that is not a single value: tables and Markdown blocks.

Why a module of its own: every chapter shows tables, and every table goes through the same
escaping and cell formatting, so these live once, beside the chapter modules. Also here: the
hook that makes inline values display as their text under Quarto (`register_markdown_formatters`),
which values.py calls on import, so every chapter's kernel has it.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis.estimate import Branch, Estimate, format_number

__all__ = ["Table", "Markdown", "md_escape", "code_span", "en_dash_ranges", "curly_quotes", "cell",
           "register_markdown_formatters"]

# Every ASCII punctuation character (pandoc lets a backslash escape any of them), so no text
# from the data can become Markdown, HTML (`<`, `&amp;`), Typst or a shortcode. The renderer
# applies the same rule to inline values (renderer.outputs.escape_markdown); analysis may not
# import the renderer, so tests/test_markdown_escaping.py keeps the two copies in step.
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: str) -> str:
    """Literal text for pandoc Markdown: white space folded, all ASCII punctuation escaped."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def code_span(text: str) -> str:
    """`text` as a Markdown code span (printed monospace, never re-typeset: a pattern or a file
    name keeps its hyphens and quotes); a fence longer than any backtick run inside. A `|`
    stays as it is: pandoc does not split a pipe-table cell inside a code span."""
    text = str(text)
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# A hyphen between two numbers ("2000-2012", "15-64", "0-100"), not in a date (2026-11-30) or a
# standard's part number (ISO 3166-1).
_HYPHEN_RANGE = re.compile(r"(?<!ISO )(?<![\d.-])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\d.]|-\d)")


def en_dash_ranges(text: str) -> str:
    """A publisher's text as a typesetter prints it: an en dash between two numbers.

    Why at display time: data/ keeps the publishers' titles and descriptions as published
    ("1990-2019"); the book prints "1990\u20132019", as the formatter does for its own ranges."""
    return _HYPHEN_RANGE.sub("\\1\u2013\\2", str(text))


# Characters after which a quote opens (besides white space and the start of the text): the rule
# pandoc's smart reader applies to what an author types, and renderer/filters/book.lua's `curl`
# to literal text on the PDF path.
_OPENERS = frozenset("([{/\u2014\u2013\u201c\u2018")


def curly_quotes(text: str) -> str:
    """Straight quotes and apostrophes as typographic ones ("Peru's" -> "Peru\u2019s").

    Why here: text the chapter modules build (data-chosen sentences, table cells, citations)
    reaches pandoc escaped, so its smart reader leaves those quotes straight, in the HTML and
    under Quarto alike; curled at the source, the page and the claims ledger print the same
    text. The rule: a quote opens at the start, after white space or an opening bracket or
    dash, and closes (or is an apostrophe) elsewhere; "'s" not followed by a letter is a
    possessive. Code spans are not passed through it: code keeps its straight quotes."""
    text = str(text)
    if "'" not in text and '"' not in text:
        return text
    out, prev = [], ""
    for i, ch in enumerate(text):
        if ch in "'\"":
            possessive = ch == "'" and text[i + 1:i + 2] == "s" and not text[i + 2:i + 3].isalpha()
            opening = (prev == "" or prev.isspace() or prev in _OPENERS) and not possessive
            ch = ("\u2018" if opening else "\u2019") if ch == "'" else ("\u201c" if opening else "\u201d")
        out.append(ch)
        prev = ch
    return "".join(out)


def cell(value: float | None, unit: str, digits: int | None = None) -> str:
    """One table cell through the shared formatter ('' for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    return format_number([float(value)], unit, digits)


class Table:
    """A table for the book: a DataFrame of display strings shown as a Markdown pipe table.

    Why not the DataFrame itself: its HTML repr carries the row index and is HTML-only, while a
    Markdown table becomes a real table in every format (HTML, Typst/PDF, Quarto or the
    project's renderer) and takes its caption from `tbl-cap`. `frame` keeps the data.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def to_markdown(self) -> str:
        """The pipe table (header, alignment row, one line per row)."""
        cols = self.columns
        numeric = [bool(len(self.frame)) and all(_looks_numeric(v) for v in self.frame[c]) for c in cols]
        lines = ["| " + " | ".join(md_escape(curly_quotes(c)) for c in cols) + " |",
                 "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
        for _, row in self.frame.iterrows():
            lines.append("| " + " | ".join(_table_cell(v) for v in row) + " |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def _table_cell(value) -> str:
    """One pipe-table cell: text typeset and escaped, a `Markdown` cell (code spans) kept as
    written."""
    if isinstance(value, Markdown):
        return str(value).replace("\n", " ")
    return md_escape(curly_quotes("" if pd.isna(value) else value))


def _looks_numeric(value) -> bool:
    """True for display strings such as '1,260', '45%', '2nd', '' (right-aligned columns)."""
    text = str(value).strip().rstrip("%").replace(",", "")
    for suffix in ("st", "nd", "rd", "th"):
        text = text.removesuffix(suffix)
    if text == "":
        return True
    try:
        float(text)
        return True
    except ValueError:
        return False


class Markdown(str):
    """Markdown the chapter shows as it is (Jupyter's text/markdown output)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _inline_markdown(value) -> str:
    """An inline value as Markdown: its formatted text with Markdown punctuation escaped."""
    return md_escape(str(value))


def register_markdown_formatters(shell=None) -> bool:
    """Make Estimates and Branches display as their formatted text in a Jupyter kernel.

    Why: Quarto (>= 1.4) evaluates `` `{python} r.x` `` through the kernel's display formatter
    and uses the text/markdown representation when there is one; without it a reader using
    `quarto render` would see the dataclass repr. The project's renderer inserts `str(value)`
    itself, so this changes nothing there. Returns True if a shell was found.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
            return False
        shell = get_ipython()
    if shell is None:
        return False
    markdown = shell.display_formatter.formatters["text/markdown"]
    for cls in (Estimate, Branch):
        markdown.for_type(cls, _inline_markdown)
    return True
