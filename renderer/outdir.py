"""The output folder: which folders a render may replace, and the swap that replaces one.

A render builds the new book in a temporary folder beside `out_dir` and swaps it in with two
renames. Everything here exists so that the swap can never destroy what a user put there:

- `check_out_dir` refuses, before anything is written or moved, an `out_dir` that is a file,
  a filesystem root, the current directory, the project, the cache, any protected folder (the
  data folder) or an ancestor of one of them, a folder inside a protected folder, and a
  non-empty folder that holds no `MARKER` (the file every book this renderer writes carries).
- The temporary (`<out>.tmp-<random>`) and previous (`<out>.old-<random>`) folders get a random
  suffix, recorded in a journal in the cache folder *before* they are created. Recovery after
  a killed render touches only the folders its journal names: a folder a user called
  `_book.old-v1` is never claimed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from renderer.errors import RenderError

MARKER = ".book-by-renderer"  # written into every book; its presence means "ours to replace"
MARKER_TEXT = "This folder was written by the project's book renderer and is replaced by each render.\n"
JOURNAL = "swap.json"


def check_out_dir(out_dir: Path, project_root: Path, cache_root: Path,
                  protected: tuple[Path, ...] = ()) -> None:
    """Raise RenderError (one sentence) unless `out_dir` is safe to replace with a new book."""
    out = Path(out_dir).resolve()
    if out.parent == out:
        raise RenderError(f"--out {out}: refusing to write a book over a filesystem root")
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out}: is a file, not a folder; name a new or empty folder "
                          "(or a book an earlier render wrote)")
    keep = {"the current folder": Path.cwd().resolve(), "the project folder": Path(project_root).resolve(),
            "the render cache": Path(cache_root).resolve()}
    keep.update({f"the folder {Path(p).resolve()}": Path(p).resolve() for p in protected})
    for what, path in keep.items():
        if out == path or out in path.parents:
            where = "is" if out == path else "contains"
            raise RenderError(f"--out {out}: {where} {what}; a render replaces its whole output "
                              "folder, so name a folder of its own (e.g. _book)")
    for path in protected:
        if Path(path).resolve() in out.parents:
            raise RenderError(f"--out {out}: is inside the folder {Path(path).resolve()}, which a "
                              "render must not change; name a folder elsewhere")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise RenderError(f"--out {out}: folder is not empty and was not written by this renderer "
                          f"(no {MARKER} file in it); nothing was changed. Name a new or empty "
                          "folder, or delete this one yourself if it is an old book")


@dataclass(frozen=True)
class Swap:
    """The two sibling folders of one render, named with a random suffix."""

    out: Path
    tmp: Path
    old: Path

    @classmethod
    def beside(cls, out_dir: Path) -> "Swap":
        """Fresh random names next to `out_dir`."""
        token = secrets.token_hex(6)
        return cls(out_dir, out_dir.with_name(f"{out_dir.name}.tmp-{token}"),
                   out_dir.with_name(f"{out_dir.name}.old-{token}"))


def begin(cache_root: Path, out_dir: Path) -> Swap:
    """Record the names of a new swap in the journal (under the render lock), then return it."""
    swap = Swap.beside(Path(out_dir))
    entries = _read_journal(cache_root)
    entries.append({"out": str(swap.out), "tmp": str(swap.tmp), "old": str(swap.old)})
    _write_journal(cache_root, entries)
    return swap


def write_marker(folder: Path) -> None:
    """Mark a finished book as this renderer's, so a later render may replace it."""
    (Path(folder) / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def finish(cache_root: Path, swap: Swap) -> None:
    """Replace swap.out with swap.tmp: two renames, delete the old copy, close the journal entry."""
    if swap.out.exists():
        swap.out.rename(swap.old)
    try:
        swap.tmp.rename(swap.out)
    except OSError:
        if swap.old.exists() and not swap.out.exists():
            swap.old.rename(swap.out)  # put the previous book back before reporting the error
        raise
    shutil.rmtree(swap.old, ignore_errors=True)
    forget(cache_root, swap)


def abandon(cache_root: Path, swap: Swap) -> None:
    """A failed render: delete its temporary folder (never out or old) and its journal entry."""
    shutil.rmtree(swap.tmp, ignore_errors=True)
    if not swap.old.exists():
        forget(cache_root, swap)


def forget(cache_root: Path, swap: Swap) -> None:
    """Drop the journal entry of `swap`."""
    entries = [e for e in _read_journal(cache_root) if e.get("tmp") != str(swap.tmp)]
    _write_journal(cache_root, entries)


def recover(cache_root: Path) -> None:
    """Undo what killed renders left, touching only the folders the journal names.

    Killed between the two renames of a swap, the previous book is in `old` and `out` is
    missing: rename it back. Then delete the recorded temporary and previous folders.
    """
    for entry in _read_journal(cache_root):
        out, tmp, old = (Path(entry[k]) for k in ("out", "tmp", "old"))
        if old.is_dir() and not out.exists():
            old.rename(out)
        for leftover in (tmp, old):
            shutil.rmtree(leftover, ignore_errors=True)
    _write_journal(cache_root, [])


def _read_journal(cache_root: Path) -> list[dict]:
    """The journal's entries; a missing or unreadable journal is empty (nothing to recover)."""
    try:
        entries = json.loads((Path(cache_root) / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict) and {"out", "tmp", "old"} <= set(e)] \
        if isinstance(entries, list) else []


def _write_journal(cache_root: Path, entries: list[dict]) -> None:
    """Write the journal atomically (or remove it when empty)."""
    path = Path(cache_root) / JOURNAL
    if not entries:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{JOURNAL}.{os.getpid()}")
    tmp.write_text(json.dumps(entries, indent=1), encoding="utf-8")
    os.replace(tmp, path)
