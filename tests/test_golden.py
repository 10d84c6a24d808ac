"""The book prints what it printed: every ledger value and every figure, against a stored copy.

Guards re-layouts (issue 16) and any change that is meant to leave the book alone: a value,
sentence, table or figure that changes fails here, naming what changed. A deliberate change
(new data, a fixed bug, a new value) is recorded with `make golden`, and the diff of
tests/golden/book.json shows the reviewer exactly what the book now says differently.
"""

from __future__ import annotations

import json

from golden.snapshot import GOLDEN, MACHINE, dump, same_value, snapshot


def test_bundles_and_figures_match_the_golden_copy(book_bundles, figure_specs, monkeypatch):
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = json.loads(dump(snapshot(book_bundles, figure_specs)))
    changed = sorted(f"{stem}.{name}" for stem in set(stored["bundles"]) | set(now["bundles"])
                     for name in set(stored["bundles"].get(stem, {})) | set(now["bundles"].get(stem, {}))
                     if not same_value(stored["bundles"].get(stem, {}).get(name, "<absent>"),
                                       now["bundles"].get(stem, {}).get(name, "<absent>")))
    figures = sorted(n for n in set(stored["figures"]) | set(now["figures"])
                     if stored["figures"].get(n) != now["figures"].get(n))
    assert not changed and not figures, (
        f"the book changed: values {changed}, figures {figures}. If deliberate, run `make golden` "
        f"and commit tests/golden/book.json with the change.")


def test_machine_values_are_the_only_ones_left_out(book_bundles):
    # Everything else a chapter shows is in the golden copy: a new value is guarded at once.
    left_out = {(stem, n) for stem, b in book_bundles.items() for n in b.names()} - {
        (stem, n) for stem, names in json.loads(GOLDEN.read_text(encoding="utf-8"))["bundles"].items()
        for n in names}
    assert left_out == MACHINE
