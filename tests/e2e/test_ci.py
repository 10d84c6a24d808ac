"""Issue 7 part 7: CI (`.ci/run`) installs what the end-to-end tests call and runs them.

The e2e tests call /usr/bin/chromium (playwright's Python package drives it; no browser
download), pdftotext/pdftoppm/pdffonts/pdfinfo (poppler-utils) and need a font for Chromium to
draw text. A change to .ci/run or the Makefile that drops one of these would make CI fail in
a confusing way, or worse, stop running the e2e set: this says so plainly.
"""

from __future__ import annotations

import re
import shlex

from .conftest import REPO


def apt_packages() -> set[str]:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    packages = set()
    for line in script.splitlines():
        words = shlex.split(line.split("#", 1)[0]) if "apt-get install" in line else []
        if words:
            start = words.index("install") + 1
            packages |= {w for w in words[start:] if not w.startswith("-") and not w.startswith(">")}
    return packages


def test_ci_installs_the_browser_poppler_and_a_font():
    packages = apt_packages()
    assert {"chromium", "poppler-utils"} <= packages, packages
    assert any(p.startswith("fonts-") for p in packages), f"no font package: {packages}"


def test_ci_runs_the_whole_suite_including_the_slow_tests():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*make test\s*$", script, re.M), "CI must run `make test`"
    import subprocess

    recipe = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout
    assert "-m pytest" in recipe and "not slow" not in recipe, recipe


def test_playwright_is_pinned_and_needs_no_browser_download():
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^playwright==", lock, re.M)
    # The browser comes from apt, not from `playwright install` (which cannot download here).
    assert "playwright install" not in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_make_test_spreads_over_workers_keeping_the_renders_together_and_its_exit_code():
    """`make test` runs pytest-xdist with `--dist loadgroup`: without it xdist ignores the
    group that keeps the book's renders in one worker (tests/conftest.py), and two renders
    would meet at the project's render lock. Nothing may swallow pytest's exit code: 5 (no
    test collected) must fail CI like a failed test."""
    import subprocess

    commands = subprocess.run(["make", "-n", "test-fast", "test"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.splitlines()
    runs = [shlex.split(c) for c in commands if "-m pytest" in c]
    assert len(runs) == 2, commands
    for words in runs:
        assert int(words[words.index("-n") + 1]) >= 2 and words[words.index("--dist") + 1] == "loadgroup", words
        assert not {"||", ";", "|", "no:xdist"} & set(words), f"pytest's exit code is not what make returns: {words}"
