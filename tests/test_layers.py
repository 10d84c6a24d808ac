"""The argument and its presentation stay in their rooms (ARCHITECTURE.md, issue 16).

The argument modules at analysis/ top level are pure functions on the curated tables: they
draw nothing (no Altair), write no Markdown, and know no chapter; analysis/report/ holds what
the book shows. Imports go one way: the argument never imports analysis.report, renderer or
paradox.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parent.parent / "analysis"
ARGUMENT = sorted(p for p in ANALYSIS.glob("*.py") if p.name != "__init__.py")
FORBIDDEN = ("altair", "vl_convert", "analysis.report", "renderer", "paradox", "IPython")


def imported(path: Path) -> set[str]:
    """Every module a file imports, by full dotted name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_the_argument_is_the_modules_it_should_be():
    assert {p.stem for p in ARGUMENT} == {"estimate", "claims", "producers", "markets",
                                          "criminal_economy", "violence", "explanations",
                                          "specifications", "verdicts"}


@pytest.mark.parametrize("path", ARGUMENT, ids=lambda p: p.name)
def test_an_argument_module_draws_nothing_and_knows_no_chapter(path):
    bad = sorted(n for n in imported(path) if n.split(".")[0] in FORBIDDEN or n.startswith(FORBIDDEN))
    assert not bad, f"{path.name} imports {bad}"
    text = path.read_text(encoding="utf-8")
    for word in ("_repr_markdown_", ".qmd", "chapter"):
        assert word not in text, f"{path.name} mentions {word!r}: presentation belongs in analysis/report/"


def test_the_data_layer_knows_no_argument():
    for path in (ANALYSIS / "data").rglob("*.py"):
        bad = sorted(n for n in imported(path) if n.startswith("analysis.")
                     and not n.startswith("analysis.data"))
        assert not bad, f"{path.relative_to(ANALYSIS)} imports {bad}"
