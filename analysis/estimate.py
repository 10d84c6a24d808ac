"""The `Estimate` value and the one formatter every number in the book goes through.

Why one formatter: the article hedges ("well over $1 billion", "at least $5 billion, perhaps
closer to $7 billion", "as little as five percent", "almost three times"), and a report that
recomputes its numbers must keep that hedging rather than turn a bound into a point. An
`Estimate` holds a point and/or an interval (either end may be open), its unit, the ids of the
sources it was computed from, a method note, the year it refers to and an optional hedge
word. `str(estimate)` is the text a reader sees; `estimate._repr_claim_()` is the dict the
renderer records in the claims ledger (ARCHITECTURE.md, "Claim protocol").

Rules the formatter follows (tested in tests/test_estimate.py):
- a range is never dropped: low and high without a point print as "$5–7 billion"; a point with
  an interval prints the interval beside it ("2.1% a year (95% CI 0.4–3.9%)");
- typography of a published report: an en dash (U+2013) between the ends of a range, never a
  hyphen; a true minus sign (U+2212) placed before the currency symbol ("−$1.7 billion"); a
  range that crosses zero reads "−1.2 to 0.3"; an end that is exactly zero prints "0", not
  "0.0" ("$0–3.5 billion"); `year_span` prints a span of calendar years ("2000–2012");
- a bound equal to the point, with the other end open, is a one-sided claim:
  point == low -> "at least ...", point == high -> "at most ..." (or the hedge given);
  a point at one end of a closed range prints as the range ("at least $5 billion, perhaps
  closer to $7 billion": value = low = 5e9, high = 7e9 -> "$5–7 billion");
- thousands separators everywhere except calendar years ("2013"); money is scaled to
  million / billion;
- a year is shown for rates ("33.3 per 100,000 (2012)") and wherever `show_year=True`.

`choose()` makes the data-chosen sentence: its str is the chosen sentence, its claim dict is
`{"kind": "branch", ...}` so the ledger records which branch the data picked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Iterable

__all__ = ["Estimate", "Branch", "choose", "format_number", "year_span", "UNITS"]


@dataclass(frozen=True)
class Unit:
    """How one unit prints: prefix/suffix, decimals policy, money scaling, year display."""

    prefix: str = ""
    suffix: str = ""
    singular: str | None = None  # suffix used when the number prints as exactly "1"
    decimals: int | None = None  # None = automatic (see `_auto_decimals`)
    scale_money: bool = False  # 1.2e9 -> "1.2 billion"
    show_year: bool = False
    words: bool = False  # small whole numbers as words ("three times")
    ordinal: bool = False  # 1 -> "1st"
    grouped: bool = True  # thousands separators; False for labels such as calendar years


UNITS: dict[str, Unit] = {
    "USD": Unit(prefix="$", scale_money=True),
    "tonnes": Unit(suffix=" tonnes", singular=" tonne"),
    "kg": Unit(suffix=" kg", decimals=0),
    "hectares": Unit(suffix=" hectares", singular=" hectare", decimals=0),
    "percent": Unit(suffix="%"),
    "percent_per_year": Unit(suffix="% a year"),
    "percentage_points": Unit(suffix=" percentage points", singular=" percentage point"),
    "per_100k": Unit(suffix=" per 100,000", decimals=1, show_year=True),
    "kg_per_100k": Unit(suffix=" kg per 100,000 people", show_year=True),
    "hectares_per_100k": Unit(suffix=" hectares per 100,000 people", show_year=True),
    "homicides": Unit(suffix=" homicides", singular=" homicide", decimals=0),
    "people": Unit(suffix=" people", singular=" person", decimals=0),
    "count": Unit(decimals=0),
    "times": Unit(suffix=" times", words=True),
    "rank": Unit(ordinal=True, decimals=0),
    "year": Unit(decimals=0, grouped=False),
    "score": Unit(),
    "": Unit(),
}

# Spellings other tables may use for the same unit.
_ALIASES = {
    "usd": "USD", "us$": "USD", "dollars": "USD", "usd_per_year": "USD",
    "t": "tonnes", "tons": "tonnes", "tonne": "tonnes", "metric_tons": "tonnes",
    "ha": "hectares", "%": "percent", "pct": "percent", "share_pct": "percent",
    "rate_per_100k": "per_100k", "per_100000": "per_100k", "homicides_per_100k": "per_100k",
    "ratio": "times", "multiplier": "times", "multiple": "times", "x": "times",
    "persons": "people", "number": "count", "convictions": "people",
}

_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
          9: "nine", 10: "ten"}


def canonical_unit(unit: str) -> str:
    """The registry key for `unit` (accepting the aliases above); unknown units pass through."""
    if unit in UNITS:
        return unit
    return _ALIASES.get(unit.lower(), unit) if unit else ""


def _clean(x: Any) -> float | None:
    """A plain float, or None for missing / NaN / infinite (an open end)."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _auto_decimals(values: Iterable[float]) -> int:
    """Decimals for automatic units: whole numbers print whole, else one decimal (two below 1)."""
    vals = [abs(v) for v in values]
    if all(abs(v - round(v)) < 1e-9 for v in vals):
        return 0
    return 2 if max(vals) < 1 else 1


MINUS = "\u2212"
EN_DASH = "\u2013"  # between the ends of a range: "5–7", as typesetters print it


def _group(x: float, decimals: int) -> str:
    """`x` with thousands separators and `decimals` places; negatives with a true minus sign
    (the PDF typesets "-0.06" as "\u22120.06", and the ledger must show what the page shows)."""
    text = f"{x:,.{decimals}f}"
    if text.startswith("-"):  # a true minus sign (U+2212), as typesetters print it; never "-0"
        return text[1:] if float(text[1:].replace(",", "")) == 0 else MINUS + text[1:]
    return text


def _money_scale(values: list[float]) -> tuple[float, str]:
    """Divisor and word for money: billions from 1e9, millions from 1e6, else plain dollars."""
    top = max(abs(v) for v in values)
    if top >= 1e9:
        return 1e9, " billion"
    if top >= 1e6:
        return 1e6, " million"
    return 1.0, ""


def _ordinal(n: int) -> str:
    """1 -> 1st, 2 -> 2nd, 11 -> 11th, 23 -> 23rd."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _unit_spec(unit: str) -> Unit:
    """The `Unit` for `unit`; an unknown unit prints its own name after the number."""
    return UNITS.get(canonical_unit(unit), Unit(suffix=f" {unit}"))


def decimals_for(values: list[float], unit: str, digits: int | None = None) -> int:
    """The decimals `format_number` uses for `values` in `unit` (shared by point and interval)."""
    spec = _unit_spec(unit)
    if digits is not None:
        return digits
    if spec.decimals is not None:
        return spec.decimals
    scale = _money_scale(values)[0] if spec.scale_money else 1.0
    return _auto_decimals([v / scale for v in values])


def format_number(values: list[float], unit: str, digits: int | None = None,
                  bare: bool = False, scale_from: list[float] | None = None) -> str:
    """Format one value ("$1 billion") or a low-high pair ("$5–7 billion") in `unit`.

    Both ends of a pair share one scale and one number of decimals so that a range reads as
    one quantity. `digits` overrides the unit's decimals. `bare` drops a worded suffix (an
    interval printed beside its point: "33.3 per 100,000 (90% interval 30.1–36.0)") but keeps
    "%" and the money prefix and scale. `scale_from` picks the money scale from other values
    (so a point and its interval share "billion").
    """
    spec = _unit_spec(unit)
    scale, scale_word = _money_scale(scale_from or values) if spec.scale_money else (1.0, "")
    scaled = [v / scale for v in values]
    decimals = digits if digits is not None else decimals_for(scale_from or values, unit)
    if spec.ordinal:
        parts = [_ordinal(int(round(v))) for v in scaled]
    elif spec.words and all(abs(v - round(v)) < 1e-9 and round(v) in _WORDS for v in scaled):
        parts = [_WORDS[int(round(v))] for v in scaled]
    elif not spec.grouped:
        parts = [f"{v:.{decimals}f}".replace("-", MINUS) for v in scaled]
    else:
        parts = [_group(v, decimals) for v in scaled]
    if len(parts) == 2:  # a range: an end that is exactly zero is "0", not "0.0"
        parts = ["0" if v == 0 else part for v, part in zip(scaled, parts)]
    suffix = spec.suffix
    if spec.singular and len(parts) == 1 and parts[0] == "1":
        suffix = spec.singular
    if bare and not suffix.startswith("%"):
        suffix = ""
    elif bare:
        suffix = "%"
    if any(v < 0 for v in scaled):  # "−1.2 to 0.3": a dash beside a minus sign misreads
        number = " to ".join(_signed(part, spec.prefix) for part in parts)
    else:
        number = spec.prefix + EN_DASH.join(parts)
    return f"{number}{scale_word}{suffix}"


def _signed(part: str, prefix: str) -> str:
    """One number with its currency prefix, the minus sign in front: "−$1.7", "$2"."""
    if part.startswith(MINUS):
        return MINUS + prefix + part[len(MINUS):]
    return prefix + part


def year_span(first: int, last: int) -> str:
    """A span of calendar years as a reader expects it: "2000–2012", or "2012" for one year.

    Why here: year spans in sentences and tables ("surveys 2000–2012") are ranges too, and
    every range in the book takes the en dash of the one formatter, never a hyphen.
    """
    first, last = int(first), int(last)
    if first > last:
        raise ValueError(f"year_span: first year {first} after last year {last}")
    return str(first) if first == last else f"{first}{EN_DASH}{last}"


@dataclass(frozen=True)
class Estimate:
    """A number the book states: point and/or interval, unit, sources, method note, year, hedge.

    `low`/`high` may be None (open). NaN and infinities count as open. `interval` names what
    the interval is ("range", "95% CI", "90% simulation interval") so the reader is told.
    `show_year` overrides the unit's default for appending "(year)". `digits` overrides the
    unit's decimals. `id` is the optional ledger id (ARCHITECTURE.md claim protocol).
    """

    point: float | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    sources: tuple[str, ...] = ()
    method: str = ""
    year: int | None = None
    hedge: str | None = None
    interval: str = "range"
    show_year: bool | None = None
    digits: int | None = None
    id: str | None = None

    def __post_init__(self) -> None:
        """Normalise: NaN/inf -> open end, sources -> tuple without repeats, year -> int."""
        for name in ("point", "low", "high"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        if isinstance(self.sources, str):
            object.__setattr__(self, "sources", (self.sources,))
        else:
            object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))
        if self.year is not None:
            object.__setattr__(self, "year", int(self.year))
        if self.point is None and self.low is None and self.high is None:
            raise ValueError("Estimate needs a point or at least one bound")
        self._check_order()

    def _check_order(self) -> None:
        """Refuse an interval that does not contain its point: that is a bug upstream."""
        lo, hi, p = self.low, self.high, self.point
        tol = 1e-9 * max(1.0, *(abs(v) for v in (lo, hi, p) if v is not None))
        if lo is not None and hi is not None and lo > hi + tol:
            raise ValueError(f"Estimate low {lo} > high {hi}")
        if p is not None and lo is not None and p < lo - tol:
            raise ValueError(f"Estimate point {p} < low {lo}")
        if p is not None and hi is not None and p > hi + tol:
            raise ValueError(f"Estimate point {p} > high {hi}")

    # -- reading ---------------------------------------------------------------------------
    def contains(self, x: float) -> bool:
        """True if `x` lies in [low, high], treating an open end as unbounded."""
        return (self.low is None or x >= self.low) and (self.high is None or x <= self.high)

    @property
    def central(self) -> float:
        """The point if there is one, else the midpoint of a closed range, else the bound."""
        if self.point is not None:
            return self.point
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high

    def with_(self, **changes: Any) -> "Estimate":
        """A copy with some fields changed (e.g. `id=` or `digits=` for one place it is printed)."""
        return replace(self, **changes)

    # -- formatting --------------------------------------------------------------------------
    def _year_shown(self) -> bool:
        """Whether "(year)" is appended: `show_year` if set, else the unit's default."""
        if self.year is None:
            return False
        if self.show_year is not None:
            return self.show_year
        return UNITS.get(canonical_unit(self.unit), Unit()).show_year

    def _core(self) -> tuple[str, str | None]:
        """The main text and, for a point with an interval, the interval text."""
        p, lo, hi = self.point, self.low, self.high
        shown = [v for v in (p, lo, hi) if v is not None]
        digits = decimals_for(shown, self.unit, self.digits)

        def fmt(vals: list[float], bare: bool = False) -> str:
            """Format with the decimals and money scale shared by point and interval."""
            return format_number(vals, self.unit, digits, bare=bare, scale_from=shown)

        closed = lo is not None and hi is not None
        if p is None or (p == lo and hi is None) or (p == hi and lo is None) or (
                closed and p in (lo, hi)):
            if closed:
                text = fmt([lo] if lo == hi else [lo, hi])
                return (f"{self.hedge} {text}" if self.hedge else text), None
            if lo is not None:
                return f"{self.hedge or 'at least'} {fmt([lo])}", None
            return f"{self.hedge or 'at most'} {fmt([hi])}", None
        text = f"{self.hedge} {fmt([p])}" if self.hedge else fmt([p])
        if lo is None and hi is None:  # (a point equal to either end was handled above)
            return text, None
        if lo is not None and hi is not None:
            return text, f"{self.interval} {fmt([lo, hi], bare=True)}"
        if lo is not None:
            return text, f"at least {fmt([lo], bare=True)}"
        return text, f"at most {fmt([hi], bare=True)}"

    def __str__(self) -> str:
        """The text a reader sees: hedge + number(s) + unit, then (year; interval)."""
        core, interval = self._core()
        notes = [str(self.year)] if self._year_shown() else []
        if interval:
            notes.append(interval)
        return f"{core} ({'; '.join(notes)})" if notes else core

    def _repr_claim_(self) -> dict:
        """The renderer's claim dict (ARCHITECTURE.md): kind number, text, value, low, high..."""
        return {
            "kind": "number",
            "text": str(self),
            "value": self.point,
            "low": self.low,
            "high": self.high,
            "unit": canonical_unit(self.unit),
            "sources": list(self.sources),
            "id": self.id,
            "year": self.year,
        }


@dataclass(frozen=True)
class Branch:
    """A sentence chosen by the data; `branch` labels which one was chosen, for the ledger."""

    text: str
    branch: str
    sources: tuple[str, ...] = ()
    id: str | None = None
    method: str = ""

    def __str__(self) -> str:
        """The chosen sentence."""
        return self.text

    def _repr_claim_(self) -> dict:
        """The renderer's branch claim dict (ARCHITECTURE.md claim protocol)."""
        return {"kind": "branch", "text": self.text, "branch": self.branch,
                "sources": list(self.sources), "id": self.id}


def choose(condition: Any, if_true: str, if_false: str,
           labels: tuple[str, str] = ("true", "false"), sources: Iterable[str] = (),
           id: str | None = None, method: str = "") -> Branch:
    """Pick `if_true` or `if_false` by `condition` and label the pick for the claims ledger.

    Why: sentences whose truth depends on the data ("Peru remains the largest grower" /
    "Colombia has since overtaken Peru") must follow a new data vintage, and the ledger must
    show which branch was rendered. `condition` must be a real truth value (a bool or numpy
    bool); anything else (None, a Series) is refused rather than silently coerced.
    """
    if type(condition).__name__ not in ("bool", "bool_"):
        raise TypeError(f"choose() needs a bool condition, got {type(condition).__name__}")
    pick = bool(condition)
    return Branch(text=if_true if pick else if_false, branch=labels[0] if pick else labels[1],
                  sources=tuple(dict.fromkeys(sources)), id=id, method=method)
