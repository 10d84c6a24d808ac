"""What the book prints, computed in-process: the golden file's content, and `make golden`.

Why in-process: every number and data-chosen sentence of the book is a bundle value
(analysis/report/<chapter>.py) whose `_repr_claim_()` is exactly what the renderer writes into
the claims ledger (value, interval, unit, year, sources, text, branch), and every figure is a
figure function whose Vega-Lite spec is what the renderer embeds. Computing them here takes
seconds where a full render takes a minute, and gives the same values (the re-layout of issue
16 was checked both ways: the rendered ledger and specs were byte-identical too).

Left out, because they depend on the machine or the moment, not on code and data: appendix D's
commit, Python version, working-copy state and package versions.

    make golden     # rewrite tests/golden/book.json after a deliberate change (review the diff)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "book.json"
MACHINE = {("a4-reproducibility", n) for n in ("commit", "python_version", "dirty_sentence",
                                                "packages_table")}
ENVIRONMENT = ("PARADOX_DATA", "PARADOX_EDITION", "PARADOX_EDITION_FILE", "PARADOX_CHANGES_FILE")


def value(v):
    """A bundle value as the ledger (or the page) holds it."""
    if hasattr(v, "_repr_claim_"):
        return v._repr_claim_()
    if hasattr(v, "to_markdown"):
        return v.to_markdown()
    return None if v is None else str(v)


def spec_digest(spec: dict) -> str:
    """sha256 of a figure's Vega-Lite spec, keys sorted (the spec holds its data inline)."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


def snapshot(bundles: dict, specs: dict) -> dict:
    """{"bundles": {stem: {name: value}}, "figures": {name: digest}} of built bundles and specs."""
    return {"bundles": {stem: {n: value(getattr(b, n)) for n in b.names() if (stem, n) not in MACHINE}
                        for stem, b in sorted(bundles.items())},
            "figures": {name: spec_digest(spec) for name, spec in sorted(specs.items())}}


def build() -> dict:
    """The snapshot of the repository's data/, outside any render (no edition, no changes)."""
    for key in ENVIRONMENT:
        os.environ.pop(key, None)
    from analysis.report import book

    return snapshot({stem: make() for stem, make in book.BUNDLES.items()},
                    {name: make().to_dict() for name, make in book.FIGURES.items()})


def dump(snap: dict) -> str:
    return json.dumps(snap, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    GOLDEN.write_text(dump(build()), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(Path.cwd()) if GOLDEN.is_relative_to(Path.cwd()) else GOLDEN}; "
          "review `git diff` before committing", file=sys.stderr)
