"""The named values of a chapter, and the small pickers every chapter uses to make them.

A chapter cell is "a call and a format" (STYLE.md): a chapter calls its module's `bundle()`
and reads named values from it (`r.peru_rate_latest`). Every value is an `Estimate` (a
number, formatted by the one formatter), a `Branch` (a sentence chosen by the data) or a
`markdown.Table`. The helpers here pick and label; none computes a statistic (those are in
the argument modules at `analysis/` top level).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable

import pandas as pd

from analysis.estimate import Branch, Estimate, year_span
from analysis.report.display import register_chart_display
from analysis.report.markdown import curly_quotes, register_markdown_formatters

__all__ = ["Bundle", "ARTICLE_SOURCE", "PERU", "COLOMBIA", "BOLIVIA", "branch", "as_year",
           "as_count", "join", "FOCUS", "country_names", "year_list", "year_ranges", "country_name", "article_year",
           "latest_at_or_before", "missing", "or_missing", "year_named", "data_package"]

ARTICLE_SOURCE = "muggah_mcdermott_2013"
PERU, COLOMBIA, BOLIVIA = "PER", "COL", "BOL"
FOCUS = (PERU, COLOMBIA, BOLIVIA)  # the three growers, in the order every chart draws them


class Bundle(SimpleNamespace):
    """The named values of one chapter (attribute access: `r.peru_rate_latest`).

    A data-chosen sentence (a `Branch`) is stored as the book prints it, its quotes and
    apostrophes curled (`markdown.curly_quotes`): the one typographic rule for every sentence a
    chapter module builds, applied where every inline value passes, so the page, the claims
    ledger and a `quarto render` all carry the same text.
    """

    def __init__(self, **values):
        super().__init__()
        for name, value in values.items():
            setattr(self, name, value)

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, Branch):
            value = replace(value, text=curly_quotes(value.text))
        super().__setattr__(name, value)

    def names(self) -> list[str]:
        """The value names, sorted (for tests and for a reader exploring in a notebook)."""
        return sorted(vars(self))


def branch(options: Iterable[tuple[bool, str, str]], sources: Iterable[str] = (),
           method: str = "") -> Branch:
    """The first option whose condition holds: (condition, sentence, label) triples.

    A multi-way `choose`: the ledger records the label of the sentence the data picked.
    The last option should have condition True (the fallback).
    """
    for condition, text, label in options:
        if bool(condition):
            return Branch(text=text, branch=label, sources=tuple(dict.fromkeys(sources)),
                          method=method)
    raise ValueError("no option matched; give a final fallback with condition True")


def as_year(year: int, sources: Iterable[str] = (), method: str = "") -> Estimate:
    """A year as a named value (printed without separators: 2013)."""
    return Estimate(int(year), unit="year", sources=tuple(sources), method=method)


def as_count(n: int, sources: Iterable[str] = (), method: str = "") -> Estimate:
    """A count of things (years, countries, claims) as a named value."""
    return Estimate(int(n), unit="count", sources=tuple(sources), method=method)


def join(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def year_list(years: list[int], sources: Iterable[str], label: str) -> Branch:
    """A list of years the data picked ("2012 and 2013"), recorded in the ledger as a branch."""
    text = join([str(y) for y in years]) if years else "no year at all"
    return Branch(text=text, branch=f"{label}:{','.join(str(y) for y in years) or 'none'}",
                  sources=tuple(dict.fromkeys(sources)))


def year_ranges(years: list[int]) -> str:
    """[2011, 2012, 2013, 2015] -> '2011–2013 and 2015' (spans with an en dash, `year_span`)."""
    spans, start, prev = [], None, None
    for y in sorted(years):
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            spans.append((start, prev))
            start = prev = y
    if start is not None:
        spans.append((start, prev))
    return join([year_span(a, b) for a, b in spans])


def country_name(countries: pd.DataFrame, iso3: str) -> str:
    """The display name of a country; World Bank style suffixes such as ', RB' dropped."""
    name = str(countries.set_index("iso3").loc[iso3, "name"])
    return name.split(",")[0]


def article_year(sources: pd.DataFrame) -> Estimate:
    """The year the article was published, from its row in sources.csv."""
    year = int(sources.set_index("source_id").loc[ARTICLE_SOURCE, "year"])
    return as_year(year, (ARTICLE_SOURCE,), "Publication year of the article (sources.csv).")


def latest_at_or_before(years: Iterable[int], year: int) -> int | None:
    """The latest of `years` that is <= `year` (None if there is none)."""
    before = [int(y) for y in years if int(y) <= year]
    return max(before) if before else None


def missing(what: str, label: str, sources: Iterable[str] = ()) -> Branch:
    """The sentence fragment shown when a data vintage lacks a value ('no figure for ...')."""
    return Branch(text=f"no figure ({what} is not in this data vintage)", branch=f"missing:{label}",
                  sources=tuple(sources))


def year_named(value: Estimate | Branch, named: int | Estimate | None = None) -> Estimate | Branch:
    """A value for a sentence that already names its year ("In 2021 ... 8.6 per 100,000"): the
    Estimate's own "(2021)" left out (`show_year=False`; the ledger keeps the year).

    `named` is the year the sentence names (a number or the year Estimate it prints): the tag
    is left out only if it is the value's own year, so on data where the two differ (a new
    vintage, a series that ends earlier) the value keeps its tag. Without `named`, the caller
    vouches that the sentence names the value's year. A 'no figure' fragment passes through."""
    if not isinstance(value, Estimate):
        return value
    if named is None:
        return value.with_(show_year=False)
    year = named.point if isinstance(named, Estimate) else named
    same = value.year is not None and year is not None and int(value.year) == int(year)
    return value.with_(show_year=False if same else None)


def or_missing(make: Callable[[], Estimate], what: str, label: str) -> Estimate | Branch:
    """`make()`, or a 'no figure' fragment if the data lack the row it needs."""
    try:
        return make()
    except (KeyError, IndexError, ValueError):
        return missing(what, label)


def country_names(countries: pd.DataFrame) -> dict[str, str]:
    """Display name of every country in the table, by ISO3 (for chart labels)."""
    return {iso3: country_name(countries, iso3) for iso3 in countries["iso3"]}


def data_package(folder: Path) -> dict:
    """The datapackage.json of a data folder (its tables, rows and checksums)."""
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


# Every chapter module builds its Bundle from here, so every chapter's kernel shows inline
# values as their text under Quarto too (markdown.register_markdown_formatters says why), and
# under Quarto its charts as an offline HTML chart or a vector SVG (display.py says why).
register_markdown_formatters()
register_chart_display()
