"""`make mutate`: mutation testing of the argument, the formatter, validation and the renderer's
cache key and escaping, one target at a time, each with only the fast tests that cover it.

Why per target: the 2 cores are shared, and mutmut's first step runs every selected test
once to learn which tests reach which function. Narrowing the selection to a module's own
tests keeps a target's run to minutes. Each target runs in a scratch copy of the project
(.mutate/<target>/, with a `shared` link so `../shared/sources` resolves as it does from the
work tree), so targets never share mutmut's state and a run never touches the work tree.

Which tests run against a mutant: mutmut credits a test with the functions that ran while it
ran. A module- or session-scoped fixture (the real findings, the specification grid) runs inside
the first test that asks for it, so the functions it calls are credited to that one test only;
the tests that later read the fixture's value are never run against those functions' mutants.
Known-answer tests for a target therefore compute what they check inside the test itself
(tests/test_*_known_answers.py), on inputs small enough to be cheap.

Usage: python tests/mutate.py [TARGET ...]   (default: every target; `--list` names them)
Prints, per target: mutants, killed, survived, and any with no covering test or a timeout,
and the names of the survivors; `mutmut show NAME` in .mutate/<target>/ shows a mutant.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".mutate"

# target: (files mutated, the fast tests that cover them)
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    "estimate": (["analysis/estimate.py"],
                 ["tests/test_estimate.py", "tests/test_estimate_typography.py",
                  "tests/test_estimate_known_answers.py",
                  "tests/test_known_answers_text.py::test_hedges_survive_formatting"]),
    "explanations": (["analysis/explanations.py"],
                     ["tests/test_explanations.py", "tests/test_known_answers_model.py",
                      "tests/test_explanations_known_answers.py", "tests/test_points_below_line.py"]),
    "producers": (["analysis/producers.py"],
                  ["tests/test_producers.py", "tests/test_producers_known_answers.py"]),
    "verdicts": (["analysis/verdicts.py"], ["tests/test_verdicts.py"]),
    "claims": (["analysis/claims.py"], ["tests/test_claims.py"]),
    "markets": (["analysis/markets.py"],
                ["tests/test_markets.py", "tests/test_markets_known_answers.py"]),
    "violence": (["analysis/violence.py"],
                 ["tests/test_violence.py", "tests/test_violence_known_answers.py"]),
    "criminal_economy": (["analysis/criminal_economy.py"],
                         ["tests/test_criminal_economy.py",
                          "tests/test_criminal_economy_known_answers.py"]),
    "specifications": (["analysis/specifications.py"],
                       ["tests/test_specifications.py",
                        "tests/test_specifications_known_answers.py",
                        "tests/test_specifications_rows.py"]),
    "validation": (["analysis/data/validate.py", "analysis/data/cells.py"],
                   ["tests/test_data_validate.py", "tests/test_data_hardening.py",
                    "tests/test_data_validate_known_answers.py"]),
    "cache": (["renderer/cache.py"],
              ["tests/renderer/test_cache_key.py",
               "tests/renderer/test_reproducible.py::test_fresh_output_cache_makes_everything_again_once",
               "tests/renderer/test_reproducible.py::test_pdf_date_is_part_of_the_cache_key"]),
    "escaping": (["renderer/outputs.py", "renderer/spreadsheet.py"],
                 ["tests/renderer/test_escaping.py", "tests/renderer/test_escaping_property.py",
                  "tests/renderer/test_assemble.py",
                  "tests/renderer/test_spreadsheet.py", "tests/renderer/test_chart_payload.py",
                  "tests/renderer/test_typst_typography.py", "tests/test_markdown_escaping.py"]),
}


def _copy_project(dest: Path) -> None:
    """Copy the project's tracked files (and uncommitted edits to them) into `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file() and not name.startswith(b".mutate/"):
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())
    (dest / "shared").symlink_to((ROOT.parent / "shared").resolve())


def _narrow_config(dest: Path, files: list[str], tests: list[str]) -> None:
    """Rewrite the copy's [tool.mutmut] to mutate `files` with `tests` only."""
    path = dest / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    conf = tomllib.loads(text)["tool"]["mutmut"]
    head = text[: text.index("[tool.mutmut]")]
    conf["only_mutate"] = files
    conf["pytest_add_cli_args_test_selection"] = tests
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in conf.items())
    path.write_text(f"{head}[tool.mutmut]\n{body}", encoding="utf-8")


def _counts(dest: Path) -> dict:
    """Mutants, killed, survived, other, and the survivors' names, from mutmut's own stats."""
    subprocess.run([sys.executable, "-m", "mutmut", "export-cicd-stats"], cwd=dest,
                   capture_output=True, check=True)
    stats = json.loads((dest / "mutants" / "mutmut-cicd-stats.json").read_text())
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results"], cwd=dest,
                             capture_output=True, text=True, check=True).stdout
    survivors = re.findall(r"^\s*(\S+): survived", listing, flags=re.M)
    other = {k: stats[k] for k in ("no_tests", "timeout", "suspicious", "segfault", "skipped")
             if stats.get(k)}
    return {"mutants": stats["total"], "killed": stats["killed"], "survived": stats["survived"],
            "other": other, "survivors": survivors}


def run(target: str, children: int) -> dict:
    """Mutate one target in its scratch copy and return its counts."""
    files, tests = TARGETS[target]
    dest = SCRATCH / target
    _copy_project(dest)
    _narrow_config(dest, files, tests)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "HYPOTHESIS_PROFILE": "mutate"}  # no shrinking: tests/conftest.py
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children)],
                   cwd=dest, env=env, check=False, stdout=subprocess.DEVNULL)
    return _counts(dest)


def main(argv: list[str]) -> int:
    """Run the named targets (all by default) and print one report line per target."""
    if "--list" in argv:
        print("\n".join(TARGETS))
        return 0
    names = [a for a in argv if not a.startswith("-")] or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"unknown target(s): {', '.join(unknown)}; known: {', '.join(TARGETS)}")
        return 2
    children = int(os.environ.get("MUTATE_CHILDREN", "2"))
    saved = SCRATCH / "report.json"
    report = json.loads(saved.read_text()) if saved.exists() else {}  # earlier targets kept
    for name in names:
        c = report[name] = run(name, children)
        share = c["killed"] / c["mutants"] if c["mutants"] else 0.0
        print(f"{name}: {c['mutants']} mutants, {c['killed']} killed ({share:.0%}), "
              f"{c['survived']} survived"
              + "".join(f", {n} {k.replace('_', ' ')}" for k, n in c["other"].items()), flush=True)
        for s in c["survivors"]:
            print(f"    survived: {s}")
        saved.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
