"""`paradox diff OLD NEW`: what changed between two editions of the report.

This is what a reader of a new vintage asks first: which numbers moved, which are new, which
are gone, and - most important - which sentences the data now choose differently ("Peru
remains the largest grower" -> "Colombia has since overtaken Peru").

OLD and NEW are each a rendered book folder (its `claims.json`), a `claims.json` file, or a
data folder (one with `datapackage.json`), which is first rendered to a temporary HTML-only
book with `renderer.render_book(..., env={"PARADOX_DATA": dir})` to get its ledger.

The comparison is a pure function of two ledgers (`diff_ledgers`), and `format_diff` turns it
into Markdown usable as the book's "What changed in this edition" section. A ledger read from
disk is untrusted input (an earlier edition may come from anyone): `read_ledger` validates
every entry (`ledger_problems`: types, lengths, the id pattern, the edition fields) and every
text taken from it enters the Markdown through the renderer's one escaping rule
(`renderer.outputs.escape_markdown`), so it reaches HTML and Typst as plain text. Entries are matched
by ledger id (ARCHITECTURE.md, "Claims ledger"); the edition fields every entry carries
(date, commit, ...) are not compared, they only label the two editions.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from analysis.data.cells import FORBIDDEN
from renderer.outputs import escape_markdown

__all__ = ["Change", "Diff", "diff_ledgers", "format_diff", "read_ledger", "ledger_of",
           "ledger_problems", "write_changes_file", "DiffInputError", "main"]

REPO = Path(__file__).resolve().parent.parent
LEDGER = "claims.json"
DESCRIPTOR = "datapackage.json"
# What a number is; a difference in any of these is a change a reader may need to know.
COMPARED = ("kind", "text", "value", "low", "high", "unit", "year", "sources", "branch")
_NUMERIC = ("value", "low", "high")

# What a valid ledger entry may hold (the renderer writes ids as `<chapter>-<slug>`).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,159}")
MAX_TEXT = 4000           # characters in any text field (the longest real sentence is ~400)
MAX_PROBLEMS = 20         # a hostile ledger gets the first 20 problems and a count
_TEXT_FIELDS = ("text", "sentence", "chapter", "unit", "branch", "kind", "anchor", "expression",
                "data_vintage")
_EDITION_PATTERNS = {  # field: (pattern, what the message says is expected)
    "edition_version": (re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,39}"), "a version such as 0.1.0"),
    "edition_date": (re.compile(r"\d{4}-\d{2}-\d{2}"), "a date such as 2026-11-30"),
    "edition_commit": (re.compile(r"[0-9a-f]{4,40}(\+dirty)?|unknown"), "a git commit id or 'unknown'"),
}


class DiffInputError(ValueError):
    """OLD or NEW is not a ledger, a book folder or a data folder; or a ledger is malformed."""


@dataclass(frozen=True)
class Change:
    """One ledger id present in both editions whose entry differs in a compared field."""

    id: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]

    @property
    def fields(self) -> tuple[str, ...]:
        """The compared fields that differ, in COMPARED order."""
        return tuple(f for f in COMPARED if not _same(f, self.old.get(f), self.new.get(f)))


@dataclass(frozen=True)
class Diff:
    """Everything that differs between two ledgers, in reading order of the new edition."""

    changed: list[Change] = field(default_factory=list)      # same id, other text or value
    flipped: list[Change] = field(default_factory=list)      # branch sentences: other branch
    appeared: list[Mapping[str, Any]] = field(default_factory=list)
    disappeared: list[Mapping[str, Any]] = field(default_factory=list)
    old_edition: Mapping[str, Any] = field(default_factory=dict)
    new_edition: Mapping[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when no claim differs (the editions may still differ in date or commit)."""
        return not (self.changed or self.flipped or self.appeared or self.disappeared)


# --- the comparison (pure) --------------------------------------------------------------------

def _same(name: str, old: Any, new: Any) -> bool:
    """Equal for the diff: numbers within float noise (rel 1e-9), sources as sets, else ==."""
    if name in _NUMERIC and isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=0.0)
    if name == "sources":
        return sorted(map(str, old or [])) == sorted(map(str, new or []))
    return old == new


def _by_id(entries: Iterable[Mapping[str, Any]], which: str) -> dict[str, Mapping[str, Any]]:
    """Index a ledger by id; an entry without id or a repeated id is a malformed ledger."""
    index: dict[str, Mapping[str, Any]] = {}
    for n, entry in enumerate(entries, start=1):
        claim_id = entry.get("id") if isinstance(entry, Mapping) else None
        if not claim_id:
            raise DiffInputError(f"{which} ledger: entry {n} has no id")
        if claim_id in index:
            raise DiffInputError(f"{which} ledger: id {claim_id!r} appears twice")
        index[claim_id] = entry
    return index


def _edition_fields(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The edition fields of a ledger (those every entry carries beyond the claim itself)."""
    if not entries:
        return {}
    keys = ("edition_version", "edition_date", "edition_commit", "data_to", "data_vintage")
    return {k: entries[0][k] for k in keys if entries[0].get(k) not in (None, "")}


def diff_ledgers(old_entries: Sequence[Mapping[str, Any]],
                 new_entries: Sequence[Mapping[str, Any]]) -> Diff:
    """Compare two ledgers entry by entry (matched by id).

    A branch sentence whose `branch` differs is `flipped`; any other difference in a compared
    field is `changed`; ids only in the new ledger `appeared`, only in the old `disappeared`.
    """
    old, new = _by_id(old_entries, "old"), _by_id(new_entries, "new")
    diff = Diff(old_edition=_edition_fields(old_entries), new_edition=_edition_fields(new_entries))
    for claim_id, entry in new.items():
        if claim_id not in old:
            diff.appeared.append(entry)
            continue
        change = Change(claim_id, old[claim_id], entry)
        if "branch" in change.fields and "branch" in (old[claim_id].get("kind"), entry.get("kind")):
            diff.flipped.append(change)
        elif change.fields:
            diff.changed.append(change)
    diff.disappeared.extend(e for i, e in old.items() if i not in new)
    return diff


# --- Markdown ---------------------------------------------------------------------------------

def _md(text: Any) -> str:
    """Literal text in Markdown: pandoc syntax escaped, so '$1 billion' is not TeX math and
    '<script>' is not HTML (the renderer's rule, shared so there is one escaping)."""
    return escape_markdown(str(text))


def _edition_label(edition: Mapping[str, Any], fallback: str) -> str:
    """'edition 0.1.0 of 2026-11-28 (commit abc1234, data to 2023)' or the fallback."""
    if not edition.get("edition_version") and not edition.get("edition_date"):
        return fallback
    label = "edition " + " of ".join(_md(edition[k]) for k in ("edition_version", "edition_date")
                                     if edition.get(k))
    extra = [f"commit {_md(edition['edition_commit'])}"] if edition.get("edition_commit") else []
    extra += [f"data to {_md(edition['data_to'])}"] if edition.get("data_to") else []
    return f"{label} ({', '.join(extra)})" if extra else label


def _where(entry: Mapping[str, Any]) -> str:
    """'`id` (chapter)' - the ledger id to look up, and the chapter it appears in."""
    chapter = f" ({_md(entry['chapter'])})" if entry.get("chapter") else ""
    return f"`{entry['id']}`{chapter}"  # ids match ID_PATTERN (read_ledger): no backtick


def _num(value: Any) -> str:
    """A raw ledger value for the rare line where the printed text did not change."""
    return "none" if value is None else _md(f"{value:,}")  # exact: 61,240 / 1,000,000,000.0


def _change_line(change: Change) -> str:
    """'- `id` (chapter): old text → new text', with the raw values if only they moved."""
    old, new = change.old, change.new
    line = f"- {_where(new)}: {_md(old.get('text', ''))} \u2192 {_md(new.get('text', ''))}"
    if "text" not in change.fields:
        moved = [f"{f} {_num(old.get(f))} \u2192 {_num(new.get(f))}"
                 for f in change.fields if f in _NUMERIC]
        moved += [f"{f} {_md(old.get(f))} \u2192 {_md(new.get(f))}"
                  for f in change.fields if f not in _NUMERIC and f != "sources"]
        if "sources" in change.fields:
            moved.append("sources " + _md(", ".join(old.get("sources") or [])) + " \u2192 "
                         + _md(", ".join(new.get("sources") or [])))
        line += f" (same text; {'; '.join(moved)})"
    return line


def _flip_lines(change: Change) -> list[str]:
    """A flipped conclusion: the branch names, then both sentences as printed."""
    old, new = change.old, change.new
    return [f"- {_where(new)}: the data now choose *{_md(new.get('branch'))}* "
            f"instead of *{_md(old.get('branch'))}*.",
            f"  Before: \u201c{_md(old.get('text', ''))}\u201d",
            f"  Now: \u201c{_md(new.get('text', ''))}\u201d"]


def _entry_line(entry: Mapping[str, Any]) -> str:
    """'- `id` (chapter): text', with the sentence it appears in when it says more."""
    line = f"- {_where(entry)}: {_md(entry.get('text', ''))}"
    sentence = entry.get("sentence")
    if sentence and " ".join(str(sentence).split()) != " ".join(str(entry.get("text")).split()):
        line += f" \u2014 \u201c{_md(sentence)}\u201d"
    return line


def _plural(n: int, one: str, many: str) -> str:
    """'1 number' / '3 numbers'."""
    return f"{n} {one if n == 1 else many}"


def format_diff(diff: Diff) -> str:
    """The diff as Markdown: a summary sentence, then one bulleted list per kind of change.

    Flipped conclusions come first because they change what the report argues.
    """
    old = _edition_label(diff.old_edition, "the earlier edition")
    new = _edition_label(diff.new_edition, "this edition")
    if diff.empty:
        return (f"Between {old} and {new}, no number and no data-chosen sentence changed.\n")
    summary = ", ".join([
        _plural(len(diff.flipped), "conclusion flipped", "conclusions flipped"),
        _plural(len(diff.changed), "number changed", "numbers changed"),
        _plural(len(diff.appeared), "new number", "new numbers"),
        _plural(len(diff.disappeared), "number no longer shown", "numbers no longer shown"),
    ])
    parts = [f"Between {old} and {new}: {summary}."]
    sections = [
        ("Conclusions the data now choose differently", [l for c in diff.flipped for l in _flip_lines(c)]),
        ("Numbers that changed", [_change_line(c) for c in diff.changed]),
        ("New in this edition", [_entry_line(e) for e in diff.appeared]),
        ("No longer shown", [_entry_line(e) for e in diff.disappeared]),
    ]
    for title, lines in sections:
        if lines:
            parts.append(f"**{title}**\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def write_changes_file(path: str | Path, previous: str | Path | None,
                       book: str | Path | None) -> dict[str, str]:
    """Write "What changed" Markdown for the book to include; return the kernel env entry.

    `previous` is the earlier edition's ledger (book folder or claims.json) and `book` the
    folder just rendered; with `previous` None the file is written blank (the chapter then
    says there is no earlier edition to compare). Always write it, at the same path: the path
    is part of every chapter's cache key, and the file's content only re-executes the chapter
    that reads it (via `analysis.citation.changes_from_env`). Unchanged content is not
    rewritten, so its mtime stays. Two passes are needed because the new ledger exists only
    after a render: render the ledger alone, write this file, render the book (only that
    chapter re-executes; paradox/render.py).
    """
    text = format_diff(diff_ledgers(read_ledger(previous), read_ledger(book))) if previous else ""
    path = Path(path)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"PARADOX_CHANGES_FILE": str(path.resolve())}


# --- inputs -----------------------------------------------------------------------------------

def read_ledger(path: str | Path) -> list[dict[str, Any]]:
    """The entries of a `claims.json` file, or of the `claims.json` in a book folder."""
    path = Path(path)
    file = path / LEDGER if path.is_dir() else path
    if not file.is_file():
        raise DiffInputError(f"{path}: no {LEDGER} here (expected a rendered book folder, "
                             f"a {LEDGER} file or a data folder with {DESCRIPTOR})")
    try:
        entries = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DiffInputError(f"{file}: not a JSON claims ledger ({err})") from None
    if not isinstance(entries, list):
        raise DiffInputError(f"{file}: a claims ledger is a JSON list of entries")
    problems = _grouped(ledger_problems(entries))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = f"; and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise DiffInputError(f"{file}: not a valid claims ledger: " + "; ".join(shown) + more)
    return entries


def _grouped(problems: list[str]) -> list[str]:
    """'entry 1: x' ... 'entry 9: x' -> 'entry 1 (and 8 more): x': one line per kind of problem."""
    groups: dict[str, list[str]] = {}
    for problem in problems:
        where, _, what = problem.partition(": ")
        groups.setdefault(what, []).append(where)
    return [f"{places[0]}{f' (and {len(places) - 1} more)' if len(places) > 1 else ''}: {what}"
            for what, places in groups.items()]


def ledger_problems(entries: list) -> list[str]:
    """Every way `entries` differs from a ledger the renderer writes (empty = valid).

    Why so strict: an earlier edition's ledger is read from a path the user names and its
    texts are printed in the new book, so a crafted file must be refused, not rendered.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"entry {n}: expected an object, got {type(entry).__name__}")
            continue
        claim_id = entry.get("id")
        if not isinstance(claim_id, str) or not ID_PATTERN.fullmatch(claim_id):
            problems.append(f"entry {n}: id: expected letters, digits, '.', '_' or '-' "
                            f"(at most 160), got {_shown(claim_id)}")
        elif claim_id in seen:
            problems.append(f"entry {n}: id {claim_id!r} appears twice")
        else:
            seen.add(claim_id)
        problems += [f"entry {n}: {p}" for p in _entry_problems(entry)]
    return problems


def _entry_problems(entry: dict) -> list[str]:
    """The field problems of one ledger entry (id checked by the caller)."""
    problems = []
    for name in _TEXT_FIELDS:
        value = entry.get(name)
        if value is not None and not _plain_text(value):
            problems.append(f"{name}: expected text of at most {MAX_TEXT} characters without "
                            f"control characters, got {_shown(value)}")
    for name in _NUMERIC:
        value = entry.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value)):
            problems.append(f"{name}: expected a finite number or null, got {_shown(value)}")
    for name in ("year", "line", "data_to"):
        value = entry.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= 99_999):
            problems.append(f"{name}: expected a whole number or null, got {_shown(value)}")
    sources = entry.get("sources")
    if sources is not None and not (isinstance(sources, list) and all(
            isinstance(s, str) and ID_PATTERN.fullmatch(s) for s in sources)):
        problems.append(f"sources: expected a list of source ids, got {_shown(sources)}")
    for name, (pattern, expected) in _EDITION_PATTERNS.items():
        value = entry.get(name)
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            problems.append(f"{name}: expected {expected}, got {_shown(value)}")
    return problems


def _plain_text(value: Any) -> bool:
    """A string of bounded length without control characters or non-characters."""
    # the data layer's rule for text (control characters, non-characters), and one line per
    # text: a carriage return is refused too, as it always was here
    return (isinstance(value, str) and len(value) <= MAX_TEXT and "\r" not in value
            and FORBIDDEN.search(value) is None)


def _shown(value: Any) -> str:
    """A bad value as the message shows it: its type, or a short repr."""
    if isinstance(value, str):
        return repr(value[:40] + ("..." if len(value) > 40 else ""))
    return type(value).__name__ if isinstance(value, (dict, list)) else repr(value)


def _render_ledger(data_dir: Path, workdir: Path, project: Path) -> list[dict[str, Any]]:
    """Render the ledger of the book from `data_dir` into `workdir` (no pages, PDF or cards:
    render_book with no format) and return it.

    The chapters get what `paradox render` gives them without --since (the data folder, the
    edition of that data, a blank "what changed"), in files of this render's own; the cache
    keys those by content, so a chapter `paradox render` already ran on the same data is
    reused, not run again."""
    from paradox.render import PLACELESS, render_settings
    from renderer import render_book

    workdir.mkdir(parents=True, exist_ok=True)
    env, edition = render_settings(data_dir.resolve(), workdir / "edition.json", project=project)
    env.update(write_changes_file(workdir / "changes.md", None, None))
    out = workdir / "book"
    render_book(project, out, formats=(), env=env, edition=edition, placeless=PLACELESS)
    return read_ledger(out)


def ledger_of(path: str | Path, workdir: str | Path, project: str | Path = REPO) -> list[dict]:
    """The ledger of OLD or NEW: read it, or render the data folder to get it.

    A data folder is checked first (`analysis.data.check_folder`) so bad data is reported as
    data problems (DataValidationError), never as a failed render.
    """
    path = Path(path)
    if path.is_dir() and (path / DESCRIPTOR).is_file() and not (path / LEDGER).is_file():
        from analysis.data import DataValidationError, check_folder

        problems = check_folder(path)
        if problems:
            raise DataValidationError(problems)
        return _render_ledger(path, Path(workdir), Path(project))
    return read_ledger(path)


def main(args) -> int:
    """`paradox diff OLD NEW`: print the Markdown diff; exit 1 on bad input, never a traceback."""
    from analysis.data import DataValidationError
    from renderer import RenderError

    with tempfile.TemporaryDirectory(prefix="paradox-diff-") as tmp:
        ledgers = []
        for side, path in (("old", args.old), ("new", args.new)):
            try:
                ledgers.append(ledger_of(path, Path(tmp) / side))
            except DataValidationError as err:
                for problem in err.problems:
                    print(str(problem), file=sys.stderr)
                print(f"{len(err.problems)} problem(s) in {path}; nothing was compared.",
                      file=sys.stderr)
                return 1
            except (DiffInputError, RenderError) as err:
                print(f"paradox diff: {err}", file=sys.stderr)
                return 1
        try:
            text = format_diff(diff_ledgers(*ledgers))
        except DiffInputError as err:
            print(f"paradox diff: {err}", file=sys.stderr)
            return 1
    sys.stdout.write(text)
    return 0
