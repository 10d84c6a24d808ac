"""A corpus of corrupted data folders: each one a copy of data/ with exactly one planted fault.

`CORRUPTIONS` lists them. Each has a name, a function that plants the fault in a copy of the
folder, and the line a user must read on stderr (a regular expression matched against each
line, in the `file: row N: field: message` format of issue 2 part 6). Rows are file line
numbers (header = line 1), what an editor shows.

Faults are planted with the csv module on the real tables, so the corpus follows the data
as the data change: the row to corrupt is found by content (Peru's first row, say), never
by a hard-coded line number, and the expected message is built from where the fault landed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Planted:
    """Where a fault was planted: the file, its line number and field (for the message)."""

    file: str
    row: int | None = None
    field: str | None = None


@dataclass(frozen=True)
class Corruption:
    name: str
    plant: Callable[[Path], Planted]
    expect: Callable[[Planted], str]  # regex for one stderr line, given where the fault landed
    # True: the fault is meant to reach the book's execution (recorded with `paradox describe`).
    at_execution: bool = False
    # True: the values are plausible, so `paradox check` must pass and the render must catch it.
    passes_validation: bool = False


# --- reading and writing tables as a user's editor would ------------------------------------


def read_table(folder: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with (folder / name).open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")


def set_cell(folder: Path, name: str, field: str, value: str, where: Callable[[dict], bool] | None = None) -> Planted:
    """Set `field` of the first row matching `where` (default: the first row) to `value`."""
    header, rows = read_table(folder, name)
    col = header.index(field)
    for i, row in enumerate(rows):
        if where is None or where(dict(zip(header, row))):
            row[col] = value
            write_table(folder, name, header, rows)
            return Planted(name, row=i + 2, field=field)
    raise LookupError(f"{name}: no row matches the corruption's selector")


def peru(row: dict) -> bool:
    return row.get("iso3") == "PER"


# --- the faults -------------------------------------------------------------------------------


def missing_column(folder: Path) -> Planted:
    header, rows = read_table(folder, "homicide.csv")
    col = header.index("rate_per_100k")
    write_table(folder, "homicide.csv", header[:col] + header[col + 1 :], [r[:col] + r[col + 1 :] for r in rows])
    return Planted("homicide.csv", field="rate_per_100k")


def extra_column(folder: Path) -> Planted:
    header, rows = read_table(folder, "population.csv")
    write_table(folder, "population.csv", header + ["comment"], [r + ["typed by hand"] for r in rows])
    return Planted("population.csv", field="comment")


def wrong_type(folder: Path) -> Planted:
    return set_cell(folder, "population.csv", "population", "about 30 million", peru)


def negative_count(folder: Path) -> Planted:
    return set_cell(folder, "cocaine_seizures.csv", "kilograms", "-5", peru)


def percentage_over_100(folder: Path) -> Planted:
    return set_cell(folder, "cocaine_use.csv", "prevalence_pct", "150")


def duplicate_key(folder: Path) -> Planted:
    header, rows = read_table(folder, "population.csv")
    first = next(i for i, r in enumerate(rows) if peru(dict(zip(header, r))))
    rows.insert(first + 1, list(rows[first]))
    write_table(folder, "population.csv", header, rows)
    return Planted("population.csv", row=first + 3)  # the copy sits on the next line


def unknown_iso3(folder: Path) -> Planted:
    # Well-formed (three capitals) but no such country in countries.csv.
    return set_cell(folder, "homicide.csv", "iso3", "XYZ", peru)


def empty_file(folder: Path) -> Planted:
    (folder / "coca_cultivation.csv").write_bytes(b"")
    return Planted("coca_cultivation.csv")


def wrong_delimiter(folder: Path) -> Planted:
    path = folder / "population.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    return Planted("population.csv")


def non_utf8(folder: Path) -> Planted:
    # A Latin-1 "é" (one byte 0xE9), as a spreadsheet saving in Windows-1252 writes it.
    header, rows = read_table(folder, "countries.csv")
    col = header.index("name")
    line = next(i for i, r in enumerate(rows) if r[0] == "PER")
    rows[line][col] = "PERU_PLACEHOLDER"
    write_table(folder, "countries.csv", header, rows)
    path = folder / "countries.csv"
    path.write_bytes(path.read_bytes().replace(b"PERU_PLACEHOLDER", b"Per\xe9"))
    return Planted("countries.csv", row=line + 2)


def checksum_mismatch(folder: Path) -> Planted:
    # A plausible edit (one more person in Peru) made without `paradox describe`.
    header, rows = read_table(folder, "population.csv")
    col = header.index("population")
    i = next(i for i, r in enumerate(rows) if peru(dict(zip(header, r))))
    rows[i][col] = str(int(float(rows[i][col])) + 1)
    write_table(folder, "population.csv", header, rows)
    return Planted("population.csv")


def missing_file(folder: Path) -> Planted:
    (folder / "cocaine_use.csv").unlink()
    return Planted("cocaine_use.csv")


def unknown_source(folder: Path) -> Planted:
    return set_cell(folder, "homicide.csv", "source_id", "no_such_source", peru)


def future_year(folder: Path) -> Planted:
    return set_cell(folder, "population.csv", "year", "2999", peru)


# --- issue 15: what validation let through and the render then crashed on -------------------


def control_character(folder: Path) -> Planted:
    # A NUL in a country name: vl-convert aborted the whole render (Rust panic, exit 134).
    return set_cell(folder, "countries.csv", "name", "Pe\x00ru", peru)


def underscore_digits(folder: Path) -> Planted:
    # Python's int() reads 32_000_000; the loader did not (a traceback from the edition stamp).
    return set_cell(folder, "population.csv", "population", "32_000_000", peru)


def header_only(folder: Path) -> Planted:
    # A table with no rows: chapter 6 failed with "argmax of an empty sequence".
    header, _ = read_table(folder, "coca_eradication.csv")
    write_table(folder, "coca_eradication.csv", header, [])
    return Planted("coca_eradication.csv")


def schema_without_minimum(folder: Path) -> Planted:
    # The folder's own schema loosened, then a negative area: the book printed it.
    import json

    path = folder / "schemas" / "coca_cultivation.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "hectares")["constraints"].pop("minimum")
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return set_cell(folder, "coca_cultivation.csv", "hectares", "-92800", lambda r: peru(r) and r["headline"] == "true")



# --- faults that pass validation and must stop the render while the book executes ----------


def latin_america_peers(folder: Path) -> set[str]:
    """ISO3 of the countries the homicide model is fitted on: the Americas outside North
    America (analysis.explanations.latin_america), Peru excluded (it is predicted, not fitted)."""
    header, rows = read_table(folder, "countries.csv")
    out = set()
    for r in rows:
        c = dict(zip(header, r))
        if c["region"] == "Americas" and c["is_aggregate"] != "true" and c["iso3"] not in {"USA", "CAN", "BMU", "GRL", "SPM", "PER"}:
            out.add(c["iso3"])
    return out


def _set_peer_rates(folder: Path, value: Callable[[dict], str]) -> Planted:
    header, rows = read_table(folder, "homicide.csv")
    peers = latin_america_peers(folder)
    col = header.index("rate_per_100k")
    changed = 0
    for r in rows:
        c = dict(zip(header, r))
        if c["source_type"] == "wdi_series" and c["iso3"] in peers:
            r[col] = value(c)
            changed += 1
    assert changed > 100, f"only {changed} peer rows: the data no longer look like the model's panel"
    write_table(folder, "homicide.csv", header, rows)
    return Planted("homicide.csv", field="rate_per_100k")


def model_does_not_converge(folder: Path) -> Planted:
    """Every peer's World Bank homicide rate 10^15 per 100,000. Before the schema capped
    rate_per_100k at 1,000 this passed validation and the Poisson fit's IRLS stopped at its
    iteration limit without converging (statsmodels: fit.converged False), which fit_model
    now turns into a ModelError. Today validation refuses the value first (a rate above
    100,000 per 100,000 - more victims than people - is impossible); either answer is
    accepted (see MODEL_OR_RATE_REFUSED). What is not acceptable is what happened before
    both: the book printed the failed model's prediction and exited 0. The model path on
    valid data is covered by model_cannot_be_fitted and by tests/test_explanations.py."""
    return _set_peer_rates(folder, lambda c: "1000000000000000")


def model_cannot_be_fitted(folder: Path) -> Planted:
    """Every peer's World Bank homicide rate 0: valid cells, but the Poisson fit has nothing
    to fit (statsmodels raises "The first guess on the deviance function returned a nan")."""
    return _set_peer_rates(folder, lambda c: "0")


# A line naming the chapter and saying the model failed, in words a user can act on.
MODEL_FAILED = (r"(?i).*\b[\w/-]+\.qmd\b.*(did not converge|does not converge|failed to converge|"
                r"not converged|could not be fitted|cannot be fitted|could not be estimated|cannot be estimated)")
# ... or, for impossible values, validation refusing them (a rate_per_100k problem line).
MODEL_OR_RATE_REFUSED = MODEL_FAILED + r"|homicide\.csv: row \d+: rate_per_100k: "


def _row(p: Planted) -> str:
    return f"row {p.row}"


CORRUPTIONS: list[Corruption] = [
    Corruption("missing_column", missing_column,
               lambda p: re.escape("homicide.csv: row 1: missing column 'rate_per_100k'")),
    Corruption("extra_column", extra_column,
               lambda p: re.escape("population.csv: row 1: unknown column 'comment' "
                                   "(expected only: iso3, year, population, source_id)")),
    Corruption("wrong_type", wrong_type,
               lambda p: re.escape(f'population.csv: {_row(p)}: population: expected an integer >= 0, '
                                   'got "about 30 million"')),
    Corruption("negative_count", negative_count,
               lambda p: re.escape(f'cocaine_seizures.csv: {_row(p)}: kilograms: expected a number >= 0, got "-5"')),
    Corruption("percentage_over_100", percentage_over_100,
               lambda p: re.escape(f'cocaine_use.csv: {_row(p)}: prevalence_pct: expected a number between 0 and 100, '
                                   'got "150"')),
    Corruption("duplicate_key", duplicate_key,
               lambda p: re.escape(f"population.csv: {_row(p)}: duplicate key (iso3=PER, year=")),
    Corruption("unknown_iso3", unknown_iso3,
               lambda p: re.escape(f'homicide.csv: {_row(p)}: iso3: "XYZ" is not a') + r"n? iso3 in countries\.csv$"),
    Corruption("empty_file", empty_file,
               lambda p: re.escape("coca_cultivation.csv: file is empty (expected a header row: ")),
    Corruption("wrong_delimiter", wrong_delimiter,
               lambda p: re.escape("population.csv: row 1: not comma-separated: the header is separated by "
                                   "semicolons; save it as CSV with commas")),
    Corruption("non_utf8", non_utf8,
               lambda p: re.escape(f"countries.csv: {_row(p)}: not valid UTF-8 (byte 0xe9 at character ")
               + r"\d+\); save the file as UTF-8$"),
    Corruption("checksum_mismatch", checksum_mismatch,
               lambda p: re.escape("population.csv: checksum does not match datapackage.json (the file was "
                                   "edited); if the edit is deliberate, run `paradox describe ")),
    Corruption("missing_file", missing_file, lambda p: re.escape("cocaine_use.csv: file is missing") + "$"),
    Corruption("unknown_source", unknown_source,
               lambda p: re.escape(f'homicide.csv: {_row(p)}: source_id: "no_such_source" is not a source_id '
                                   "in sources.csv")),
    Corruption("future_year", future_year,
               lambda p: re.escape(f'population.csv: {_row(p)}: year: expected an integer between 1990 and ')
               + r'\d{4}, got "2999"$'),
    Corruption("control_character", control_character,
               lambda p: re.escape(f'countries.csv: {_row(p)}: name: expected text without control characters or '
                                   'non-characters, got "Pe\\x00ru" (U+0000, a control character, at character 3)')),
    Corruption("underscore_digits", underscore_digits,
               lambda p: re.escape(f'population.csv: {_row(p)}: population: expected an integer >= 0, got "32_000_000" '
                                   "(write numbers with the digits 0-9 only, without spaces or separators)")),
    Corruption("header_only", header_only,
               lambda p: re.escape("coca_eradication.csv: has a header but no rows; the book needs at least one row "
                                   "of every table")),
    Corruption("schema_without_minimum", schema_without_minimum,
               lambda p: re.escape("schemas/coca_cultivation.json: field 'hectares': constraint minimum is missing "
                                   "(the project's schema has 0)")),
    # The model faults: the render must stop with a message a user can act on - naming the
    # chapter and saying that the model did not converge / could not be fitted - not print
    # the numbers of a model that failed.
    Corruption("model_does_not_converge", model_does_not_converge,
               lambda p: MODEL_OR_RATE_REFUSED, at_execution=True),
    Corruption("model_cannot_be_fitted", model_cannot_be_fitted,
               lambda p: MODEL_FAILED, at_execution=True, passes_validation=True),
]


def line_matching(pattern: str, text: str) -> str | None:
    """The first line of `text` that matches `pattern` from its start."""
    rx = re.compile(pattern)
    return next((line for line in text.splitlines() if rx.match(line)), None)
