"""Problems found in a data folder, and the one exception type that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed as one line: `homicide.csv: row 14: rate_per_100k: <message>`.

    `row` is the file line number (header = line 1), what an editor shows; None when the
    problem concerns the whole file. `field` is None when it concerns a whole row or file.
    """

    file: str
    row: int | None = None
    field: str | None = None
    message: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts).replace("\r", "\\r").replace("\n", "\\n")  # always one line


class DataValidationError(Exception):
    """Bad data: carries every problem found; `str()` is one line per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
