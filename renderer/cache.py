"""The data-aware cache in `<project>/.render-cache/`.

Quarto's `freeze` keys on the source only and misses data changes (quarto-cli#6793). Here a
chapter's executed notebook is stored with the sha256 of every file it opened, every
directory it listed and every project module it imported (recorded by renderer.kernel while
it ran). It is reused only if its key (source, renderer source, environment, execute
defaults) matches AND every recorded hash still matches - so reuse can never show stale
numbers. Pandoc and Typst outputs are cached by the hash of all their inputs.

Recorded paths are stored relative to the project folder, with the folder the run happened
in, so a copied project (cache included) can reuse its runs: in another folder a recorded
file must hash the same both where the copy has it and where the run read it (the chapter
may have opened it by a path relative to the project, or by its absolute path); a project
moved away from the folder its runs read re-executes them.

Files and folders the chapters find through environment variables named in
`render_book(placeless=...)` - the data folder, the edition file - are keyed by content, not
by place: such a variable's value is keyed as `<NAME>`, and what is read there is recorded
relative to it (`<NAME>/x.csv`) and checked where the variable points in the next render. So
the same data in another folder (a user's copy, `paradox update`'s staging folder, the two
folders `paradox diff` compares) reuses every run, and a changed file re-executes exactly the
chapters that read it. This is sound because a chapter reaches those inputs only through the
variable, and no page prints their paths (tests/e2e/test_since.py checks the book). One key
can therefore have several runs, one per content read; each is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from pathlib import Path

import nbformat

from renderer.notebook import RECORD_TAG, stdout, tags

RENDERER_DIR = Path(__file__).resolve().parent
# Runs kept per chapter: the book's own data and a few others (a data cut, `paradox diff`'s
# two folders, an edited copy) without evicting it; least recently used go first.
KEEP_PER_CHAPTER = 8


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Hex sha256 of a file's content, or None if it does not exist (absence is a state too)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def listing_hash(path: Path) -> str | None:
    """Hash of a directory's sorted entry names (a new or removed file changes it)."""
    try:
        return sha256_bytes("\n".join(sorted(os.listdir(path))).encode())
    except (FileNotFoundError, NotADirectoryError):
        return None


_renderer_hash: str | None = None


def renderer_hash() -> str:
    """Hash of the renderer's own files: changing the renderer invalidates every chapter."""
    global _renderer_hash
    if _renderer_hash is None:
        digest = hashlib.sha256()
        for path in sorted(RENDERER_DIR.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(RENDERER_DIR)).encode())
                digest.update(path.read_bytes())
        _renderer_hash = digest.hexdigest()
    return _renderer_hash


_packages_hash: str | None = None


def packages_hash() -> str:
    """Hash of the installed distributions (name==version): a library upgrade is a change too.

    Files inside site-packages are not tracked one by one (thousands of them are opened by
    every import); their versions are, here.
    """
    global _packages_hash
    if _packages_hash is None:
        from importlib.metadata import distributions

        names = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
        _packages_hash = sha256_bytes("\n".join(names).encode())
    return _packages_hash


def placed(env: dict, placeless) -> dict[str, Path]:
    """{variable: the absolute path it names} for the variables in `placeless` that `env` sets
    to an absolute path: the inputs keyed by content, not place."""
    return {name: Path(os.path.abspath(env[name])) for name in placeless
            if name in env and os.path.isabs(env[name])}


def chapter_key(rel: str, source: str, env: dict, defaults: dict, places: dict | None = None) -> str:
    """What must be identical for a stored execution to be a candidate for reuse.

    The project's folder is not part of it: where the files a run read must be checked, in a
    copy of the project, is ChapterCache's business (it keeps the folder with the run). Nor
    are the `places` (see `placed`): a variable naming one is keyed as `<NAME>`.
    """
    env = {k: f"<{k}>" if k in (places or {}) else v for k, v in sorted(env.items())}
    parts = {
        "chapter": rel, "source": source, "env": env, "defaults": defaults,
        "renderer": renderer_hash(), "python": sys.version, "executable": sys.executable,
        "packages": packages_hash(),
    }
    return sha256_bytes(json.dumps(parts, sort_keys=True, default=str).encode())


class ChapterCache:
    """Stored executions of chapters of the project in `project`, one JSON file per (chapter,
    key, content read); what is read in `places` ({variable: path}, see `placed`) is recorded
    and checked relative to the place."""

    def __init__(self, root: Path, project: Path, places: dict | None = None):
        self.dir = Path(root) / "chapters"
        self.project = Path(project).resolve()
        self.places = dict(places or {})

    def _prefix(self, rel: str, key: str) -> str:
        """The start of the file names of a chapter's runs under one key."""
        return f"{rel.replace('/', '__').replace('.qmd', '')}--{key[:24]}--"

    def lookup(self, rel: str, key: str) -> nbformat.NotebookNode | None:
        """A stored notebook whose key matches and nothing it read has changed, else None.

        One key may have several runs, one per content of what they read: the same chapter
        rendered from two data folders (`paradox diff`, a data cut) keeps both, newest first."""
        for path in sorted(self.dir.glob(self._prefix(rel, key) + "*.json"),
                           key=lambda p: p.stat().st_mtime_ns, reverse=True):
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                continue
            if entry.get("key") == key and self._fresh(entry):
                path.touch()  # used now: the last to be pruned
                return self._read_here(entry, nbformat.from_dict(entry["notebook"]))
        return None

    def _read_here(self, entry: dict, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """The notebook with its record of what was read naming the files where this render
        has them (the run may have read them in a copy of the project or of the data)."""
        here = lambda p: os.path.normpath(self._where(p, {self.project})[0])  # noqa: E731
        for cell in nb.cells:
            printed = stdout(cell)
            if RECORD_TAG in tags(cell) and printed.strip():
                record = json.loads(printed)
                record["files"] = sorted(here(p) for p in entry["files"])
                record["dirs"] = sorted(here(p) for p in entry["dirs"])
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=json.dumps(record) + "\n")]
        return nb

    def _fresh(self, entry: dict) -> bool:
        """True if every recorded file and directory listing still hashes the same: in this
        project, and also in the folder the run happened in if that is another one (a copy)."""
        roots = {self.project, Path(entry.get("root") or self.project)}
        checks = ((sha256_file, entry["files"]), (listing_hash, entry["dirs"]))
        places = {p: self._where(p, roots) for _, recorded in checks for p in recorded}
        return all(places[p] is not None and all(digest(w) == h for w in places[p])
                   for digest, recorded in checks for p, h in recorded.items())

    def _where(self, recorded: str, roots: set[Path]) -> list[Path] | None:
        """Where a recorded path must be checked: in this render's place `<NAME>` (None if
        this render has no such place), or in each root."""
        head, _, rest = recorded.partition("/")
        if head.startswith("<") and head.endswith(">"):
            place = self.places.get(head[1:-1])
            return None if place is None else [place / rest if rest else place]
        return [r / recorded for r in roots]

    def _relative(self, path: str) -> str:
        """A recorded absolute path, relative to the deepest place holding it (`<NAME>/...`),
        else to the project folder (`..` where outside it)."""
        holding = [(name, place) for name, place in self.places.items()
                   if path == str(place) or path.startswith(str(place) + os.sep)]
        if holding:
            name, place = max(holding, key=lambda held: len(str(held[1])))
            rest = os.path.relpath(path, place)
            return f"<{name}>" if rest == "." else f"<{name}>/{Path(rest).as_posix()}"
        return Path(os.path.relpath(path, self.project)).as_posix()

    def store(self, rel: str, key: str, nb: nbformat.NotebookNode, record: dict) -> None:
        """Save an execution with the hashes of what it read (written atomically), beside
        the other runs under its key that read other content."""
        files = {self._relative(p): sha256_file(Path(p)) for p in record.get("files", [])}
        dirs = {self._relative(p): listing_hash(Path(p)) for p in record.get("dirs", [])}
        read = sha256_bytes(json.dumps([files, dirs], sort_keys=True).encode())
        entry = {"key": key, "root": str(self.project), "files": files, "dirs": dirs, "notebook": nb}
        path = self.dir / f"{self._prefix(rel, key)}{read[:16]}.json"
        write_atomic(path, json.dumps(entry).encode())
        self._prune(path)

    def forget(self, rel: str, key: str) -> None:
        """Drop the stored runs under a key (the chapter turned out to read inputs the hook
        cannot see)."""
        for path in self.dir.glob(self._prefix(rel, key) + "*.json"):
            path.unlink(missing_ok=True)

    def _prune(self, keep: Path) -> None:
        """Keep only the most recently used few runs of a chapter (other data, older sources)."""
        prefix = keep.name.split("--")[0] + "--"
        entries = sorted(self.dir.glob(prefix + "*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP_PER_CHAPTER:]:
            old.unlink(missing_ok=True)


class OutputCache:
    """Content-addressed store for outputs of deterministic tools (pandoc, typst, vl-convert).

    Keys hold the renderer's own source too (`renderer_hash`): cards and the PDF are made by
    renderer code, and a changed renderer must not be served an output of the old one.
    fresh=True (`render_book(fresh=True)`, `paradox render --fresh`): nothing stored before
    this render is read - every output is made again (and stored for later renders); within
    the render, an output made once is reused.
    """

    def __init__(self, root: Path, fresh: bool = False):
        self.dir = Path(root) / "outputs"
        self.fresh = fresh
        self.used: set[Path] = set()
        self.made: set[Path] = set()

    def get_or_make(self, kind: str, key_parts: list, make) -> bytes:
        """Return the cached bytes for these inputs, or call `make()` and store its bytes."""
        digest = hashlib.sha256(kind.encode() + b"\0" + renderer_hash().encode())
        for part in key_parts:
            digest.update(b"\0" + (part if isinstance(part, bytes) else str(part).encode()))
        path = self.dir / kind / digest.hexdigest()
        self.used.add(path)
        if not self.fresh or path in self.made:
            try:
                return path.read_bytes()
            except FileNotFoundError:
                pass
        data = make()
        write_atomic(path, data)
        self.made.add(path)
        return data

    def prune(self) -> None:
        """Drop entries of the kinds used in this render that this render did not use."""
        for kind_dir in {p.parent for p in self.used}:
            for path in kind_dir.iterdir():
                if path not in self.used and not path.name.startswith("."):
                    path.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so an interrupted write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
