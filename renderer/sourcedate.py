"""SOURCE_DATE_EPOCH: the one time a reproducible build may write into its outputs.

Why: two renders of the same inputs must give the same bytes (reproducible-builds.org), yet
a PDF carries creation and modification dates. With SOURCE_DATE_EPOCH set, those dates are
that time instead of the clock's. The value is checked the way the specification asks for
it: ASCII digits only, seconds since 1970-01-01 00:00:00 UTC - no sign, no fraction, no
underscores or other digits that Python's int() would accept - and at most the last second
of the year 9999, beyond which a PDF date cannot be written.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

from renderer.errors import RenderError

__all__ = ["SourceDateError", "source_date_epoch", "MAX_EPOCH"]

MAX_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC
_DIGITS = re.compile(r"[0-9]+")


class SourceDateError(RenderError, ValueError):
    """SOURCE_DATE_EPOCH is set but is not a valid time; the message says what it must be."""


def source_date_epoch(env: Mapping[str, str] | None = None) -> int | None:
    """The validated SOURCE_DATE_EPOCH of `env` (default os.environ); None if unset or blank."""
    env = os.environ if env is None else env
    text = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not _DIGITS.fullmatch(text) or int(text) > MAX_EPOCH:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise SourceDateError("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                              f"1970-01-01 UTC, from 0 to {MAX_EPOCH}, got {shown!r}")
    return int(text)
