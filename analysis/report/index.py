"""The report in one page, index.qmd: the paradox, six numbers, the two verdicts' heads.

`bundle()` takes its values from the chapter bundles (the page repeats the chapters'
findings, it computes none of its own); `changes()` is the "What changed in this edition"
section the render command writes with `--since`.
"""

from __future__ import annotations

from dataclasses import replace

from analysis.report import (counting_the_dead, criminal_economy, explanations, markets, outlook,
                             paradox)
from analysis.report.citation import EXAMPLE_CLAIM_ID, changes_from_env
from analysis.report.markdown import Markdown
from analysis.report.values import Bundle, branch, year_named


def bundle() -> Bundle:
    """index.qmd: the paradox, six numbers, the two verdicts (values from the chapter bundles)."""
    p, m, e = paradox.bundle(), markets.bundle(), criminal_economy.bundle()
    c, x = counting_the_dead.bundle(), explanations.bundle()
    r = Bundle()
    r.article_year = p.article_year
    r.producer_sentence = branch([
        (p.leader_article_year_sentence.branch == "peru_leads" and p.claim_status_sentence.branch == "claim_lapsed",
         "Peru was the largest grower of coca when the article was written, but it no longer is.",
         "was_largest_no_longer"),
        (p.leader_article_year_sentence.branch == "peru_leads",
         "Peru was the largest grower of coca when the article was written, and still is.", "still_largest"),
        (True, "Peru was not the largest grower of coca even when the article was written.", "never_largest"),
    ], p.peru_area_latest.sources)
    r.lead_sentence = p.lead_article_year_sentence
    hangs = p.seen_margin_sentence.branch in ("seen_lead_hangs_on_measure", "seen_net_peru_only")
    r.seen_lead_sentence = branch([
        (hangs, "In the latest survey the authors could have seen, which country led depends on "
                "the measure read.", "seen_hangs_on_measure"),
        (True, "", "seen_one_leader"),
    ], p.seen_margin_sentence.sources, "paradox: the lead in the latest survey seen (both measures)")
    r.safety_sentence = p.safety_summary
    r.peru_area_latest = p.peru_area_latest
    r.colombia_area_latest = p.colombia_area_latest
    r.latest_coca_year = p.latest_year
    # The first time this number appears in the book; its fixed ledger id is the example of
    # "how to cite a number" in the How to cite appendix.
    r.peru_rate_latest = replace(p.peru_rate_latest, id=EXAMPLE_CLAIM_ID)
    # "Peru's rate was 8.6 per 100,000 (2021), against a median of 8.8": Peru's tag names the year
    r.sa_median_latest = year_named(p.sa_median_latest, p.peru_rate_latest.year)
    r.ministry_count, r.police_count = c.ministry_count, c.police_count
    # "if taken as the count for 2012 ..., is a rate of 33.8 per 100,000": tagged only if the
    # rate's year is not the year the sentence names
    r.ministry_rate, r.police_rate = (year_named(v, x.peru_model_year) for v in (c.ministry_rate, c.police_rate))
    r.break_even_median, r.break_even_vs_published = x.break_even_median, x.break_even_vs_published
    r.break_even_limits = x.break_even_range.with_(point=None)
    r.total_stated = e.total_stated
    r.drugs_read, r.drugs_stated = e.drugs_read, e.drugs_stated
    r.residual_interval = e.residual_interval
    r.us_bound_volume = m.us_bound_volume
    # The verdicts are stated in full once, in chapter 5 (sec-verdicts); the page names them and
    # the shares behind them.
    r.misreading_head, r.complicity_head = x.misreading_head, x.complicity_head
    r.outlier_share, r.n_specs, r.verdict_year = x.outlier_share, x.n_specs, x.peru_model_year
    r.police_clears, r.police_clears_ci = x.police_clears, x.police_clears_ci
    r.police_clears_word, r.police_clears_ci_word = x.police_clears_word, x.police_clears_ci_word
    r.outlier_word, r.n_outliers, r.n_outliers_ihme = x.outlier_word, x.n_outliers, x.n_outliers_ihme
    r.outlier_share_published = x.outlier_share_published
    word = str(x.outlier_latest_word)
    r.latest_lead = branch([
        (word == "not shown", "On the latest data there is little paradox left:", "latest_little_left"),
        (word in ("robust", "mostly"), "On the latest data the paradox holds:", "latest_holds"),
        (True, "On the latest data the paradox is no clearer:", "latest_unclear"),
    ], x.outlier_share_latest.sources, "verdict on Peru as an outlier in the latest year")
    r.outlier_trend_short = outlook.outlier_trend_summary(int(x.peru_model_year.point))
    r.interaction_share, r.n_complicity_specs = x.interaction_share, x.n_complicity_specs
    r.interaction_sentence, r.interaction_contra = x.interaction_sentence, x.interaction_contra
    r.interaction_contra_small = x.interaction_contra_small
    r.min_complicity_obs = x.min_complicity_obs
    return r


def changes() -> Bundle:
    """'What changed in this edition': the render command's diff against an earlier ledger
    (`paradox render --since OLD`), or None when no earlier edition was given."""
    text = changes_from_env()
    r = Bundle()
    r.what_changed = Markdown("## What changed in this edition\n\n" + text) if text else None
    return r
