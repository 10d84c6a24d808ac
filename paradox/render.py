"""`paradox render`: check the data folder, then render the book with the renderer.

The data folder reaches the chapters through one mechanism only: the environment variable
PARADOX_DATA set in every chapter kernel (read by analysis.data.data_dir()). Bad data stops
the render before any kernel starts: one line per problem, exit 1, `_book/` untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def render(args) -> int:
    """Run the render described by the parsed `paradox render` arguments; return the exit code."""
    from rich.console import Console

    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    data = Path(args.data).resolve() if args.data else REPO / "data"
    problems = _check_data(data)
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(problems)} problem(s) in {data}; nothing was rendered.", file=sys.stderr)
        return 1

    from renderer import RenderError, render_book

    formats = (args.to,) if args.to else ("html", "pdf")
    env, edition = render_settings(data, REPO / ".render-cache" / "edition.json")
    try:
        result = render_book(
            REPO, out_dir=Path(args.out), formats=formats, fresh=args.fresh,
            env=env, edition=edition, progress=_progress(out),
        )
    except RenderError as error:
        err.print(f"[bold red]render failed:[/] {error}", markup=True, soft_wrap=True)
        err.print("The previous output (if any) was left as it was.")
        return 1
    except KeyboardInterrupt:
        err.print("interrupted; the previous output (if any) was left as it was.")
        return 130
    _summary(out, result, data)
    return 0


def render_settings(data: Path, edition_file: Path) -> tuple[dict, dict]:
    """The kernels' environment and the edition for rendering the book from `data`.

    PARADOX_DATA is the data folder; PARADOX_EDITION_FILE is a stable path to the edition
    (version, date, commit, vintage), so only chapters that read it re-execute when the
    commit or date changes (paradox/edition.py). The benchmark uses this too.
    """
    from paradox.edition import edition_info, ledger_fields, write_edition_file

    info = edition_info(REPO, data)
    env = {"PARADOX_DATA": str(data)}
    env.update(write_edition_file(info, edition_file))
    return env, {"stamp": info["stamp"], **ledger_fields(info)}


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
