"""Shared pieces of the end-to-end tests: the `paradox` command, one good render per session.

Every e2e test that needs a rendered book uses `good_book`: the real book (repository
`_quarto.yml`, `data/`) rendered once per session, HTML and PDF, by the command a user types
(`paradox render --fresh --out DIR`). It is fresh (every chapter executed, the cache ignored)
because it doubles as the first of the two renders test_determinism.py compares byte for
byte (every render has the same SOURCE_DATE_EPOCH, see paradox_env) - on a
clean checkout (CI) the cache is empty anyway, so this costs nothing there - and it leaves the
cache warm for the renders that follow. Tests never write into the repository's `data/` or
`_book/`: they copy what they change into tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from run_once import once_per_run, shared_temp

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
ARTIFACTS = REPO / "tests" / "artifacts"
# The console script installed beside this interpreter: what `make report` runs.
PARADOX = Path(sys.executable).parent / "paradox"

# The command that makes `good_book` (test_determinism.py repeats it).
GOOD_RENDER = ("render", "--fresh")

# Long enough for a fresh render of the whole book on a slow CI machine.
RENDER_TIMEOUT = 900


# Every render of a session has the same SOURCE_DATE_EPOCH (a reproducible build's one
# time; 2025-11-28 00:00:00 UTC unless the caller set one), so two renders of the same inputs
# are byte-identical - edition date and PDF dates included (test_determinism.py).
PINNED_EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or "1764288000"


def paradox_env() -> dict[str, str]:
    """The environment a user's shell would give `paradox`, minus any PARADOX_DATA override,
    with SOURCE_DATE_EPOCH pinned for the session."""
    env = {k: v for k, v in os.environ.items() if k != "PARADOX_DATA"}
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["SOURCE_DATE_EPOCH"] = PINNED_EPOCH
    return env


LOCKED = "another render of this project is running"


def run_paradox(*args: str, timeout: float = RENDER_TIMEOUT, wait_for_lock: bool = True,
                checkout: Path | None = None) -> subprocess.CompletedProcess:
    """Run `paradox ARGS...` as a user would; never raises on a non-zero exit.

    The renderer allows one render per project at a time (an flock in .render-cache). While
    someone else renders this checkout (a developer, another test run), a render is refused
    with LOCKED; with `wait_for_lock` we wait for them and try again, so a test is not
    failed by a stranger's render. Tests of the lock itself pass wait_for_lock=False.

    With `checkout` (a `checkout_copy`), the command is that copy's own: `python -m paradox`
    run in it, its modules first on the path, so it renders the copy's book, with the copy's
    cache and lock.
    """
    command, cwd, env = [str(PARADOX)], REPO, paradox_env()
    if checkout is not None:
        command, cwd = [sys.executable, "-m", "paradox"], checkout
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout), env.get("PYTHONPATH")]))
    started = time.monotonic()
    while True:
        done = subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd,
            check=False,
        )
        if not (wait_for_lock and done.returncode != 0 and LOCKED in done.stderr):
            break
        if time.monotonic() - started > timeout:
            break
        time.sleep(2)
    done.seconds = time.monotonic() - started
    return done


def explain(done: subprocess.CompletedProcess) -> str:
    """What to show when a `paradox` run did not do what a test expected."""
    return (
        f"`{' '.join(map(str, done.args))}` exited {done.returncode} "
        f"after {getattr(done, 'seconds', 0):.1f}s\n--- stdout ---\n{done.stdout[-4000:]}"
        f"\n--- stderr ---\n{done.stderr[-6000:]}"
    )


def tree_digest(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under root, plus every directory ("<dir>").

    Two folders are byte-identical exactly when their digests are equal: same files, same
    bytes, same (empty) directories.
    """
    digest = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            digest[rel] = f"<symlink to {os.readlink(path)}>"
        elif path.is_dir():
            digest[rel] = "<dir>"
        else:
            digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def digest_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Human-readable differences between two tree digests (empty list: identical)."""
    changes = [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"added {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


def copy_data(dest: Path) -> Path:
    """A private copy of the repository's data/ to corrupt or edit."""
    shutil.copytree(DATA, dest)
    return dest


def checkout_copy(dest: Path) -> Path:
    """This checkout's book and code copied to `dest`, without its data, cache or git history
    (its edition stamp says "commit unknown"), for `run_paradox(checkout=...)`.

    Why: the renderer lets one render of a project run at a time, so every test rendering
    this checkout runs on one pytest-xdist worker, one after another (tests/conftest.py). A
    render from data that changes every chapter's input (the 2013 cut, the edited copy)
    gains nothing from this checkout's warm cache, so it renders a copy, on another worker.
    """
    dest.mkdir(parents=True)
    for name in CHECKOUT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


# What a render of the book reads: the book's sources, the code that computes and renders
# it, the chart library the pages ship (assets/), the data, and the commit (it is printed in
# the edition stamp).
INPUTS = ("_quarto.yml", "index.qmd", "references.bib", "CITATION.cff", "pyproject.toml",
          "chapters", "analysis", "renderer", "paradox", "assets", "data")
# What a checkout needs to render its book from a data folder given with --data.
CHECKOUT = tuple(name for name in INPUTS if name != "data")


def inputs_digest() -> str:
    """One hash of everything a render of the repository's book depends on (see INPUTS).

    Two renders are renders "of the same inputs" only if this is equal before the first and
    after the second - on a shared checkout someone may commit in between.
    """
    h = hashlib.sha256()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    h.update(head.stdout.encode())
    for name in INPUTS:
        root = REPO / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            h.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


# {book folder: inputs digest} for renders whose inputs did not change while they ran.
RENDERED_FROM: dict[Path, str] = {}


def render_pinned(*args: str, out: Path) -> tuple[subprocess.CompletedProcess, str | None]:
    """`paradox render ARGS --out OUT`, with the inputs digest if the inputs stayed the same
    during the render (None if someone changed them meanwhile)."""
    before = inputs_digest()
    done = run_paradox(*args, "--out", str(out))
    same = inputs_digest() == before
    if done.returncode == 0 and same:
        RENDERED_FROM[out] = before
    return done, before if same else None


@pytest.fixture(scope="session")
def good_book(tmp_path_factory) -> Path:
    """The real book, rendered once per test run (HTML + PDF, --fresh) from the repository's data/.

    Once per run, not once per pytest-xdist worker (run_once.py): the first worker that needs
    it renders it into a folder all workers share, and records the inputs digest it was made
    from (for test_determinism.py); the others wait on the lock and read it. Tests only read
    it: what one changes, it copies first.
    """
    home = shared_temp(tmp_path_factory) / "good"
    out = home / "_book"

    def render() -> str | None:
        shutil.rmtree(home, ignore_errors=True)  # what a failed attempt left
        home.mkdir()
        done, pinned = render_pinned(*GOOD_RENDER, out=out)
        assert done.returncode == 0, explain(done)
        return pinned

    pinned = once_per_run(tmp_path_factory, "good_book", render)
    if pinned is not None:
        RENDERED_FROM[out] = pinned
    assert (out / "index.html").exists(), f"no index.html in {out}: {sorted(os.listdir(out))}"
    return out


@dataclass(frozen=True)
class EditedBook:
    out: Path       # the rendered book (HTML + PDF)
    data: Path      # the edited data folder it was rendered from
    year: int       # Peru's latest headline coca year ...
    hectares: int   # ... and its raised area


@pytest.fixture(scope="session")
def edited_book(good_book, tmp_path_factory) -> EditedBook:
    """One render of an edited copy of data/ for two modules, instead of one render each:
    test_hostile_text.py's hostile text (a source title, a claim quote, a country name) and
    test_since.py's new vintage (Peru's latest coca area raised by 1,111 ha). The edits are
    in different cells (sources.csv, article_claims.csv, countries.csv / coca_cultivation.csv)
    and each module asserts only what its own edit does. The edit is recorded as a user would
    (`paradox describe`), `paradox check` passes, and the book is rendered with
    `paradox render --data COPY --since good_book` (HTML + PDF): the hostile text goes through
    both formats and through the "What changed" list that --since adds.

    Every chapter reads an edited file, so the render executes them all whatever the cache
    holds: it renders a `checkout_copy`, off the project renders' worker. Made once per test
    run (run_once.py): the two modules may run on different workers."""
    from .test_hostile_text import plant_hostile_text
    from .test_since import bump_peru_latest_coca

    tmp = shared_temp(tmp_path_factory) / "edited"

    def render() -> EditedBook:
        shutil.rmtree(tmp, ignore_errors=True)  # what a failed attempt left
        data = copy_data(tmp / "data")
        plant_hostile_text(data)
        year, hectares = bump_peru_latest_coca(data)
        described = run_paradox("describe", str(data), timeout=120)
        assert described.returncode == 0, explain(described)
        checked = run_paradox("check", str(data), timeout=120)
        assert checked.returncode == 0, "hostile text and a new coca area are valid data:\n" + explain(checked)
        done = run_paradox("render", "--data", str(data), "--since", str(good_book),
                           "--out", str(tmp / "_book"), checkout=checkout_copy(tmp / "checkout"))
        assert done.returncode == 0, "hostile text must render, literally:\n" + explain(done)
        return EditedBook(tmp / "_book", data, year, hectares)

    return once_per_run(tmp_path_factory, "edited_book", render)


@pytest.fixture(scope="session")
def good_book_digest(good_book) -> dict[str, str]:
    return tree_digest(good_book)


@pytest.fixture
def previous_book(good_book, tmp_path) -> Path:
    """A copy of the good render standing where the next render will write (its own parent
    folder, so anything a render leaves beside it is visible)."""
    out = tmp_path / "site" / "_book"
    shutil.copytree(good_book, out, symlinks=True)
    return out


@pytest.fixture(scope="session")
def claims(good_book) -> list[dict]:
    ledger = json.loads((good_book / "claims.json").read_text(encoding="utf-8"))
    assert isinstance(ledger, list) and ledger, "claims.json must be a non-empty list"
    return ledger
