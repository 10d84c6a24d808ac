"""`paradox render`: check the data folder, then render the book with the renderer.

The data folder reaches the chapters through one mechanism only: the environment variable
PARADOX_DATA set in every chapter kernel (read by analysis.data.data_dir()). Bad data stops
the render before any kernel starts: one line per problem, exit 1, `_book/` untouched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".render-cache"  # where the render command leaves files for the chapters
# The variables naming the files the chapters read besides the project: the render cache keys
# them by content, not place (renderer/cache.py), so `paradox diff` and `paradox update`,
# which render data folders with their own edition files, reuse `paradox render`'s runs.
PLACELESS = ("PARADOX_DATA", "PARADOX_EDITION_FILE", "PARADOX_CHANGES_FILE")


def render(args) -> int:
    """Run the render described by the parsed `paradox render` arguments; return the exit code."""
    from rich.console import Console
    from rich.markup import escape

    from renderer.sourcedate import SourceDateError, source_date_epoch

    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    try:
        source_date_epoch()  # the edition date and the PDF's dates; checked before anything else
    except SourceDateError as error:
        print(f"{error}; nothing was rendered.", file=sys.stderr)
        return 1
    data = Path(args.data).resolve() if args.data else REPO / "data"
    problems = _check_data(data)
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(problems)} problem(s) in {data}; nothing was rendered.", file=sys.stderr)
        return 1

    from analysis.report.citation import figure_citation_template, load_citation
    from paradox.diff import DiffInputError, read_ledger, write_changes_file
    from renderer import RenderError, edition_fields, render_book

    formats = (args.to,) if args.to else ("html", "pdf")
    try:
        previous = _previous_ledger(args.since, read_ledger)
    except DiffInputError as error:
        print(f"--since: {error}", file=sys.stderr)
        return 1
    env, edition, write_edition = render_settings(data, STATE / "edition.json", write=False)
    # Like the edition, the changes reach chapters as a stable path (always written, blank
    # without --since) so only the chapter that shows them re-executes when they change.
    # Both files are written by `setup`, with the render lock held (see render_book).
    changes = STATE / "changes.md"
    env["PARADOX_CHANGES_FILE"] = str(changes.resolve())
    render_args = dict(out_dir=Path(args.out), formats=formats, env=env, edition=edition,
                       progress=_progress(out), protect=(data,),
                       figure_citation=figure_citation_template(load_citation(), citation_edition(edition_fields(edition))),
                       data_package=data, sources=source_details(data), placeless=PLACELESS)

    def setup(since=None, book=None):
        write_edition()
        write_changes_file(changes, since, book)

    left = "The previous output (if any) was left as it was."
    try:
        if previous is None:
            result = render_book(REPO, fresh=args.fresh, setup=setup, **render_args)
        else:
            # What changed needs the new ledger: render it alone first (no pages, PDF or
            # cards), then the book with the list (only the chapter showing it re-executes).
            with tempfile.TemporaryDirectory(prefix="paradox-since-") as tmp:
                ledger = Path(tmp) / "ledger"
                render_book(REPO, fresh=args.fresh, setup=setup,
                            **{**render_args, "out_dir": ledger, "formats": ()})
                result = render_book(REPO, setup=lambda: setup(previous, ledger), **render_args)
    except (RenderError, OSError, DiffInputError) as error:  # OSError: read-only/full disk, permissions
        reason = os_error_sentence(error) if isinstance(error, OSError) else str(error)
        err.print(f"[bold red]render failed:[/] {escape(reason)}", markup=True, soft_wrap=True)
        err.print(escape(left))
        return 1
    except KeyboardInterrupt:
        err.print(f"interrupted. {escape(left)}")
        return 130
    finally:
        if previous is not None:
            previous.unlink(missing_ok=True)
    _summary(out, result, data)
    return 0


def os_error_sentence(error: OSError) -> str:
    """'could not write /x/_book.tmp-1/a.html: Read-only file system' - what failed, and why."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or error.__class__.__name__
    return f"could not read or write{where}: {reason}"


def render_settings(data: Path, edition_file: Path, write: bool = True, project: Path = REPO):
    """The kernels' environment and the edition for rendering the book of `project` from `data`.

    PARADOX_DATA is the data folder; PARADOX_EDITION_FILE is a stable path to the edition
    (version, date, commit, vintage), so only chapters that read it re-execute when the
    commit or date changes (paradox/edition.py). The benchmark uses this too. With
    write=False the file is not written yet: a third value, a function writing it, is
    returned for render_book's `setup` (run under the render lock).
    """
    from paradox.edition import edition_info, ledger_fields, write_edition_file

    info = edition_info(project, data)
    env = {"PARADOX_DATA": str(data), "PARADOX_EDITION_FILE": str(Path(edition_file).resolve())}
    edition = {"stamp": info["stamp"], **ledger_fields(info)}
    if write:
        write_edition_file(info, edition_file)
        return env, edition
    return env, edition, lambda: write_edition_file(info, edition_file)


def citation_edition(fields: dict) -> dict:
    """The edition as analysis.citation reads it (version, date, data_to, commit) from the
    ledger fields: the figure cards then cite the same edition date as appendix C, not "n.d."."""
    return {"version": fields.get("edition_version"), "date": fields.get("edition_date"),
            "data_to": fields.get("data_to"), "commit": fields.get("edition_commit")}


def source_details(data: Path) -> dict:
    """source id -> publisher, title, year and link, from the data folder's sources.csv: what
    the HTML book shows when a reader hovers or focuses a number."""
    import csv

    with open(data / "sources.csv", encoding="utf-8", newline="") as handle:
        return {row["source_id"]: {"name": row.get("publisher") or row["source_id"], "title": row.get("title") or "",
                                   "year": row.get("year") or "", "url": row.get("url") or ""}
                for row in csv.DictReader(handle)}


def _previous_ledger(since: str | None, read_ledger) -> Path | None:
    """A private copy of the earlier edition's claims.json, or None without --since.

    Copied first because the earlier edition may be the very folder this render replaces.
    The copy is this render's own file (removed when it ends): it is written before the render
    lock is taken, and two renders with --since at once must not read each other's.
    """
    if not since:
        return None
    entries = read_ledger(Path(since))
    STATE.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="previous-claims-", suffix=".json", dir=STATE)
    with os.fdopen(handle, "w", encoding="utf-8") as copy:
        json.dump(entries, copy, ensure_ascii=False)
    return Path(name)


def _check_data(data: Path) -> list:
    """Problems of the data folder (a missing folder is one problem)."""
    if not data.is_dir():
        return [f"{data}: no such data folder"]
    from analysis.data import check_folder

    return check_folder(data)


def _progress(console):
    """One line per chapter (executed or reused, seconds) and per output written."""
    def show(event: str, name: str, seconds: float) -> None:
        if event == "executed":
            console.print(f"  [green]executed[/] {name:<40} {seconds:6.1f} s")
        elif event == "reused":
            console.print(f"  [dim]reused  [/] {name:<40}   (cache)")
        elif event == "volatile":
            console.print(f"  [yellow]not cached[/] {name} (a subprocess or network read: re-run every time)")
        elif event == "waiting":
            console.print(f"  waiting for another render of this book to finish ({name})")
        else:
            console.print(f"  [cyan]wrote   [/] {name:<40} {seconds:6.1f} s")
    return show


def _summary(console, result, data: Path) -> None:
    """Where the outputs are, and what the render did."""
    console.print(
        f"[bold]Rendered[/] in {result.total_seconds:.1f} s: {len(result.executed)} chapter(s) executed, "
        f"{len(result.reused)} reused; data from {data}"
    )
    for label, path in (("HTML", result.html), ("PDF", result.pdf)):
        if path:
            console.print(f"  {label:<7}{path}")
    console.print(f"  {'claims':<7}{result.out_dir / 'claims.json'} ({len(result.claims)} claims)")
