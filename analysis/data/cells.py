"""What a single cell may hold, beyond what frictionless checks, and how a cell is quoted in a message.

frictionless accepts what Python's int() and float() accept: `1_000`, Arabic-Indic or
full-width digits, surrounding spaces; the loader (pandas) refuses them, so the render failed
after `paradox check` had passed. Text cells may hold any character, but NUL, ESC, form feed
and the other control characters crash the chart renderer (vl-convert aborts the process) and
Unicode non-characters are not text at all (issue 15). These rules close both gaps.
"""

from __future__ import annotations

import re

# Control characters other than tab, line feed and carriage return (C0, DEL, C1).
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Unicode non-characters: U+FDD0..U+FDEF and the last two code points of each of the 17 planes.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
FORBIDDEN = re.compile(f"[{CONTROL}{NONCHARACTERS}]")

# Numbers as the loader reads them: ASCII digits, an optional sign, point and exponent.
INTEGER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
NUMBER_HINT = "write numbers with the digits 0-9 only, without spaces or separators"


def forbidden_character(text: str) -> str | None:
    """Why `text` may not be a text cell ('U+001B, a control character, at character 3'), or None."""
    found = FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    kind = "a Unicode non-character" if re.fullmatch(f"[{NONCHARACTERS}]", char) else "a control character"
    return f"U+{ord(char):04X}, {kind}, at character {found.start() + 1}"


def is_plain_number(cell: str, kind: str) -> bool:
    """True if `cell` is written as the loader reads an integer or number (ASCII digits only)."""
    return (INTEGER if kind == "integer" else NUMBER).fullmatch(cell) is not None


def shown(cell) -> str:
    """A cell as quoted in a message: one line, no character a terminal would act on, at most
    60 characters (line breaks as \\n, \\r; other control characters and non-characters as
    \\xNN or \\uNNNN escapes)."""
    text = str(cell).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    text = FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text if len(text) <= 60 else text[:57] + "..."
