"""`make bench`: how long the book takes to render, cold, unchanged, and after one data edit.

Scenarios (HTML + PDF, into a temporary output folder, with a temporary cache that starts
empty - the project's own .render-cache and _book/ are not touched):
  first render  empty cache: every chapter executed in ordinary kernels, every pandoc, Typst
                and vl-convert output computed, the JavaScript bundle built
  cold --fresh  every chapter executed again, as `paradox render --fresh` does: kernels are
                forked from a zygote preloaded with the libraries the chapters used last time;
                pandoc/Typst outputs whose inputs did not change come from the cache
  no change     the same render again: nothing should execute
  one data file one CSV of a temporary copy of the data folder rewritten (same values, CRLF
                line endings, so its bytes and hash change), the descriptor refreshed
                (`paradox describe`) when the project has one: only the chapters that read
                that file should execute
Targets on a 2-core machine: cold <= 20 s, no change <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--project", default=str(REPO), help="book project (folder with _quarto.yml)")
    p.add_argument("--data", help="data folder to copy (default: <project>/data)")
    p.add_argument("--data-env", default="PARADOX_DATA",
                   help="environment variable through which chapters find the data folder")
    p.add_argument("--file", default=None,
                   help="data file to change (default: coca_eradication.csv if present, else the first CSV by name)")
    p.add_argument("--to", choices=["html", "pdf"], help="one format only (default: both)")
    return p.parse_args(argv)


def change_file(path: Path) -> None:
    """Same values, different bytes: rewrite with CRLF line endings (or back to LF)."""
    text = path.read_bytes()
    crlf = b"\r\n" in text
    lines = text.replace(b"\r\n", b"\n").split(b"\n")
    path.write_bytes((b"\n" if crlf else b"\r\n").join(lines))


def refresh_descriptor(data: Path) -> str:
    """Run the data layer's describe step if the folder has a descriptor and the step exists."""
    if not (data / "datapackage.json").exists():
        return "no descriptor"
    try:
        from analysis.data.describe import describe_folder
    except ImportError:
        return "describe step not available"
    describe_folder(data)
    return "descriptor refreshed"


def main(argv=None) -> int:
    """Run the three scenarios and print the table."""
    from renderer import RenderError, render_book

    args = parse_args(argv)
    project = Path(args.project).resolve()
    source = Path(args.data).resolve() if args.data else project / "data"
    formats = (args.to,) if args.to else ("html", "pdf")
    rows = []
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(source, data)
        default = data / "coca_eradication.csv"  # read by few chapters of the real book
        target = data / args.file if args.file else default if default.exists() else sorted(data.rglob("*.csv"))[0]
        env, edition, placeless = {args.data_env: str(data)}, None, (args.data_env,)
        if project == REPO:  # the real book: the same environment and edition as `paradox render`
            from paradox.render import PLACELESS, render_settings

            env, edition = render_settings(data, tmp / "edition.json")
            placeless = PLACELESS

        def run(label: str, fresh: bool) -> None:
            start, cpu = time.perf_counter(), cpu_seconds()
            result = render_book(project, tmp / "out", formats=formats, fresh=fresh, env=env,
                                 edition=edition, cache_dir=tmp / "cache", placeless=placeless)
            rows.append((label, time.perf_counter() - start, cpu_seconds() - cpu, result.executed))
            print(f"{label:<16} {rows[-1][1]:6.1f} s  executed {len(result.executed)}", file=sys.stderr)

        try:
            run("first render", True)
            run("cold --fresh", True)
            run("no change", False)
            change_file(target)
            note = refresh_descriptor(data)
            run("one data file", False)
        except RenderError as err:
            print(f"render failed: {err}", file=sys.stderr)
            return 1
    print(f"\nBook: {project}   formats: {' + '.join(formats)}   changed file: "
          f"{target.relative_to(data)} ({note})\n")
    print(f"| {'scenario':<16} | {'seconds':>7} | {'CPU s':>7} | {'executed':>8} | chapters executed")
    print(f"|{'-' * 18}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 30}")
    for label, seconds, cpu, executed in rows:
        names = ", ".join(Path(c).stem for c in executed) if len(executed) < 6 else f"all {len(executed)}"
        print(f"| {label:<16} | {seconds:7.1f} | {cpu:7.1f} | {len(executed):>8} | {names}")
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end "
          "(CPU s = this process and its kernels; wall time grows with other load on the machine)")
    return 0


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children (the kernels)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


if __name__ == "__main__":
    raise SystemExit(main())
