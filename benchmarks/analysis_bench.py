"""Time every model and simulation of the analysis package on the real data.

Budget: all of them together in under 5 s on this machine (issue 10 raised issue 3's 2 s when
the specification curves came in: about 130 model fits instead of 4). A benchmark, not a
test: it prints a table (median of `--repeat` runs after one warm-up run) and the total
against the budget, and exits 0 either way. Run: `.venv/bin/python benchmarks/analysis_bench.py`.

On a busy 2-core machine multi-threaded BLAS contends with other processes and the model
fits can take several times longer; `OPENBLAS_NUM_THREADS=1` gives the steady figure.
"""

from __future__ import annotations

import argparse
import statistics
import time

from analysis import criminal_economy as ce
from analysis import explanations as ex
from analysis import markets as mk
from analysis import producers as pr
from analysis import specifications as sp
from analysis import violence as vi
from analysis.data import load

BUDGET_S = 5.0
TABLES = ["homicide", "population", "cocaine_seizures", "countries", "corruption",
          "article_claims", "coca_cultivation", "cocaine_use"]


def steps(t: dict) -> dict:
    """Name -> zero-argument callable: each model or simulation the book runs."""
    claims = t["article_claims"]
    series = mk.seizure_series(t["cocaine_seizures"], t["countries"])
    return {
        "producers: ranks, shares, sensitivity": lambda: (
            pr.rank_table(t["coca_cultivation"]), pr.measure_sensitivity(t["coca_cultivation"])),
        "markets: seizure series": lambda: mk.seizure_series(t["cocaine_seizures"], t["countries"]),
        "markets: growth OLS+HAC x 3 markets x 2 periods": lambda: (
            mk.growth_table(series), mk.growth_table(series, end=2012)),
        "markets: users table": lambda: mk.users_table(t["cocaine_use"], t["population"]),
        "criminal economy: interval arithmetic": lambda: (
            ce.implied_gold(claims), ce.residual_range(claims), ce.consistency_table(claims)),
        "criminal economy: Monte Carlo 100,000 draws + summary": lambda: ce.simulation_summary(
            ce.simulate(claims)),
        "violence: ranks under each figure, series gap": lambda: (
            vi.peru_rank_scenarios(t["homicide"], t["population"], t["countries"], claims),
            vi.peru_gap_vs_peers(t["homicide"], t["countries"])),
        "explanations: both GLMs + evidence table (analyse)": lambda: ex.analyse(t),
        "explanations: police-series GLM (robustness)": lambda: ex.fit_model(ex.build_panel(
            t["homicide"], t["population"], t["cocaine_seizures"], t["countries"],
            series="criminal_justice")),
        "specifications: both curves + corruption positions + verdicts": lambda: sp.curve_verdicts(
            sp.curves(t), 2012, sp.peru_counts(t, 2012)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    t0 = time.perf_counter()
    tables = {n: load(n) for n in TABLES}
    load_s = time.perf_counter() - t0
    rows = []
    for name, fn in steps(tables).items():
        fn()  # warm-up (imports, caches)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times), max(times)))
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'median s':>9}  {'max s':>7}")
    for name, med, mx in rows:
        print(f"{name:<{width}}  {med:>9.3f}  {mx:>7.3f}")
    total = sum(r[1] for r in rows)
    verdict = "within" if total < BUDGET_S else "OVER"
    print(f"{'total (medians)':<{width}}  {total:>9.3f}  -> {verdict} the {BUDGET_S:.0f} s budget")
    print(f"(loading {len(TABLES)} tables, first time: {load_s:.3f} s, not counted)")


if __name__ == "__main__":
    main()
