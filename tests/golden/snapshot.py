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
import math
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


# Model fits (statsmodels over OpenBLAS) differ in the last digits between CPUs: OpenBLAS picks
# its kernels by CPU (AVX-512 on one machine, AVX2 on another), and sums in another order.
# Measured: the machine that first recorded this copy and an AMD EPYC without AVX-512 agree on
# every printed text but differ by up to 4e-14 relative in the model values behind them (e.g.
# Peru's z -2.0284990057639725 against -2.0284990057639667). The golden copy compares what the
# code means, not the CPU.
VALUE_REL_TOL = 1e-9
SPEC_DIGITS = 6  # significant digits of each number in a figure spec before it is hashed


def _mapped(v, leaf):
    """`v` with `leaf` applied to every dict key and every value that is not a dict or a list."""
    if isinstance(v, dict):
        return {leaf(k): _mapped(x, leaf) for k, x in v.items()}
    if isinstance(v, list):
        return [_mapped(x, leaf) for x in v]
    return leaf(v)


def _sha256(v) -> str:
    """sha256 of `v` as JSON with its keys sorted."""
    return hashlib.sha256(json.dumps(v, sort_keys=True).encode("utf-8")).hexdigest()


def spec_digest(spec: dict) -> str:
    """sha256 of a figure's Vega-Lite spec (it holds its data inline), keys sorted, every number
    rounded to SPEC_DIGITS significant digits: a plotted value must move by about one part in a
    million to change the digest, far less than a chart can show and far more than CPUs differ by
    (a machine difference crosses a rounding edge with odds of about 1e-8 per number).

    Altair names each inline dataset by a hash of its exact values ("data-<md5>"), so a
    last-digit difference renames it; each name is replaced by a hash of its rounded rows first
    (measured: figure 5.1's names differ between an AVX-512 Xeon and the same code with AVX-512
    turned off, while its rounded rows are the same)."""
    rounded = _mapped(spec, lambda x: float(f"{x:.{SPEC_DIGITS}g}") if isinstance(x, float) else x)
    names = {name: f"data-{_sha256(rows)[:32]}" for name, rows in rounded.get("datasets", {}).items()}
    return _sha256(_mapped(rounded, lambda x: names.get(x, x) if isinstance(x, str) else x))


def same_value(a, b) -> bool:
    """True if two stored bundle values are equal: texts exactly, floats within VALUE_REL_TOL."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=VALUE_REL_TOL)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return a == b


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
