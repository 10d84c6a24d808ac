"""The "How to cite" texts of the book, generated from `CITATION.cff`.

Why generated: a briefing quotes the report, a figure or a single number, and each quote must
say which edition it came from. `CITATION.cff` (validated against the official CFF 1.2.0
schema by tests/test_citation.py) is the one place the title, authors, version and the
original article are written down; everything here is derived from it, so the appendix, the
BibTeX entry and the figure cards can never disagree with it.

The edition (date, commit, data vintage) is not in CITATION.cff because it changes with every
render. It arrives as a plain dict - the one `analysis.report.edition.edition_info()` returns -
either passed in, or read in chapter kernels from the JSON file named by `PARADOX_EDITION_FILE`
(or the JSON in `PARADOX_EDITION`) that the render command sets (`edition_from_env`), or, under
`quarto render`, computed from the project Quarto renders (`quarto_edition`). This module never imports `paradox`
or `renderer` (ARCHITECTURE.md: imports go one way).

Texts are Markdown (the book's source language): titles in `*italics*`, `$` escaped so pandoc
never reads a dollar amount as TeX math.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from analysis.data import data_dir, project_root
from analysis.report.edition import edition_info
from analysis.report.markdown import curly_quotes, md_escape

__all__ = [
    "CITATION_FILE",
    "load_citation",
    "edition_from_env",
    "report_apa",
    "report_bibtex",
    "article_apa",
    "article_bibtex",
    "figure_citation",
    "figure_citation_template",
    "figure_card_link",
    "number_citation",
    "how_to_cite_markdown",
    "changes_from_env",
    "quarto_edition",
    "EXAMPLE_CLAIM_ID",
    "EXAMPLE_FIGURE_ID",
]

CITATION_FILE = Path(__file__).resolve().parents[2] / "CITATION.cff"
EXAMPLE_CLAIM_ID = "peru-homicide-rate-latest"  # the ledger id of the example number
EXAMPLE_FIGURE_ID = "fig-coca-area"  # the example figure (chapter 1)
EDITION_ENV = "PARADOX_EDITION"
EDITION_FILE_ENV = "PARADOX_EDITION_FILE"
CHANGES_FILE_ENV = "PARADOX_CHANGES_FILE"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_BIB_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


# --- inputs ---------------------------------------------------------------------------------

def load_citation(path: str | Path | None = None) -> dict[str, Any]:
    """Read CITATION.cff (default: the rendered project's, `analysis.data.project_root()`) into a dict.

    YAML dates are turned into ISO strings, as the CFF schema expects; a missing title, author
    or version raises ValueError naming the field, because every text below needs them.
    """
    path = Path(path) if path is not None else project_root() / CITATION_FILE.name
    cff = _dates_to_str(yaml.safe_load(path.read_text(encoding="utf-8")))
    for key in ("title", "authors", "version"):
        if not cff.get(key):
            raise ValueError(f"{path.name}: '{key}' is missing; it is needed to cite the report")
    return cff


def edition_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The render's edition dict, or None when the chapter runs outside a render.

    Read from `PARADOX_EDITION_FILE` (path to a JSON file) or, failing that,
    `PARADOX_EDITION` (the JSON itself); under `quarto render`, which sets neither, computed
    (`quarto_edition`). Why an environment variable: chapters run in separate
    kernels and reach the render's settings only through their environment (as `PARADOX_DATA`
    reaches the data layer). Why prefer the file: the renderer's cache keys every chapter on
    the environment, so a commit or date *in* the environment would re-execute every chapter
    on every commit; a stable file path keeps the key, and the cache re-executes only the
    chapters that read the file (it records the files each chapter opens).
    """
    env = os.environ if env is None else env
    path = env.get(EDITION_FILE_ENV)
    if path:
        try:
            raw, where = Path(path).read_text(encoding="utf-8"), f"{EDITION_FILE_ENV} ({path})"
        except OSError as err:
            raise ValueError(f"{EDITION_FILE_ENV}: cannot read {path}: {err.strerror}") from None
    else:
        raw, where = env.get(EDITION_ENV), EDITION_ENV
    if not raw:
        return quarto_edition(env)
    try:
        edition = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ValueError(f"{where} is not valid JSON: {err}") from None
    if not isinstance(edition, dict):
        raise ValueError(f"{where} must be a JSON object, got {type(edition).__name__}")
    return edition


def quarto_edition(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The edition of the project `quarto render` is rendering, or None outside Quarto.

    Why: Quarto runs the chapters without `paradox render`, so no edition file is written;
    the chapter then computes the edition itself from `QUARTO_PROJECT_ROOT` (the rendered
    project's version, commit and data folder - not those of wherever `analysis` is
    installed). Dated today in UTC, as Quarto's own `date: today` on the title page.
    Outside Quarto (a notebook, the golden test) None: an edition needs a render.
    """
    if not env.get("QUARTO_PROJECT_ROOT"):
        return None
    return edition_info(project_root(env), data_dir(env))


def changes_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The "What changed in this edition" Markdown the render command wrote, or None.

    The file named by `PARADOX_CHANGES_FILE` holds `paradox.diff.format_diff` of the previous
    ledger against this edition's; it is blank (or absent) when no earlier ledger was given,
    and then this returns None so the chapter can say so. A stable path, for the cache reason
    given in `edition_from_env`.
    """
    path = (os.environ if env is None else env).get(CHANGES_FILE_ENV)
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return text if text.strip() else None


def _dates_to_str(node: Any) -> Any:
    """Recursively turn YAML date objects into 'YYYY-MM-DD' strings."""
    if isinstance(node, dict):
        return {k: _dates_to_str(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates_to_str(v) for v in node]
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()[:10]
    return node


# --- names ----------------------------------------------------------------------------------

def _apa_name(author: Mapping[str, Any]) -> str:
    """One author as APA writes it: 'Muggah, R.' for a person, the name for an entity."""
    if "name" in author:
        return str(author["name"])
    family = " ".join(str(author[k]) for k in ("name-particle", "family-names") if author.get(k))
    initials = " ".join(f"{part[0]}." for part in str(author.get("given-names", "")).split())
    name = f"{family}, {initials}" if initials else family
    return f"{name}, {author['name-suffix']}" if author.get("name-suffix") else name


def _sentence(text: str) -> str:
    """End with exactly one full stop: 'McDermott, J.' stays, 'contributors' gains one."""
    return text if text.endswith(".") else text + "."


def _apa_authors(authors: list[Mapping[str, Any]]) -> str:
    """APA author list: 'A', 'A, & B', 'A, B, & C' (APA 7 lists up to 20 names)."""
    names = [_apa_name(a) for a in authors]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _bib_name(author: Mapping[str, Any]) -> str:
    """One author for BibTeX: 'Family, Given' for a person, '{Name}' (kept whole) for an entity."""
    if "name" in author:
        return "{" + _bib_escape(str(author["name"])) + "}"
    family = " ".join(str(author[k]) for k in ("name-particle", "family-names") if author.get(k))
    given = author.get("given-names")
    return _bib_escape(f"{family}, {given}" if given else family)


# --- escaping -------------------------------------------------------------------------------

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}


def _esc(text: str, markdown: bool) -> str:
    """Text typeset (curly quotes), and escaped for Markdown; plain text (metadata files,
    tooltips) is typeset the same way, so a citation copied from a card reads as printed."""
    return md_escape(curly_quotes(text)) if markdown else curly_quotes(text)


def _ital(text: str, markdown: bool) -> str:
    """Italics in Markdown (titles in APA style); plain text has no italics."""
    return f"*{md_escape(curly_quotes(text))}*" if markdown else curly_quotes(text)


def _link(url: str, markdown: bool) -> str:
    """A URL: an autolink in Markdown, bare in plain text."""
    return f"<{url}>" if markdown else url


def _bib_escape(text: str) -> str:
    """Escape the characters that are special to BibTeX/LaTeX."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in text)


# --- the report -----------------------------------------------------------------------------

def _edition_date(cff: Mapping[str, Any], edition: Mapping[str, Any] | None) -> str | None:
    """ISO date of the edition being cited: the render's edition date, else CFF date-released."""
    if edition and edition.get("date"):
        return str(edition["date"])
    released = cff.get("date-released")
    return str(released) if released else None


def _version_note(cff: Mapping[str, Any], edition: Mapping[str, Any] | None) -> str:
    """'Version 0.1.0, edition of 2026-11-28, data to 2023, commit abc1234': what identifies
    an edition (the data vintage matters because the same version re-rendered with newer
    data prints other numbers)."""
    version = (edition or {}).get("version") or cff["version"]
    parts = [f"Version {version}"]
    if edition and edition.get("date"):
        parts.append(f"edition of {edition['date']}")
    if edition and edition.get("data_to"):
        parts.append(f"data to {edition['data_to']}")
    if edition and edition.get("commit"):
        parts.append(f"commit {edition['commit']}")
    return ", ".join(parts)


def report_apa(cff: Mapping[str, Any], edition: Mapping[str, Any] | None = None,
               markdown: bool = True) -> str:
    """The report in APA 7 style (software/report form), as Markdown or plain text.

    'peru-paradox contributors. (2026). *Title* (Version 0.1.0, edition of 2026-11-28,
    commit abc1234) [Reproducible research report]. URL' - the year is the edition's (the
    numbers depend on it), 'n.d.' when no edition or release date is known.
    """
    date = _edition_date(cff, edition)
    year = date[:4] if date else "n.d."
    text = (f"{_esc(_sentence(_apa_authors(cff['authors'])), markdown)} ({year}). "
            f"{_ital(str(cff['title']).strip(), markdown)} ({_version_note(cff, edition)}) "
            "[Reproducible research report].")
    url = cff.get("url") or cff.get("repository-code")
    return f"{text} {_link(url, markdown)}" if url else text


def _bib_key(cff: Mapping[str, Any], edition: Mapping[str, Any] | None) -> str:
    """A stable BibTeX key: '<first author word>_<version>' e.g. 'peru_paradox_0_1_0'."""
    first = cff["authors"][0]
    word = first.get("name") or first.get("family-names", "report")
    word = re.sub(r"[^a-z0-9]+", "_", str(word).lower()).strip("_")
    word = word.removesuffix("_contributors")
    version = (edition or {}).get("version") or cff["version"]
    return f"{word}_{re.sub(r'[^0-9a-z]+', '_', str(version).lower())}"


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str | None]]) -> str:
    """Assemble one BibTeX entry; fields whose value is None are left out."""
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value is not None)
    return f"@{kind}{{{key},\n{body}\n}}"


def report_bibtex(cff: Mapping[str, Any], edition: Mapping[str, Any] | None = None) -> str:
    """The report as a BibTeX `@misc` entry (biblatex readers also get `version`, `date`)."""
    date = _edition_date(cff, edition)
    url = cff.get("url") or cff.get("repository-code")
    version = (edition or {}).get("version") or cff["version"]
    fields = [
        ("author", "{" + " and ".join(_bib_name(a) for a in cff["authors"]) + "}"),
        ("title", "{{" + _bib_escape(str(cff["title"]).strip()) + "}}"),
        ("year", "{" + date[:4] + "}" if date else None),
        ("date", "{" + date + "}" if date else None),
        ("version", "{" + _bib_escape(str(version)) + "}"),
        ("note", "{" + _bib_escape(_version_note(cff, edition)) + "}"),
        ("howpublished", "{Reproducible research report}"),
        ("url", "{" + url + "}" if url else None),
    ]
    return _bib_entry("misc", _bib_key(cff, edition), fields)


# --- the article the report follows ---------------------------------------------------------

def _article(cff: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first `references` entry: the article the report follows (ValueError if absent)."""
    refs = cff.get("references") or []
    if not refs:
        raise ValueError("CITATION.cff has no 'references' entry for the original article")
    return refs[0]


def article_apa(cff: Mapping[str, Any], markdown: bool = True) -> str:
    """The original article in APA 7 magazine style, as Markdown or plain text.

    'Muggah, R., & McDermott, J. (2013, April). A Massive Drug Trade, and No Violence.
    *The Atlantic*. <url>'
    """
    ref = _article(cff)
    when = str(ref.get("year", "n.d."))
    if ref.get("month"):
        when += f", {_MONTHS[int(ref['month']) - 1]}"
    text = (f"{_esc(_sentence(_apa_authors(ref['authors'])), markdown)} ({when}). "
            f"{_esc(str(ref['title']).strip(), markdown)}.")
    if ref.get("journal"):
        text += f" {_ital(str(ref['journal']), markdown)}."
    return f"{text} {_link(ref['url'], markdown)}" if ref.get("url") else text


def article_bibtex(cff: Mapping[str, Any], key: str = "muggah_mcdermott_2013") -> str:
    """The original article as a BibTeX `@article` (key matches the book's source id)."""
    ref = _article(cff)
    month = _BIB_MONTHS[int(ref["month"]) - 1] if ref.get("month") else None
    fields = [
        ("author", "{" + " and ".join(_bib_name(a) for a in ref["authors"]) + "}"),
        ("title", "{{" + _bib_escape(str(ref["title"]).strip()) + "}}"),
        ("journal", "{" + _bib_escape(str(ref["journal"])) + "}" if ref.get("journal") else None),
        ("year", "{" + str(ref["year"]) + "}" if ref.get("year") else None),
        ("month", month),
        ("url", "{" + ref["url"] + "}" if ref.get("url") else None),
    ]
    return _bib_entry("article", key, fields)


# --- a figure, a number ---------------------------------------------------------------------

def figure_card_link(fig_id: str) -> str:
    """Where a figure's card (PNG, SVG, CSV, metadata) lives, relative to the book's root."""
    return f"figures/{fig_id}.zip"


def figure_citation(cff: Mapping[str, Any], fig_id: str, caption: str,
                    edition: Mapping[str, Any] | None = None, markdown: bool = True) -> str:
    """How to cite one figure: its caption, the report (APA) and the link to its card.

    `markdown=False` gives the plain text for a card's metadata.json 'citation' field.
    """
    return (f"Figure \u201c{_esc(caption.strip(), markdown)}\u201d ({fig_id}). In "
            f"{report_apa(cff, edition, markdown)} Figure card (image, data, metadata): "
            f"{figure_card_link(fig_id)}")


def figure_citation_template(cff: Mapping[str, Any],
                             edition: Mapping[str, Any] | None = None) -> str:
    """Plain-text `figure_citation` as a `str.format` template with `{fig_id}`, `{caption}`.

    Why: the renderer writes the cards but knows nothing of this report; the render command
    can hand it this template and the renderer fills in each figure's id and caption:
    `template.format(fig_id=..., caption=...) == figure_citation(..., markdown=False)`.
    """
    report = report_apa(cff, edition, markdown=False).replace("{", "{{").replace("}", "}}")
    return (f"Figure \u201c{{caption}}\u201d ({{fig_id}}). In {report} "
            "Figure card (image, data, metadata): figures/{fig_id}.zip")


def number_citation(cff: Mapping[str, Any], claim_id: str, text: str,
                    edition: Mapping[str, Any] | None = None, markdown: bool = True) -> str:
    """How to cite one number: the text as printed, the report (APA) and its ledger id.

    The ledger id finds the number's value, interval, unit, sources and sentence in
    `claims.json` / `claims.csv` of the same edition.
    """
    code = f"`{claim_id}`" if markdown else claim_id
    return (f"\u201c{_esc(text, markdown)}\u201d. {report_apa(cff, edition, markdown)} "
            f"Claims ledger entry {code} (claims.json, claims.csv).")


# --- the appendix ---------------------------------------------------------------------------

def how_to_cite_markdown(cff: Mapping[str, Any] | None = None,
                         edition: Mapping[str, Any] | None = None,
                         figure: tuple[str, str] | None = None,
                         claim: tuple[str, str] | None = None,
                         level: int = 2) -> str:
    """The whole "How to cite" section body as Markdown, headings at `level`.

    `figure` is an example (fig_id, caption) and `claim` an example (claim_id, text as
    printed); without them the pattern is shown with placeholders. The chapter prints this
    with `#| output: asis`.
    """
    cff = cff if cff is not None else load_citation()
    edition = edition if edition is not None else edition_from_env()
    h = "#" * level
    fig_id, caption = figure or ("fig-id", "caption of the figure")
    claim_id, text = claim or ("claim-id", "the number as printed")
    return "\n\n".join([
        f"{h} The report",
        report_apa(cff, edition),
        "As BibTeX:",
        "```bibtex\n" + report_bibtex(cff, edition) + "\n```",
        f"{h} The article it follows",
        article_apa(cff),
        "```bibtex\n" + article_bibtex(cff) + "\n```",
        f"{h} A figure",
        "Each figure has a card - its image (PNG and SVG), the exact data plotted (CSV) and "
        "its metadata - linked from its caption. For example:",
        figure_citation(cff, fig_id, caption, edition),
        f"{h} A number",
        "Each number in the text is an entry of the claims ledger (`claims.json`, "
        "`claims.csv`) with its value, interval, unit, sources and sentence. For example:",
        number_citation(cff, claim_id, text, edition),
    ]) + "\n"
