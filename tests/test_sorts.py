"""Sorts with ties give the same order on every machine.

pandas sorts on one column with NumPy's quicksort unless told otherwise, and NumPy picks that
sort's kernel by CPU: on an AVX-512 Xeon it is x86-simd-sort, which orders equal keys
differently from the AVX2 kernel. Measured on this project's data before the fix: the data rows of
figure 1.2 came out in another order on the two, and `violence.gsh_ranks` chooses a row per
country by which comes first after such a sort. A stable
sort keeps ties in the order the curated tables hold them (by country code, then year) everywhere.
Sorts on several columns are stable already (pandas uses lexsort for them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parent.parent / "analysis"
SOURCES = sorted(ANALYSIS.rglob("*.py"))


def one_column_sorts_without_a_stable_kind(path: Path) -> list[int]:
    """Lines of `path` that call .sort_values on one key, or .argsort, without kind="stable"
    (a key held in a variable counts as one: the check cannot see how many it names)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("sort_values", "argsort")):
            continue
        by = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "by"), None)
        several = isinstance(by, (ast.List, ast.Tuple)) and len(by.elts) > 1
        kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
        stable = isinstance(kind, ast.Constant) and kind.value in ("stable", "mergesort")
        if not stable and (node.func.attr == "argsort" or not several):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ANALYSIS)))
def test_every_one_column_sort_is_stable(path):
    lines = one_column_sorts_without_a_stable_kind(path)
    assert not lines, f"{path.relative_to(ANALYSIS.parent)} lines {lines}: add kind=\"stable\""


def test_the_check_finds_an_unstable_sort(tmp_path):
    # The check above can fail: it flags the forms the analysis modules use.
    f = tmp_path / "m.py"
    f.write_text('t.sort_values("z")\nt.sort_values(["a"])\nt.sort_values(by="z", ascending=False)\n'
                 't.sort_values("z", kind="stable")\nt.sort_values(["a", "b"])\n')
    assert one_column_sorts_without_a_stable_kind(f) == [1, 2, 3]
