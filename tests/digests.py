"""Proof that a step wrote nothing (or exactly the same bytes): a digest of a folder's files."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
