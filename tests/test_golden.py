"""The book prints what it printed: every ledger value and every figure, against a stored copy.

Guards re-layouts (issue 16) and any change that is meant to leave the book alone: a value,
sentence, table or figure that changes fails here, naming what changed. A deliberate change
(new data, a fixed bug, a new value) is recorded with `make golden`, and the diff of
tests/golden/book.json shows the reviewer exactly what the book now says differently.
"""

from __future__ import annotations

import json

from golden.snapshot import GOLDEN, MACHINE, dump, same_value, snapshot, spec_digest


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


def _chart_spec(rows: list[tuple[int, float]]) -> dict:
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame(rows, columns=["x", "y"])).mark_point().encode(
        x="x:Q", y="y:Q").to_dict()


def test_a_figure_digest_ignores_last_digit_differences_that_rename_altairs_datasets():
    # What an AVX-512 Xeon and an AMD EPYC give for one fitted value: the same to 14 digits.
    a = _chart_spec([(0, 29.089712351626723), (1, 1.0)])
    b = _chart_spec([(0, 29.089712351626780), (1, 1.0)])
    assert a["datasets"].keys() != b["datasets"].keys()  # Altair names data by its exact values
    assert spec_digest(a) == spec_digest(b)


def test_a_figure_digest_changes_when_a_plotted_value_or_the_row_order_moves():
    a = _chart_spec([(0, 29.0897), (1, 1.0)])
    assert spec_digest(a) != spec_digest(_chart_spec([(0, 29.0898), (1, 1.0)]))
    assert spec_digest(a) != spec_digest(_chart_spec([(1, 1.0), (0, 29.0897)]))
