"""The one rule that turns a specification curve into a verdict word.

Each specification's result on a finding is one of three outcomes: it "supports" the
finding (the estimate has the predicted sign and its 95% interval excludes zero, or the
yes/no test holds), "contradicts" it (significant the other way), or is "inconclusive". The
verdict depends only on the shares of supporting (s) and contradicting (c) specifications:

| verdict              | when                          |
|----------------------|-------------------------------|
| robust               | s >= 90%                      |
| mostly               | 60% <= s < 90%                |
| contradicted         | c >= 90%                      |
| mostly contradicted  | 60% <= c < 90%                |
| fragile              | s > 10% (the curve splits)    |
| not shown            | otherwise (s <= 10%)          |

checked top to bottom. The rule is monotone: turning a specification into a supporting one,
or adding a supporting one, never weakens the verdict (`STRENGTH` orders the words; tested as
a property). The thresholds and the words live here only, so a new vintage of data changes
the verdict, and an editor changes the wording, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["OUTCOMES", "ROBUST", "MOSTLY", "SPLIT", "STRENGTH", "Verdict", "verdict",
           "verdict_from_flags"]

OUTCOMES = ("supports", "contradicts", "inconclusive")
ROBUST = 0.90  # share of specifications for "robust" / "contradicted"
MOSTLY = 0.60  # share for "mostly" / "mostly contradicted"
SPLIT = 0.10  # above this share of support, a curve that is not "mostly" has split
# Weakest to strongest support for the finding.
STRENGTH = ("contradicted", "mostly contradicted", "not shown", "fragile", "mostly", "robust")


@dataclass(frozen=True)
class Verdict:
    """A verdict word and the counts behind it.

    word: one of STRENGTH; supporting / contradicting / n: specification counts;
    share: percent of the n specifications that support the finding;
    share_contradicting: percent that contradict it.
    """

    word: str
    supporting: int
    contradicting: int
    n: int

    @property
    def share(self) -> float:
        """Percent of specifications supporting the finding."""
        return 100 * self.supporting / self.n

    @property
    def share_contradicting(self) -> float:
        """Percent of specifications contradicting the finding."""
        return 100 * self.contradicting / self.n

    @property
    def strength(self) -> int:
        """Position of the word in STRENGTH (0 = contradicted ... 5 = robust)."""
        return STRENGTH.index(self.word)

    def __str__(self) -> str:
        """e.g. "fragile (50% of 108 specifications)"."""
        return f"{self.word} ({self.share:.0f}% of {self.n} specifications)"


def _word(s: float, c: float) -> str:
    """The verdict for support share s and contradiction share c (fractions); see the table."""
    if s >= ROBUST:
        return "robust"
    if s >= MOSTLY:
        return "mostly"
    if c >= ROBUST:
        return "contradicted"
    if c >= MOSTLY:
        return "mostly contradicted"
    return "fragile" if s > SPLIT else "not shown"


def verdict(outcomes: Iterable[str]) -> Verdict:
    """The verdict on a finding from each specification's outcome (values of OUTCOMES).

    ValueError for an empty curve or an unknown outcome: a verdict needs specifications.
    """
    out = list(outcomes)
    unknown = sorted(set(out) - set(OUTCOMES))
    if unknown:
        raise ValueError(f"outcomes must be among {OUTCOMES}, got {unknown}")
    if not out:
        raise ValueError("a verdict needs at least one estimable specification")
    k, m, n = out.count("supports"), out.count("contradicts"), len(out)
    return Verdict(_word(k / n, m / n), k, m, n)


def verdict_from_flags(holds: Iterable[bool]) -> Verdict:
    """The verdict on a yes/no finding (e.g. "Peru is an outlier"): each specification
    either supports it or is inconclusive; a "no" is not evidence of the opposite."""
    return verdict("supports" if bool(h) else "inconclusive" for h in holds)
