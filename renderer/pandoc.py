"""Running pandoc (from pypandoc-binary) with cached outputs, and building its JSON AST."""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path

import pypandoc

from renderer.cache import OutputCache
from renderer.errors import RenderError

FILTERS = Path(__file__).resolve().parent / "filters"
READER = "markdown+smart"  # curly quotes, apostrophes, en and em dashes from what the author types, as Quarto reads it


def pandoc_path() -> str:
    """The pandoc binary shipped in the pypandoc-binary wheel."""
    return pypandoc.get_pandoc_path()


def run(args: list[str], stdin: bytes, cache: OutputCache, files: list[Path] = (), what: str = "pandoc") -> bytes:
    """Run pandoc with `args` on `stdin`; cached by the args, input and every file it reads."""
    key = [*args, stdin, *[Path(f).read_bytes() for f in files]]

    def make() -> bytes:
        proc = subprocess.run([pandoc_path(), *args], input=stdin, capture_output=True)
        if proc.returncode != 0:
            raise RenderError(f"{what}: pandoc failed: {proc.stderr.decode(errors='replace').strip()}")
        return proc.stdout

    return cache.get_or_make("pandoc", key, make)


@functools.lru_cache(maxsize=64)
def smart_text(text: str) -> str:
    """A one-line Markdown string (the book's title and subtitle, a figure card's caption) as
    plain text, read as Quarto reads it (`READER`: curly quotes and apostrophes): the title
    block and the cards are built outside pandoc's writers, so without this they would keep
    the straight quotes typed in the sources."""
    if not text or not any(q in text for q in "'\""):
        return text
    proc = subprocess.run([pandoc_path(), "-f", READER, "-t", "plain", "--wrap=none"],
                          input=text.encode(), capture_output=True)
    if proc.returncode != 0:
        raise RenderError(f"{text!r}: pandoc failed: {proc.stderr.decode(errors='replace').strip()}")
    return " ".join(proc.stdout.decode().split())


def markdown_to_ast(markdown: str, cache: OutputCache, what: str) -> dict:
    """Parse pandoc Markdown into the JSON AST."""
    return json.loads(run(["-f", READER, "-t", "json"], markdown.encode(), cache, what=what))


def meta_value(value):
    """A Python value as a pandoc MetaValue (JSON form)."""
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {str(k): meta_value(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"t": "MetaList", "c": [meta_value(v) for v in value]}
    return {"t": "MetaString", "c": "" if value is None else str(value)}


def stringify(node) -> str:
    """Plain text of inlines/blocks (like pandoc.utils.stringify), citations left out."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t, c = node.get("t"), node.get("c")
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t == "Code":
        return c[1]
    if t == "Math":
        return c[1]
    if t == "Quoted":
        q = '"' if c[0]["t"] == "DoubleQuote" else "'"
        return q + stringify(c[1]) + q
    if t in ("Cite", "Note", "RawInline"):
        return ""
    if t in ("Span", "Link", "Image"):
        return stringify(c[1])
    if t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline", "Plain", "Para"):
        return stringify(c)
    return stringify(c) if isinstance(c, list) else ""
