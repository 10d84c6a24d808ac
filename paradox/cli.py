"""`paradox`: one entry point, one verb per step of the pipeline.

Each verb imports what it needs lazily so that `paradox --help` stays instant.
Bad data is reported as one line per problem on stderr with exit code 1 - never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _print_problems(err) -> int:
    """Print a DataValidationError as one line per problem; return the exit code 1."""
    for problem in err.problems:
        print(str(problem), file=sys.stderr)
    print(f"{len(err.problems)} problem(s) found; nothing was written.", file=sys.stderr)
    return 1


def cmd_import_sources(args) -> int:
    """Build the curated tables in OUT from the raw public files in SOURCES."""
    from analysis.data import DataValidationError
    from analysis.data.imports import import_all

    try:
        rows = import_all(Path(args.sources), Path(args.out))
    except DataValidationError as err:
        return _print_problems(err)
    for name, count in rows.items():
        print(f"{name}.csv: {count} rows")
    print(f"wrote curated tables to {args.out}")
    return 0


def cmd_check(args) -> int:
    """Validate a data folder and print every problem at once."""
    from analysis.data import check_folder

    problems = check_folder(Path(args.dir))
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(problems)} problem(s) in {args.dir}", file=sys.stderr)
        return 1
    print(f"{args.dir}: OK")
    return 0


def cmd_describe(args) -> int:
    """Refresh the descriptor's checksums and row counts after a deliberate edit."""
    from analysis.data import DataValidationError
    from analysis.data.describe import describe_folder

    try:
        changes = describe_folder(Path(args.dir))
    except DataValidationError as err:
        return _print_problems(err)
    for line in changes or ["no change"]:
        print(line)
    return 0


def cmd_render(args) -> int:
    """Render the book to _book/ (HTML site and PDF)."""
    from paradox.render import render

    return render(args)


def cmd_diff(args) -> int:
    """List what changed between two editions (two _book/ folders or two data folders)."""
    from paradox.diff import main as diff_main

    return diff_main(args)


def cmd_update(args) -> int:
    """Adopt a new edition from the publishers' files (or the World Bank API)."""
    from paradox.update import main as update_main

    return update_main(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one sub-command per verb."""
    parser = argparse.ArgumentParser(
        prog="paradox",
        description="Peru's drug-trade paradox as a reproducible report: import, check, render, diff.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("import-sources", help="build data/ from the raw public files")
    p.add_argument("sources", help="folder of raw files (e.g. ../shared/sources)")
    p.add_argument("--out", default=str(REPO / "data"), help="data folder to write (default: data/)")
    p.set_defaults(func=cmd_import_sources)

    p = verbs.add_parser("check", help="validate a data folder, listing every problem")
    p.add_argument("dir", nargs="?", default=str(REPO / "data"))
    p.set_defaults(func=cmd_check)

    p = verbs.add_parser("describe", help="refresh checksums and row counts after an edit")
    p.add_argument("dir", nargs="?", default=str(REPO / "data"))
    p.set_defaults(func=cmd_describe)

    p = verbs.add_parser("render", help="render the book to HTML and PDF in _book/")
    p.add_argument("--to", choices=["html", "pdf"], help="one format only (default: both)")
    p.add_argument("--data", help="render from this data folder instead of data/")
    p.add_argument("--out", default=str(REPO / "_book"), help="output folder (default: _book/)")
    p.add_argument("--fresh", action="store_true", help="ignore the cache; execute every chapter")
    p.add_argument("--since", metavar="OLD",
                   help="an earlier edition (_book/ folder or claims.json): the book then says "
                        "what changed in this edition")
    p.set_defaults(func=cmd_render)

    p = verbs.add_parser("diff", help="what changed between two editions")
    p.add_argument("old", help="old _book/ folder or data folder")
    p.add_argument("new", help="new _book/ folder or data folder")
    p.set_defaults(func=cmd_diff)

    p = verbs.add_parser("update", help="adopt a new edition from the publishers' own files")
    p.add_argument("--from", dest="from_dir", metavar="FOLDER",
                   help="files saved from the publishers (default: fetch the WDI series from the API)")
    p.add_argument("--data", default=str(REPO / "data"), help="the data folder to update (default: data/)")
    p.add_argument("--out", help="write the new data folder here instead of replacing --data")
    p.add_argument("--raw", help="where the API download is saved (default: raw/wdi-<date>/ beside --data)")
    p.add_argument("--api", default="https://api.worldbank.org", help="World Bank API base URL")
    p.add_argument("--allow-older", action="store_true", help="adopt a vintage older than the one in --data")
    p.add_argument("--no-render", action="store_true", help="list changed rows only, not the ledger numbers that move")
    p.set_defaults(func=cmd_update)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `paradox` command: every verb ends in a sentence, never a traceback,
    for Ctrl-C (exit 130) and for errors the OS reports (exit 1: read-only or full disk,
    permissions)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        # check and diff write nothing; render swaps its output in whole or not at all
        kept = "; nothing was changed" if args.verb in ("check", "diff", "render") else ""
        print(f"paradox {args.verb}: interrupted{kept}.", file=sys.stderr)
        return 130
    except OSError as error:
        from paradox.render import os_error_sentence

        print(f"paradox {args.verb}: {os_error_sentence(error)}", file=sys.stderr)
        return 1
