"""explanations.points_below_line: how many other country-years lie below the yardstick
model's line, below half of it, and as far below as Peru (figure 5.1's finding)."""

from __future__ import annotations

from analysis import explanations as ex


def test_counts_on_the_repository_data(real_findings):
    # Counted by hand from the figure's points (observed_vs_predicted, 2012 findings):
    # 715 other country-years; 475 with observed < predicted; 309 under half; Peru's 2012
    # ratio 0.2289, and 65 others at or under it (66 under the rounded 0.23: 0.2299 counts
    # then). Peru's 11 years, 2011-2021, run from 0.197 to 0.407.
    got = ex.points_below_line(real_findings)
    assert (got["n_others"], got["below"], got["below_half"], got["as_far_below"]) == (715, 475, 309, 65)
    assert round(got["peru_ratio"], 4) == 0.2289
    assert (round(got["peru_min"], 3), round(got["peru_max"], 3), got["peru_years"]) == (0.197, 0.407, 11)


def test_counts_match_the_points_the_figure_draws(real_findings):
    d, _ = ex.observed_vs_predicted(real_findings)
    d = d.assign(ratio=d["rate_per_100k"] / d["predicted"])
    others = d.loc[~d["peru"], "ratio"].tolist()
    peru = dict(zip(d.loc[d["peru"], "year"], d.loc[d["peru"], "ratio"]))
    own = peru[real_findings.year]
    got = ex.points_below_line(real_findings)
    assert got["n_others"] == len(others)
    assert got["below"] == sum(1 for x in others if x < 1)
    assert got["below_half"] == sum(1 for x in others if x < 0.5)
    assert got["as_far_below"] == sum(1 for x in others if x <= own)
    # nested: as far below as Peru (under 0.5) <= under half <= below the line <= all
    assert got["as_far_below"] <= got["below_half"] <= got["below"] <= got["n_others"]
    assert got["peru_min"] <= got["peru_ratio"] <= got["peru_max"]
    assert got["peru_ratio"] == real_findings.prediction["ratio"].point
