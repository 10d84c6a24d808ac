"""Helpers of the test book's chapters (a project module the cache must track)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

DATA = Path(os.environ.get("TEST_BOOK_DATA", Path(__file__).resolve().parent.parent / "data"))


class Quantity:
    """A number that knows where it came from: implements the renderer's claim protocol."""

    def __init__(self, value: float, unit: str, sources: list[str], low=None, high=None, claim_id=None):
        self.value, self.unit, self.sources = value, unit, sources
        self.low, self.high, self.claim_id = low, high, claim_id

    def __str__(self) -> str:
        return f"{self.value:,.1f} {self.unit}"

    def _repr_claim_(self) -> dict:
        return {"kind": "number", "text": str(self), "value": self.value, "low": self.low, "high": self.high,
                "unit": self.unit, "sources": self.sources, "id": self.claim_id, "year": None}


def measurements() -> pd.DataFrame:
    """The measurements table."""
    return pd.read_csv(DATA / "measurements.csv")


def sources() -> pd.DataFrame:
    """The sources table."""
    return pd.read_csv(DATA / "sources.csv")


def mean_height(site: str) -> Quantity:
    """Mean height at one site, as a claim."""
    rows = measurements().query("site == @site")
    return Quantity(rows.height_cm.mean(), "cm", ["field_notes"], low=rows.height_cm.min(), high=rows.height_cm.max())
