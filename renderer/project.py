"""The book project: `_quarto.yml` read into a `Project` (metadata, chapters, appendices).

Only the keys this renderer honours are accepted; anything else is refused with its line.
"""

from __future__ import annotations

import datetime as _dt
import string
from dataclasses import dataclass, field
from pathlib import Path

from renderer.errors import RenderError, UnsupportedSyntaxError
from renderer.yamlspec import ANY, load_checked

EXECUTE_SPEC = {"echo": ANY, "warning": ANY, "output": ANY, "include": ANY}
QUARTO_SPEC = {
    # resources: files Quarto copies into its output; this renderer ships its own scripts.
    "project": {"type": ANY, "output-dir": ANY, "title": ANY, "resources": ANY},
    "book": {
        "title": ANY, "subtitle": ANY, "author": ANY, "date": ANY,
        "chapters": ANY, "appendices": ANY,
    },
    "title": ANY, "subtitle": ANY, "author": ANY, "date": ANY,
    "bibliography": ANY, "csl": ANY, "lang": ANY,
    "execute": EXECUTE_SPEC,
    "format": {
        "html": {"toc": ANY, "number-sections": ANY, "toc-depth": ANY},
        "typst": {"toc": ANY, "number-sections": ANY, "toc-depth": ANY, "papersize": ANY},
    },
}


@dataclass
class Chapter:
    """One chapter file of the book and where it sits in the numbering."""

    path: Path           # absolute path of the .qmd
    rel: str             # path relative to the project, as listed in _quarto.yml
    order: int           # position in the book, 0-based
    appendix: bool       # listed under book.appendices (numbered A, B, ...)

    @property
    def stem(self) -> str:
        """File stem, used for ids and notebook names."""
        return self.path.stem

    @property
    def html_name(self) -> str:
        """Output page, relative to the site root (`index.html`, `chapters/x.html`)."""
        return str(Path(self.rel).with_suffix(".html"))


@dataclass
class Project:
    """Everything `_quarto.yml` says that the renderer uses."""

    root: Path
    title: str
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    bibliography: list[Path] = field(default_factory=list)
    csl: Path | None = None
    lang: str = "en"
    execute: dict = field(default_factory=dict)
    html: dict = field(default_factory=dict)
    typst: dict = field(default_factory=dict)
    config_text: str = ""

    @property
    def slug(self) -> str:
        """A file name for the PDF derived from the title."""
        keep = string.ascii_letters + string.digits
        title = self.title.replace("'", "").replace("\u2019", "")  # "Peru's" -> "perus"
        words = "".join(c if c in keep else " " for c in title).split()
        return "-".join(words).lower() or "book"


def load_project(root: Path) -> Project:
    """Read `<root>/_quarto.yml` into a Project, refusing unsupported keys with their line."""
    root = Path(root).resolve()
    config = root / "_quarto.yml"
    if not config.exists():
        raise RenderError(f"{config}: not found (a book project needs _quarto.yml)")
    text = config.read_text(encoding="utf-8")
    data = load_checked(text, QUARTO_SPEC, config)
    if data.get("project", {}).get("type", "book") != "book":
        raise UnsupportedSyntaxError(config, None, "only 'project: type: book' is supported")
    book = data.get("book", {})
    project = Project(
        root=root,
        title=str(book.get("title", data.get("title", ""))),
        subtitle=str(book.get("subtitle", data.get("subtitle", ""))),
        authors=_authors(book.get("author", data.get("author"))),
        date=_date(book.get("date", data.get("date"))),
        bibliography=[root / b for b in _as_list(data.get("bibliography"))],
        csl=root / data["csl"] if data.get("csl") else None,
        lang=str(data.get("lang", "en")),
        execute=dict(data.get("execute") or {}),
        html=dict((data.get("format") or {}).get("html") or {}),
        typst=dict((data.get("format") or {}).get("typst") or {}),
        config_text=text,
    )
    for fmt in ("html", "typst"):
        opts = getattr(project, fmt)
        if opts.get("number-sections", True) is not True:
            raise UnsupportedSyntaxError(config, _line_of(text, "number-sections"),
                                         f"format.{fmt}.number-sections: false (books are numbered)")
    project.chapters = _chapters(root, config, book)
    for path in [*project.bibliography, *([project.csl] if project.csl else [])]:
        if not path.exists():
            raise RenderError(f"{config}: file {path.relative_to(root)} not found")
    return project


def _chapters(root: Path, config: Path, book: dict) -> list[Chapter]:
    """The chapters then the appendices, in order; each must be a .qmd that exists."""
    out: list[Chapter] = []
    for key, appendix in (("chapters", False), ("appendices", True)):
        for entry in book.get(key) or []:
            if not isinstance(entry, str):
                raise UnsupportedSyntaxError(config, None, f"book.{key}: only file names are supported (no parts)")
            path = (root / entry).resolve()
            if path.suffix != ".qmd":
                raise UnsupportedSyntaxError(config, None, f"book.{key}: {entry} is not a .qmd file")
            if not path.exists():
                raise RenderError(f"{config}: chapter {entry} not found")
            out.append(Chapter(path=path, rel=entry, order=len(out), appendix=appendix))
    if not out:
        raise RenderError(f"{config}: book.chapters is empty")
    if out[0].rel != "index.qmd":
        raise RenderError(f"{config}: the first chapter must be index.qmd (the site's home page)")
    return out


def _line_of(text: str, key: str) -> int | None:
    """First line of `text` holding `key:` (for messages about a value, not a key)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return None


def _as_list(value) -> list:
    """None -> [], scalar -> [scalar], list -> list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _authors(value) -> list[str]:
    """Author names from a string, a list of strings, or a list of {name: ...} mappings."""
    names = []
    for item in _as_list(value):
        names.append(str(item.get("name", "")) if isinstance(item, dict) else str(item))
    return names


def _date(value) -> str:
    """The book date as text; Quarto's keyword `today` becomes today's ISO date."""
    if value is None:
        return ""
    if str(value) == "today":
        return _dt.date.today().isoformat()
    return str(value)
