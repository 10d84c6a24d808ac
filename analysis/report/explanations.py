"""Chapter 5, chapters/05-explanations.qmd: the two explanations, tested.

`bundle()` holds the chapter's named values, its evidence table and the two verdicts; the
figures are `model_fit`, `spec_curve` and `corruption_peru_peers`. The headline model (one
point of the curve) comes from analysis/explanations.py (`findings()`); the specification
curves and the verdicts read from them come from analysis/specifications.py and
analysis/verdicts.py (`reading()`). This module picks, labels and words; it computes no
statistic.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import explanations as ex
from analysis import specifications as sp
from analysis import violence
from analysis.data import data_dir, load
from analysis.estimate import Branch, Estimate, choose, format_number, year_span
from analysis.report import counting_the_dead, theme
from analysis.report.markdown import Table
from analysis.report.values import (ARTICLE_SOURCE, FOCUS, PERU, Bundle, as_count, as_year,
                                    branch, country_names, join, missing, year_named)
from analysis.verdicts import MOSTLY as RULE_MOSTLY, ROBUST, SPLIT, STRENGTH, Verdict, verdict_from_flags


EXPLANATION_TABLES = ("homicide", "population", "cocaine_seizures", "countries", "corruption",
                      "article_claims")
CURVE_TABLES = EXPLANATION_TABLES + ("coca_cultivation",)
MOSTLY = STRENGTH.index("mostly")  # a verdict at least this strong: "in most specifications"


def findings() -> "ex.Findings":
    """Both explanations computed once per data folder (explanations.analyse); the chapter,
    the summary and appendices A and B all read them, so a session computes them once."""
    return _findings(_folder_key())


@functools.lru_cache(maxsize=2)
def _findings(key: tuple) -> "ex.Findings":
    return ex.analyse({name: load(name) for name in EXPLANATION_TABLES})


# --- the specification curves, read once per data folder ---------------------------------------

@dataclass(frozen=True)
class Reading:
    """The curves and what the chapter reads from them for the year of the article's counts.

    year: the year of the article's two counts; counts: Peru's counts that year
    (specifications.peru_counts); verdicts: specifications.curve_verdicts; break_even: the
    break-even range; positions: specifications.counts_against_break_even.
    """

    year: int
    curves: sp.Curves
    counts: dict
    verdicts: dict
    break_even: Estimate
    positions: pd.DataFrame


def _folder_key() -> tuple:
    """The data folder and its files' modification times: a new vintage is a new key."""
    folder = data_dir()
    return str(folder), tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))


@functools.lru_cache(maxsize=2)
def _reading(key: tuple) -> Reading:
    tables = {name: load(name) for name in CURVE_TABLES}
    year = violence.claimed_rates(tables["article_claims"], tables["population"])["interior"].year
    c = sp.curves(tables)
    counts = sp.peru_counts(tables, year)
    return Reading(year, c, counts, sp.curve_verdicts(c, year, counts),
                   sp.break_even_range(c.misreading, year),
                   sp.counts_against_break_even(c.misreading, counts, year).set_index("figure"))


def reading() -> Reading:
    """The specification curves of the current data folder (computed once per folder)."""
    return _reading(_folder_key())


def share(v: Verdict, sources, what: str) -> Estimate:
    """The percent of specifications behind a verdict, as a number the ledger records."""
    return Estimate(v.share, unit="percent", digits=0, sources=tuple(sources),
                    method=f"{v.supporting} of {v.n} specifications: {what}. Verdict: {v} "
                           f"(rule: analysis/verdicts.py).")


def worded(v: Verdict, sentences: dict[str, str], label: str, sources) -> Branch:
    """The sentence for a verdict's word (data-chosen: a new vintage can change the word).

    `sentences` maps each verdict word the finding can take to its sentence; a word without
    a sentence is a bug (ValueError), not a silent fallback.
    """
    if v.word not in sentences:
        raise ValueError(f"{label}: no sentence for the verdict {v.word!r}")
    return Branch(text=sentences[v.word], branch=f"{label}:{v.word}",
                  sources=tuple(dict.fromkeys(sources)), method=f"{v} (analysis/verdicts.py)")


OUTLIER_SENTENCES = {  # "recorded or modelled": the curve's series include IHME's model
    "robust": "Robust: on its recorded or modelled rate Peru is an unusually peaceful outlier "
              "whichever defensible yardstick is used.",
    "mostly": "Mostly: on its recorded or modelled rate Peru is an unusually peaceful outlier "
              "under most defensible yardsticks, though not all.",
    "fragile": "Fragile: whether Peru's recorded or modelled rate makes it an unusually peaceful "
               "outlier depends on the analyst's choices, and the specifications split.",
    "not shown": "Not shown: under hardly any defensible yardstick does Peru's recorded or "
                 "modelled rate make it an outlier.",
}
PREMISE_SENTENCES = {
    "robust": "Across the fitted models more drugs go clearly with more homicide, so the "
              "yardstick has footing.",
    "mostly": "In most fitted models more drugs go clearly with more homicide, so the yardstick "
              "has some footing.",
    **dict.fromkeys(("fragile", "not shown"),
                    "In most fitted models the drug measure cannot be told from zero, so the "
                    "yardstick is in effect the regional average for the year: Peru is compared "
                    "with its neighbours, not with what its drug economy would predict."),
    **dict.fromkeys(("contradicted", "mostly contradicted"),
                    "In most fitted models more drugs go with fewer homicides, so the yardstick "
                    "cannot say that Peru should be violent."),
}
INTERACTION_SENTENCES = {
    "robust": "Across the specifications, where corruption is higher drugs go with fewer "
              "homicides, as the complicity explanation predicts.",
    "mostly": "In most specifications, where corruption is higher drugs go with fewer homicides, "
              "as the complicity explanation predicts.",
    "fragile": "The specifications split on whether corruption weakens the link between drugs "
               "and violence.",
    "not shown": "In hardly any specification is the interaction clearly negative (its interval "
                 "below zero), as the complicity explanation predicts; the intervals are wide, "
                 "so the data can neither show that corruption weakens the link between drugs "
                 "and violence nor rule it out.",
    "mostly contradicted": "In most specifications corruption strengthens the link between drugs "
                           "and violence, the opposite of what the complicity explanation "
                           "predicts.",
    "contradicted": "Across the specifications corruption strengthens the link between drugs and "
                    "violence, the opposite of what the complicity explanation predicts.",
}
EFFECT_SENTENCES = {
    **dict.fromkeys(("robust", "mostly"), "More corrupt countries do have more homicides, in "
                                          "most specifications clearly so."),
    **dict.fromkeys(("fragile", "not shown"), "Whether more corrupt countries have more "
                                              "homicides is not clear across the "
                                              "specifications."),
    **dict.fromkeys(("contradicted", "mostly contradicted"), "More corrupt countries have fewer "
                                                             "homicides in most specifications."),
}


def _at_least_mostly(v: Verdict) -> bool:
    return v.strength >= MOSTLY


def _misreading(x: Reading) -> tuple[str, str, str]:
    """(label, head, rest) of the verdict on the first explanation.

    The article's first explanation is violence that analysts miss; its evidence, the
    ministry's count, has no published series, so no curve can test it: the head says so, and
    the rest gives the verdict words (analysis/verdicts.py) on what the published data can show.
    """
    v = x.verdicts
    out = v["peru_outlier"]
    if out.word == "not shown":
        return ("mis_not_needed", "Not needed",
                "on the published figures Peru is not an outlier in most specifications, so there "
                "is little for the first explanation to explain.")
    police, police_ci = v.get("police_published_clears"), v.get("police_published_clears_ci")
    on_police = ("" if police is None or police_ci is None else
                 f', and whether the UNODC police count makes Peru ordinary is "{police.word}" '
                 f'against the point break-evens but "{police_ci.word}" against the upper ends '
                 f'of their intervals' if police.word != police_ci.word else
                 f', and whether the UNODC police count makes Peru ordinary is "{police.word}", '
                 f'against the point break-evens and the upper ends of their intervals alike')
    return ("mis_untestable", "Untestable with public data",
            f'the paradox itself is "{out.word}" across the specifications{on_police}. Whether '
            f"violence between producers, dealers and exporters escapes every count, the "
            f"article's point, no public series can show.")


def _corruption_position(x: Reading, with_ranks: bool = True) -> tuple[str, str]:
    """(label, clause) for Peru's corruption on the world and the South American scale. On the
    South American scale a side is named only if the ranks the WGI standard errors allow
    (rank_low-rank_high) all fall in one half; if they straddle the middle Peru is "about at
    the South American median". The ranks, and TI's rank, follow in brackets unless
    `with_ranks` is False (where the sentences before have just given them)."""
    pos = x.curves.corruption
    here = pos.loc[pos["year"] == x.year]
    world = here.loc[here["scale"] == "world"]
    sa = here.loc[(here["scale"] == "south_america") & (here["indicator"] == "wgi_cc_est")]
    cpi = here.loc[(here["scale"] == "south_america") & (here["indicator"] == "cpi_0_100")]
    if world.empty or sa.empty:
        return "position_unknown", "Peru's corruption position for that year is not in the data."
    row = sa.iloc[0]
    w, s = bool(world["more_corrupt_than_half"].iloc[0]), bool(row["more_corrupt_than_half"])
    half = row["n"] / 2
    straddles = (not pd.isna(row["rank_low"]) and not pd.isna(row["rank_high"])
                 and row["rank_low"] <= half < row["rank_high"])
    rank = lambda v: Estimate(int(v), unit="rank", sources=("wb_wgi",))  # noqa: E731
    ranks = f"{rank(row['rank'])} of {as_count(int(row['n']))} from the most corrupt"
    if not pd.isna(row["rank_low"]):
        ranks += (f", {Estimate(None, int(row['rank_low']), int(row['rank_high']), unit='rank')} "
                  f"within its standard errors")
    if not cpi.empty:
        ranks += f"; {rank(cpi['rank'].iloc[0])} on Transparency International's"
    ranks = f" ({ranks})" if with_ranks else ""
    world_side = "corrupt" if w else "clean"
    world_text = f"In {x.year} Peru was {'more corrupt' if w else 'cleaner'} than the world's median country"
    if straddles:
        return (f"{world_side}_world_median_region",
                f"{world_text} {'but' if w else 'and'} about at the South American median on the "
                f"World Bank index{ranks}.")
    region_side = "corrupt" if s else "clean"
    label = f"{world_side}_world_" + ("and_region" if w == s else f"{region_side}_region")
    return label, (f"{world_text} {'and' if w == s else 'but'} in the "
                   f"{'more corrupt' if s else 'cleaner'} half of South America on the World "
                   f"Bank index{ranks}.")


PACT = ("Corruption indices cannot test the article's mechanism, a pact between traffickers and "
        "officials, at all: they measure perceived corruption in general.")


def _interaction_text(i: Verdict) -> str:
    """The interaction verdict's sentence, saying "none of the N" rather than "hardly any"
    when no specification at all has the interaction clearly negative (a count of zero is
    stated as zero)."""
    text = INTERACTION_SENTENCES[i.word]
    if i.word == "not shown" and i.supporting == 0:
        text = text.replace("In hardly any specification is",
                            f"In none of the {as_count(i.n)} specifications is")
    return text


def _complicity(x: Reading) -> tuple[str, str, str]:
    """(label, head word, rest) of the verdict on the second explanation."""
    i = x.verdicts["interaction"]
    pos_label, pos = _corruption_position(x)
    if i.strength >= MOSTLY:
        head = "Supported on the regional data"
    elif i.word in ("contradicted", "mostly contradicted"):
        head = "Contradicted on the regional data"
    else:
        head = "Unproven"
    rest = " ".join([_interaction_text(i),
                     EFFECT_SENTENCES[x.verdicts["corruption_effect"].word], pos, PACT])
    return f"com_{i.word.replace(' ', '_')}:{pos_label}", head, rest


def verdict_branches(x: Reading) -> dict[str, Branch]:
    """The two verdicts, as heads ("Untestable with public data") and full sentences, data-chosen."""
    src_m = sp.grid_sources(x.curves.misreading) + (ARTICLE_SOURCE,)
    src_c = sp.grid_sources(x.curves.complicity) + ("wb_wgi",)
    out = {}
    for key, (label, head, rest), src in (("misreading", _misreading(x), src_m),
                                         ("complicity", _complicity(x), src_c)):
        out[f"{key}_head"] = Branch(text=head, branch=label, sources=src)
        text = rest if rest.startswith("Peru") else rest[0].lower() + rest[1:]
        out[f"{key}_verdict"] = Branch(text=f"{head}: {text}", branch=label, sources=src)
    return out


# --- the evidence table ------------------------------------------------------------------------

def _rows(x: Reading, f, r: Bundle) -> list[tuple]:
    """The evidence table's rows, from the curve's named values (tbl-evidence)."""
    v = x.verdicts
    settle = f.evidence.drop_duplicates("explanation").set_index("explanation")["would_settle"]
    old = f.evidence.set_index("prediction")
    gap_row = old.loc[[p for p in old.index if p.startswith("Counts disagree")][0]]
    c = counting_the_dead.bundle()  # the police-to-model ratio split at the break (chapter 4)
    pardon_row = old.loc[[p for p in old.index if p.startswith("Traffickers")][0]]
    y = x.year
    return [
        ("Misreading", "Peru records far fewer homicides than its neighbours predict (an outlier)",
         f"An outlier in {r.outlier_share} of the specifications for {y} ({r.n_outliers_ihme} of "
         f"the {r.n_outliers} on IHME's modelled series; {r.outlier_share_published} without "
         f"it), {r.outlier_share_latest} for {r.latest_curve_year} and {r.outlier_share_all} of "
         f"those for {r.curve_years}; the headline model's gap is {r.peru_z} between-country SDs",
         f"{r.n_specs} specifications ({y})", v["peru_outlier"].word, settle["Misreading"]),
        ("Misreading", "Drug intensity drives homicide across the region (the yardstick's premise)",
         f"Headline coefficient {r.drug_effect}; clearly positive in {r.premise_share} of the "
         f"fitted models, {r.premise_support_sa} of the {r.premise_support} supporting fits "
         f"South American (few clusters)",
         f"{r.n_fits} fitted models", v["drug_premise"].word, settle["Misreading"]),
        ("Misreading", "A fuller count would make Peru ordinary",
         f"Median break-even {r.break_even_median} (range {r.break_even_range.with_(point=None)}, "
         f"counting only the uncertainty of Peru's expected count); the "
         f"World Bank count ({r.wb_count}) clears it in {r.wb_clears} of specifications "
         f"({r.wb_clears_ci} against the top of each interval), the UNODC police count "
         f"({r.police_count}) in {r.police_clears} ({r.police_clears_ci}); the ministry's "
         f"{r.ministry_count} is {r.ministry_position}",
         f"{r.n_specs} specifications ({y})",
         f"police count: {v['police_published_clears'].word} on point estimates, "
         f"{v['police_published_clears_ci'].word} against the intervals"
         if "police_published_clears_ci" in v else "no police count", settle["Misreading"]),
        ("Misreading", gap_row.name,
         f"Police / modelled deaths: Peru {c.peru_gap_since} from {c.gap_split_year}, "
         f"{c.peru_gap_before} before; neighbours' median {c.peer_gap}",
         f"{len(f.gap_table)} South American countries, "
         f"{year_span(int(f.gap_table['first_year'].min()), int(f.gap_table['last_year'].max()))}",
         "a break in Peru's police series or an IHME undercount: the data cannot say which"
         if c.gap_sentence.branch == "agree_before_break_apart_since" else gap_row["strength"],
         settle["Misreading"]),
        ("Complicity", "Corruption weakens the drug-violence link (negative interaction)",
         f"Negative and clear of zero in {r.interaction_share} of specifications; clearly "
         f"positive in {r.interaction_contra}; headline {r.interaction_coef}",
         f"{r.n_complicity_specs} specifications", v["interaction"].word, settle["Complicity"]),
        ("Complicity", "More corrupt countries are more violent (association with homicide at "
                       "average drug intensity)",
         f"Headline {r.corruption_effect}; positive and clear of zero in "
         f"{r.corruption_effect_share} of specifications", f"{r.n_complicity_specs} specifications",
         v["corruption_effect"].word, settle["Complicity"]),
        ("Complicity", "Peru is among the more corrupt countries",
         f"World: {r.wgi_world_percentile} percentile of the World Bank index in {y}; South "
         f"America: {r.peru_corruption_rank} of {r.corruption_n} (1 = most corrupt; "
         f"{r.rank_range} within one standard error); in the more corrupt half in "
         f"{r.sa_years_more_corrupt} of {r.sa_index_years} index-years, {r.sa_window}; "
         f"World Bank index alone, {r.sa_long_span}: {r.sa_long_more_corrupt} of {r.sa_long_years} "
         f"years ({r.sa_long_record_sentence.branch.split(':')[-1]})",
         f"{r.corruption_n} countries", f"more corrupt half of South America: {r.sa_corrupt_word}",
         settle["Complicity"]),
        ("Complicity", "Traffickers are let off (pardons, which the article reports under "
                       "impunity; this report reads them as a possible sign of complicity)",
         pardon_row["data_show"].replace("Garcia", "García"),
         pardon_row["n"], pardon_row["strength"], settle["Complicity"]),
    ]


def _evidence_display(x: Reading, f, r: Bundle) -> pd.DataFrame:
    """The evidence table with reader-facing column names (tbl-evidence).

    The explanation and what would settle it repeat for every row of an explanation; they are
    shown on its first row only, so the table reads as two groups.
    """
    t = pd.DataFrame(_rows(x, f, r), columns=["explanation", "prediction", "data_show", "n",
                                              "strength", "would_settle"])
    repeat = t["explanation"].eq(t["explanation"].shift())
    t.loc[repeat & t["would_settle"].eq(t["would_settle"].shift()), "would_settle"] = ""
    t.loc[repeat, "explanation"] = ""
    return t.rename(columns={
        "explanation": "Explanation", "prediction": "What it predicts",
        "data_show": "What the data show", "n": "Evidence", "strength": "Verdict",
        "would_settle": "What would settle it"})


# --- the chapter's values ------------------------------------------------------------------------

def _count(x: Reading, key: str, sources) -> Estimate | Branch:
    """One of Peru's counts for the year, or a 'no figure' fragment."""
    if key not in x.counts:
        return missing(key.replace("_", " "), key)
    return Estimate(x.counts[key], unit="homicides", digits=0, year=x.year, sources=tuple(sources),
                    method="specifications.peru_counts")


def _clears(x: Reading, key: str, sources) -> Estimate | Branch:
    """The percent of the year's specifications in which a count clears the break-even."""
    v = x.verdicts.get(f"{key}_clears")
    if v is None:
        return missing(key.replace("_", " "), f"{key}_clears")
    return share(v, sources, f"the {key.replace('_', ' ')} count is at or above the break-even")


def _where(count: float, low: float, high: float) -> str:
    """Where a count falls against an interval, in words."""
    return "below" if count < low else "above" if count > high else "within"


def _baseline_interval(g: pd.DataFrame, year: int, counts: dict, sources) -> Branch:
    """Where the World Bank's and the police's counts fall against the headline model's
    break-even interval (its own 95% CI of Peru's expected count, the baseline specification
    of the curve). Why: the point break-even alone made 'outlier' / 'not an outlier' read as
    settled when both counts can lie inside the interval."""
    base = g.loc[g["baseline"] & g["estimable"] & (g["year"] == year)]
    wb, police = counts.get("world_bank"), counts.get("police_published")
    if base.empty or wb is None or police is None:
        return Branch("", "baseline_interval:none", tuple(sources))
    lo, hi = float(base["break_even_low"].iloc[0]), float(base["break_even_high"].iloc[0])
    ci = Estimate(None, lo, hi, unit="homicides", sources=tuple(sources), interval="95% CI")
    w, p = _where(wb, lo, hi), _where(police, lo, hi)
    return branch([
        (w == p == "within", f"Both counts lie within the break-even's 95% interval, {ci}, so "
                             f"on this one model neither clearly makes Peru an outlier nor "
                             f"clearly rules it out.", "both_within"),
        (True, f"The break-even's 95% interval is {ci}: the World Bank's count lies {w} it and "
               f"the police count {p} it.", f"wb_{w}:police_{p}"),
    ], sources, "specifications grid, baseline specification: break_even_low / break_even_high "
                "(95% CI of Peru's expected count) against the two published counts")


def _misreading_values(r: Bundle, x: Reading, f) -> None:
    """The yardstick, the curve and the break-even (sections sec-model to sec-misreading)."""
    g, v, y = x.curves.misreading, x.verdicts, x.year
    src = sp.grid_sources(g)
    model_src = tuple(f.prediction["predicted_rate"].sources)
    mis = f.misreading
    r.model_n = as_count(mis.n_obs, model_src, mis.describe())
    r.model_countries = as_count(mis.n_countries, model_src, mis.describe())
    r.model_first_year, r.model_last_year = (as_year(yr, model_src) for yr in mis.years)
    r.peru_model_year = as_year(y, model_src)
    # "The model's expected rate for Peru in 2012 is 29.1 per 100,000": the sentence names the year
    r.peru_predicted = year_named(f.prediction["predicted_rate"], y)
    r.peru_observed = year_named(f.prediction["observed_rate"], y)
    r.peru_ratio = f.prediction["ratio"]
    r.peru_z = f.prediction["z"]
    r.baseline_sentence = choose(
        bool(f.prediction["z"].point <= -ex.Z_OUTLIER),
        "On this one model Peru would be an outlier: its recorded rate is further below the "
        "expected one than the usual spread between countries allows.",
        "On this one model Peru is not an outlier: its recorded rate is below the expected one, "
        "but within the usual spread between countries.",
        labels=("baseline_outlier", "baseline_not_outlier"), sources=model_src,
        method=f"z = log(observed / predicted) / between-country SD; outlier below -{ex.Z_OUTLIER}.")
    police = x.counts.get("police_published")
    r.headline_break_even = f.break_even
    r.baseline_police_sentence = choose(
        police is not None and police >= f.break_even.point,
        "On the same model, though, the UNODC police count is above the break-even count, the "
        "count at which Peru would stop being an outlier: on the police's published figure "
        "Peru is not an outlier, on point estimates.",
        "On the same model even the UNODC police count is below the break-even count, the "
        "count at which Peru would stop being an outlier: on every published figure Peru is "
        "an outlier.",
        labels=("baseline_police_clears", "baseline_police_below"), sources=model_src,
        method="UNODC police count against the headline model's break-even")
    r.baseline_interval_sentence = _baseline_interval(g, y, x.counts, model_src)
    r.drug_effect = f.drug_effect
    r.premise_sentence = worded(v["drug_premise"], PREMISE_SENTENCES, "premise", src)
    r.premise_share = share(v["drug_premise"], src, "drug measure positive, 95% CI above zero")
    r.n_fits = as_count(v["drug_premise"].n, src, "fitted models with a drug measure")
    backing = sp.premise_support(g)
    r.premise_support = as_count(backing["supporting"], src,
                                 "fitted models with the drug measure clearly positive")
    r.premise_support_sa = as_count(backing["south_america"], src,
                                    "of them fitted on South America (about ten clusters)")
    peers = ex.peer_gaps(mis)
    names = country_names(load("countries"))
    out = [names[i] for i in peers.loc[peers["outlier"], "iso3"]]
    r.n_peers = as_count(len(peers), model_src, "ex.peer_gaps: comparison countries")
    r.n_peer_outliers = as_count(len(out), model_src, "ex.peer_gaps: z <= -1.645")
    r.peer_outlier_names = Branch(text=join(out) or "none", branch="peer_outliers:" + ",".join(
        peers.loc[peers["outlier"], "iso3"]), sources=model_src)
    r.peers_sentence = choose(
        bool(out), "Peru is not alone below that line.",
        "No comparison country sits that far below the line.",
        labels=("peers_below_line", "no_peer_below_line"), sources=model_src)

    years = sorted(g.loc[g["estimable"], "year"].dropna().astype(int).unique())
    r.curve_years = Branch(text=year_span(years[0], years[-1]), branch=f"curve_years:{years[0]}-{years[-1]}",
                           sources=src)
    r.curve_first_year = as_year(years[0], src)
    r.n_specs = as_count(v["peru_outlier"].n, src, f"estimable specifications for {y}")
    r.n_specs_all = as_count(v["peru_outlier_all_years"].n, src, "estimable specifications, all years")
    r.outlier_verdict = worded(v["peru_outlier"], OUTLIER_SENTENCES, "peru_outlier", src)
    r.outlier_share = share(v["peru_outlier"], src, f"Peru a low outlier in {y}")
    r.outlier_share_all = share(v["peru_outlier_all_years"], src, "Peru a low outlier, all years")
    by = sp.share_by_choice(g, "outlier", y).set_index(["dimension", "option"])
    for name, key in (("share_world_bank", ("series", "wdi_series")),
                      ("share_police_series", ("series", "criminal_justice")),
                      ("share_ihme", ("series", "modelled_all_violence")),
                      ("share_fitted_line", ("yardstick", "fitted_line")),
                      ("share_neighbours", ("yardstick", "neighbours_centre"))):
        if key in by.index:
            setattr(r, name, Estimate(float(by.loc[key, "share"]), unit="percent", digits=0,
                                      sources=src, method=f"specifications.share_by_choice {key}"))
        else:
            setattr(r, name, missing(key[1].replace("_", " "), name))

    r.break_even_range = x.break_even
    r.break_even_limits = x.break_even.with_(point=None)
    r.break_even_points = Estimate(None, float(g.loc[g["estimable"] & (g["year"] == y), "break_even"].min()),
                                   float(g.loc[g["estimable"] & (g["year"] == y), "break_even"].max()),
                                   unit="homicides", year=y, sources=src,
                                   method="The specifications' own (point) break-evens.")
    article = (ARTICLE_SOURCE,)
    r.wb_count = _count(x, "world_bank", ("wdi_homicide", "wdi_population"))
    r.police_count = _count(x, "police_published", ("unodc_gsh2013",))
    r.ministry_count = _count(x, "ministry_article", article)
    r.wb_clears = _clears(x, "world_bank", src)
    r.police_clears = _clears(x, "police_published", src)
    where = x.positions["position"].get("ministry_article")
    r.ministry_position = branch([
        (where == "above the range", "above the whole range", "ministry_above_range"),
        (where == "inside the range", "inside the range", "ministry_inside_range"),
        (where == "below the range", "below the whole range", "ministry_below_range"),
        (True, "not a figure for this year", "ministry_no_figure"),
    ], src + article, "specifications.counts_against_break_even")
    r.misreading_summary = _misreading_summary(x, src + article)
    _honest_values(r, x, src, years)


NARROW = 0.10  # a count less than a tenth above the median break-even clears it "narrowly"


def _honest_values(r: Bundle, x: Reading, src, years: list[int]) -> None:
    """The shares that keep the misreading verdict honest (review 2): the counts against the
    top of each break-even's interval, the outlier share without IHME's modelled series and in
    the latest year, and where the median break-even sits against the published counts."""
    v, y = x.verdicts, x.year
    for name, key in (("police_clears_ci", "police_published"), ("wb_clears_ci", "world_bank")):
        k = f"{key}_clears_ci"
        setattr(r, name, share(v[k], src, f"the {key.replace('_', ' ')} count is at or above the "
                                          f"top of the break-even's 95% CI") if k in v
                else missing(key.replace("_", " "), name))
    for name, key in (("police_clears_word", "police_published_clears"),
                      ("police_clears_ci_word", "police_published_clears_ci"),
                      ("outlier_word", "peru_outlier"),
                      ("outlier_published_word", "peru_outlier_without_modelled"),
                      ("outlier_latest_word", "peru_outlier_latest")):
        setattr(r, name, Branch(text=v[key].word, branch=f"{key}:{v[key].word}", sources=src,
                                method=f"{v[key]} (analysis/verdicts.py)") if key in v
                else missing(key.replace("_", " "), name))
    out, pub, last = v["peru_outlier"], v["peru_outlier_without_modelled"], v["peru_outlier_latest"]
    r.n_outliers = as_count(out.supporting, src, f"specifications for {y} with Peru an outlier")
    r.n_outliers_ihme = as_count(out.supporting - pub.supporting, src,
                                 f"of them on IHME's modelled series")
    r.n_outliers_published = as_count(pub.supporting, src, "outliers on the published series")
    r.n_specs_published = as_count(pub.n, src, f"specifications for {y} without IHME")
    r.outlier_share_published = share(pub, src, f"Peru a low outlier in {y}, IHME left out")
    r.latest_curve_year = as_year(years[-1], src)
    r.n_specs_latest = as_count(last.n, src, f"estimable specifications for {years[-1]}")
    r.outlier_share_latest = share(last, src, f"Peru a low outlier in {years[-1]}")
    be = x.break_even
    r.break_even_median = Estimate(be.point, unit="homicides", digits=0, year=y, sources=src,
                                   method="specifications.break_even_range: median break-even")
    counts = {k: x.counts.get(k) for k in ("world_bank", "police_published")}
    below = [c for c in counts.values() if c is not None and be.point <= c]
    low_key = min((k for k in counts if counts[k] is not None), key=lambda k: counts[k], default=None)
    narrow = low_key is not None and be.point <= counts[low_key] < (1 + NARROW) * be.point
    names = {"world_bank": ("the World Bank's count", r.wb_count),
             "police_published": ("the police count", r.police_count)}
    name, count = names.get(low_key, ("", None))  # the shares of specifications follow in the text
    r.break_even_vs_published = branch([
        (len(below) == 2 and narrow,
         f"That median is below both published counts for {y}, but only narrowly below {name} "
         f"({count}).", "median_below_both_narrowly"),
        (len(below) == 2, f"That median is below both published counts for {y}: at the median "
                          f"specification Peru's published figures make it an ordinary country, "
                          f"on point estimates.", "median_below_both"),
        (len(below) == 1, f"That median lies between the two published counts for {y}: at "
                          f"the median specification one published figure makes Peru ordinary "
                          f"and the other does not.", "median_between"),
        (True, f"That median is above every published count for {y}: at the median "
               f"specification Peru is an outlier on every published figure.", "median_above"),
    ], src, f"median break-even against the World Bank and UNODC police counts; 'narrowly' "
            f"if the lower count is under {1 + NARROW:g} times it")


def _misreading_summary(x: Reading, sources) -> Branch:
    """What the counts against the break-even mean for the first explanation (data-chosen)."""
    v = x.verdicts
    police, wb = v.get("police_published_clears"), v.get("world_bank_clears")
    ministry = v.get("ministry_article_clears")
    return branch([
        (v["peru_outlier"].word == "not shown",
         "On the published figures Peru is hardly ever an outlier, so there is little paradox for "
         "the first explanation to explain.", "published_not_outlier"),
        (police is not None and _at_least_mostly(police) and wb is not None
         and not _at_least_mostly(wb),
         "So the published series disagree with each other: on the UNODC police count Peru is an "
         "ordinary country in most specifications on point estimates, on the World Bank's rate "
         "only in some. That is a question of which published figure to believe. The article's "
         "first explanation is that there may be considerable violence between producers, "
         "dealers and exporters that analysts miss, and its evidence is that official counts "
         "disagree, the ministry's against the police's. "
         + ("The ministry's figure, if right, would end the paradox in every specification, "
            if ministry is not None and ministry.share == 100 else
            "The ministry's figure, if right, would end the paradox in most specifications, "
            if ministry is not None and _at_least_mostly(ministry) else
            "Even the ministry's figure would not end the paradox in most specifications, ")
         + "but it has no published series; whether violence escapes all counts, no public "
           "series can show.", "published_series_disagree"),
        (police is not None and _at_least_mostly(police),
         "Every published count clears the break-even in most specifications, so on the "
         "published figures there is little paradox to explain.", "published_counts_clear"),
        (ministry is not None and _at_least_mostly(ministry),
         "Only a count near the ministry's, far above every published series, makes Peru "
         "ordinary in most specifications: the first explanation needs violence that no "
         "published figure records.", "only_ministry_clears"),
        (True, "Even the ministry's figure leaves Peru an outlier in most specifications, so "
               "counting more cannot explain the paradox away.", "no_count_clears"),
    ], sources, "specifications.curve_verdicts (count clears the break-even)")


CPI_NAME = "Transparency International's"
SA_INDEX_NAMES = {"wgi_cc_est": "the World Bank's", "cpi_0_100": CPI_NAME}


def _sa_corruption_sources(pos: pd.DataFrame) -> tuple[str, ...]:
    """The sources of the South American index-years the verdict counts: the World Bank's
    and, for the CPI years counted, TI's (read from the corruption table's source_id)."""
    sa = pos.loc[pos["scale"] == "south_america"]
    c = load("corruption")
    used = c.merge(sa[["indicator", "year"]].drop_duplicates(), on=["indicator", "year"])
    return tuple(dict.fromkeys(["wb_wgi", *sorted(set(used["source_id"]) - {"wb_wgi"})]))


def _sa_window(pos: pd.DataFrame, sources: tuple[str, ...]) -> Branch:
    """The years the South American index-years run over, each index's own: "2011–2022 (the
    World Bank's index for 2011–2019, Transparency International's for 2012–2022)". Why: the
    count is over the years from the article's data on (specifications.FIRST_YEAR), not over
    every year in the data, and the sentence must say so."""
    sa = pos.loc[pos["scale"] == "south_america"]
    if sa.empty:
        return Branch("no year", "sa_window:none", sources)
    order = sorted(sa["indicator"].unique(), key=lambda ind: ind != "wgi_cc_est")
    spans = [f"{SA_INDEX_NAMES.get(ind, ind)}{' index' if i == 0 else ''} for "
             f"{year_span(int(sa.loc[sa['indicator'] == ind, 'year'].min()), int(sa.loc[sa['indicator'] == ind, 'year'].max()))}"
             for i, ind in enumerate(order)]
    whole = year_span(int(sa["year"].min()), int(sa["year"].max()))
    return Branch(f"{whole} ({', '.join(spans)})",
                  f"sa_window:{whole}", sources, method="specifications.corruption_positions, "
                  "South American scale, from FIRST_YEAR")


def _sa_long_record(r: Bundle) -> Branch:
    """The World Bank index over every year in the data (not only from FIRST_YEAR): in how
    many years Peru sat in the more corrupt half of South America, and the rule's word for
    that share. Why: the window from the article's data on is a choice, and the word can
    change with it; the rule, not the writer, says how. Sets r.sa_long_span,
    r.sa_long_more_corrupt and r.sa_long_years for Table 5.1."""
    corruption, countries, population = load("corruption"), load("countries"), load("population")
    all_years = sp.corruption_positions(corruption, countries, population, first_year=0)
    w = all_years.loc[(all_years["scale"] == "south_america") & (all_years["indicator"] == "wgi_cc_est")]
    if w.empty:
        r.sa_long_span = r.sa_long_more_corrupt = r.sa_long_years = missing(
            "the World Bank index", "sa_long_record")
        return Branch("", "sa_long_record:none", ("wb_wgi",))
    word = verdict_from_flags(w["more_corrupt_than_half"]).word
    span = year_span(int(w["year"].min()), int(w["year"].max()))
    n, k = as_count(len(w), ("wb_wgi",)), as_count(int(w["more_corrupt_than_half"].sum()), ("wb_wgi",))
    r.sa_long_span = Branch(span, "sa_long_span", ("wb_wgi",))
    r.sa_long_more_corrupt, r.sa_long_years = k, n
    return Branch(f"Over all the World Bank index's years in the data, {span}, it sat in the more "
                  f"corrupt half in {k} of {n} ({word} by the same rule).", f"sa_long_record:{word}",
                  ("wb_wgi",), method="specifications.corruption_positions from the first year "
                                      "in the data; verdicts.verdict_from_flags")


def _complicity_values(r: Bundle, x: Reading, f) -> None:
    """Corruption: Peru's position, the interaction and the main effect across the curve."""
    k, v, y = x.curves.complicity, x.verdicts, x.year
    src = sp.grid_sources(k)
    wgi = f.corruption_wgi.set_index("iso3").loc[ex.PERU]
    pos = x.curves.corruption
    here = pos.loc[pos["year"] == y]
    world = here.loc[here["scale"] == "world"]
    sa = here.loc[(here["scale"] == "south_america") & (here["indicator"] == "wgi_cc_est")]
    r.corruption_year = as_year(y, ("wb_wgi",))
    r.peru_corruption_rank = Estimate(int(wgi["rank"]), unit="rank", year=y, sources=("wb_wgi",),
                                      method="explanations.corruption_position; 1 = most corrupt")
    r.corruption_n = as_count(int(wgi["n"]), ("wb_wgi",))
    r.rank_range = (Estimate(None, int(sa["rank_low"].iloc[0]), int(sa["rank_high"].iloc[0]),
                             unit="rank", year=y, sources=("wb_wgi",),
                             method="specifications.corruption_positions: ranks within one SE")
                    if not sa.empty else missing("the WGI standard errors", "rank_range"))
    r.wgi_world_percentile = (Estimate(float(world["value"].iloc[0]), unit="rank", digits=0, year=y,
                                       sources=("wb_wgi",),
                                       method="WGI control of corruption, percentile rank among "
                                              "the world's countries (0 = most corrupt)")
                              if not world.empty else missing("the WGI percentile", "wgi_world"))
    wv = v["peru_more_corrupt_world"]
    r.world_years_below = as_count(wv.supporting, ("wb_wgi",), "years with Peru below the world median")
    r.world_years = as_count(wv.n, ("wb_wgi",), "years with a WGI percentile from 2011")
    wyears = sorted(pos.loc[pos["scale"] == "world", "year"].astype(int))
    r.world_year_span = Branch(text=year_span(wyears[0], wyears[-1]) if wyears else "no year",
                               branch="world_years", sources=("wb_wgi",))
    label, clause = _corruption_position(x, with_ranks=False)  # the chapter gives them just before
    r.position_sentence = Branch(text=clause, branch=label, sources=("wb_wgi",))
    sv = v["peru_more_corrupt_south_america"]
    sa_src = _sa_corruption_sources(pos)
    r.sa_years_more_corrupt = as_count(sv.supporting, sa_src, "index-years (WGI and CPI) "
                                       "with Peru in the more corrupt half of South America")
    r.sa_index_years = as_count(sv.n, sa_src, "index-years, WGI and CPI")
    r.sa_corrupt_word = Branch(text=sv.word, branch=f"sa_more_corrupt:{sv.word}",
                               sources=sa_src, method=f"{sv} (analysis/verdicts.py)")
    r.sa_window = _sa_window(pos, sa_src)
    r.sa_long_record_sentence = _sa_long_record(r)
    if f.corruption_cpi is not None and ex.PERU in set(f.corruption_cpi["iso3"]):
        cpi = f.corruption_cpi.set_index("iso3").loc[ex.PERU]
        r.peru_cpi_rank = Estimate(int(cpi["rank"]), unit="rank", year=y, sources=(cpi["source_id"],))
        r.cpi_n = as_count(int(cpi["n"]), (cpi["source_id"],))
    else:
        r.peru_cpi_rank = missing("the CPI", "peru_cpi_rank")
        r.cpi_n = missing("the CPI", "cpi_n")
    r.interaction_coef = f.interaction
    r.n_complicity_specs = as_count(v["interaction"].n, src, "estimable complicity specifications")
    i = v["interaction"]
    r.interaction_sentence = Branch(text=_interaction_text(i), branch=f"interaction:{i.word}"
                                    + (":none" if i.supporting == 0 else ""), sources=src,
                                    method=f"{i} (analysis/verdicts.py)")
    r.interaction_share = share(v["interaction"], src, "interaction negative, 95% CI below zero")
    r.interaction_contra = as_count(v["interaction"].contradicting, src,
                                    "specifications with the interaction clearly positive")
    d = sp.interaction_detail(k)
    r.interaction_negative_points = as_count(d["negative_points"], src,
                                             "specifications with a negative point estimate")
    r.min_complicity_obs = as_count(d["min_obs"], src,
                                    "fewest observations in a complicity specification")
    r.interaction_contra_small = as_count(d["contra_at_min_obs"], src,
                                          "clearly positive specifications fitted on the fewest "
                                          "observations")
    base = k.loc[k["baseline"] & k["estimable"]]
    r.corruption_effect = (Estimate(float(base["corruption_effect"].iloc[0]),
                                    float(base["corruption_low"].iloc[0]),
                                    float(base["corruption_high"].iloc[0]), digits=2,
                                    interval="95% CI", sources=src,
                                    method="Corruption main effect, headline complicity model "
                                           "(log points per index unit, sign flipped)")
                           if not base.empty else missing("the headline complicity model",
                                                          "corruption_effect"))
    r.effect_sentence = worded(v["corruption_effect"], EFFECT_SENTENCES, "corruption_effect", src)
    r.corruption_effect_share = share(v["corruption_effect"], src,
                                      "corruption main effect positive, 95% CI above zero")


FAR_BELOW = 0.5  # Peru's observed rate under half the model's: "far below" the line


FEW_AS_FAR = 0.25  # a quarter or fewer of the other points as far below as Peru: "only"


def _model_fit_finding(f, ratio) -> Branch:
    """The finding that opens the caption of the model-fit figure, chosen by the data: where
    Peru's observed rate sits against the model's line in the findings' year, how many of the
    other country-years lie below it, and how few lie as far below as Peru
    (explanations.points_below_line)."""
    pts = ex.points_below_line(f)
    n, below, far = (as_count(pts[k], ratio.sources) for k in ("n_others", "below", "as_far_below"))
    most_below = pts["n_others"] > 0 and pts["below"] / pts["n_others"] > 0.5
    few = pts["n_others"] > 0 and pts["as_far_below"] / pts["n_others"] <= FEW_AS_FAR
    where = ("far below" if ratio.point < FAR_BELOW else "below" if ratio.point < 1 else "above")
    head = (f"Peru's recorded homicide rate lies {where} the headline model's line "
            f"({ratio} the expected rate in {f.year})")
    if where == "above":
        text = f"{head}; {below} of the {n} other country-years lie below it."
    else:
        peers = (f"most other country-years also lie below it ({below} of {n})" if most_below else
                 f"most other country-years do not ({below} of {n} lie below it)")
        text = (f"{head}; {peers}, but only {far} as far below as Peru." if few else
                f"{head}; {peers}, and {far} lie as far below as Peru.")
    return Branch(text, f"{where.replace(' ', '_')}:{'most_below' if most_below else 'most_not_below'}"
                        f":{'few_as_far' if few else 'many_as_far'}",
                  sources=tuple(ratio.sources),
                  method=f"explanations.points_below_line; 'far below' under {FAR_BELOW:g} times "
                         f"the expected rate; 'most' = more than half of the other points; "
                         f"'only' = {FEW_AS_FAR:.0%} or fewer as far below as Peru")


def _spec_curve_finding(word, v: Verdict) -> Branch:
    """The finding that opens the caption of the specification-curve figure: the outlier
    verdict's word (analysis/verdicts.py, the one rule), in the curve's terms, with the count
    of specifications behind it (`v`, the same verdict)."""
    text = str(word)
    sentences = {
        "robust": "Peru counts as unusually peaceful in nearly every specification: its gap from "
                  "the yardstick stays beyond the outlier line along almost the whole curve.",
        "mostly": "Peru counts as unusually peaceful in most specifications: its gap from the "
                  "yardstick crosses the outlier line only near one end of the curve.",
        "fragile": "Whether Peru counts as unusually peaceful depends on the analyst's choices: its "
                   "gap from the yardstick crosses the outlier line part of the way along the curve.",
    }
    sentence = sentences.get(text, "Peru hardly ever counts as unusually peaceful: its gap from "
                                   "the yardstick rarely reaches the outlier line along the curve.")
    count = f" (an outlier in {as_count(v.supporting)} of {as_count(v.n)} specifications)"
    return Branch(sentence[:-1] + count + ".",
                  f"outlier:{text}", sources=tuple(getattr(word, "sources", ())),
                  method="the outlier verdict (outlier_word, analysis/verdicts.py)")


def _corruption_finding() -> Branch:
    """The finding that opens the caption of the corruption figure, chosen by the data: Peru's
    WGI estimate against the South American median the figure draws, in the latest year Peru
    has one: within one of Peru's standard errors of it (the index cannot tell them apart) or
    clearly below or above; its rank; how many years running it has sat on the same side of
    the median; and the bottom of the range. Why: "close to the median" alone hid a rank of
    4th of 12 and years on end below the median."""
    c = sp.corruption_against_median(load("corruption"), load("countries"))
    if c is None:
        return missing("Peru's WGI estimate", "corruption_finding", ("wb_wgi",))
    year, peru, median, low, side, se = c["year"], c["peru"], c["median"], c["low"], c["side"], c["se"]
    index = lambda v: Estimate(float(v), unit="", digits=2, sources=("wb_wgi",))  # noqa: E731
    rank = Estimate(c["rank"], unit="rank", sources=("wb_wgi",))
    if peru <= low:
        place, label = "at the bottom of the South American range", "bottom"
    elif peru == median:
        place, label = "at the South American median", "at_median"
    elif se is None:  # no standard error to judge the gap by
        place, label = f"{side} the South American median", side
    elif abs(peru - median) <= se:
        place, label = f"within one standard error {side} the South American median", f"within_se_{side}"
    else:
        place, label = f"more than one standard error {side} the South American median", f"beyond_se_{side}"
    values = (f"{index(peru)} against a median of {index(median)}, {rank} of {c['n']} from the most "
              f"corrupt")
    text = f"In {year} Peru's control of corruption sat {place} ({values})."
    more = ([f"it has sat {side} the median every year since {c['since']}"]
            if c["streak"] >= 2 and label != "at_median" else []) \
        + ([f"the bottom of the range was {index(low)}"] if label != "bottom" else [])
    if more:
        text += " " + "; ".join(more)[0].upper() + "; ".join(more)[1:]
    return Branch(text + ("." if more else ""), f"{label}:{year}", sources=("wb_wgi",),
                  method="WGI control-of-corruption estimate against the South American median, "
                         "within one of Peru's standard errors (wgi_cc_se) or not; the years "
                         "running on the same side of the median; rank 1 = most corrupt")


def bundle() -> Bundle:
    """Chapter 5: the yardstick, the specification curves, corruption, the evidence, verdicts."""
    f, x = findings(), reading()
    r = Bundle()
    _misreading_values(r, x, f)
    _complicity_values(r, x, f)
    r.garcia_pardons, r.humala_pardons = f.pardons["garcia"], f.pardons["humala"]
    for name, b in verdict_branches(x).items():
        setattr(r, name, b)
    r.evidence_table = Table(_evidence_display(x, f, r))
    r.model_fit_finding = _model_fit_finding(f, r.peru_ratio)
    r.spec_curve_finding = _spec_curve_finding(r.outlier_word, x.verdicts["peru_outlier"])
    r.corruption_finding = _corruption_finding()
    # Constants of the method, not data: shown through the formatter, labelled by where they live.
    for name, value, unit, digits, where in (
            ("rule_robust", 100 * ROBUST, "percent", 0, "verdicts.ROBUST"),
            ("rule_mostly", 100 * RULE_MOSTLY, "percent", 0, "verdicts.MOSTLY"),
            ("rule_split", 100 * SPLIT, "percent", 0, "verdicts.SPLIT"),
            ("z_outlier", -ex.Z_OUTLIER, "", 3, "explanations.Z_OUTLIER"),
            ("level", 100 * sp.LEVEL, "percent", 0, "specifications.LEVEL")):
        setattr(r, name, Branch(text=format_number([value], unit, digits), branch=f"constant:{where}"))
    return r


def model_fit() -> alt.LayerChart:
    """Observed vs predicted homicide rates of the yardstick model; Peru and the two counts."""
    f = findings()
    population, claims, countries = load("population"), load("article_claims"), load("countries")
    d, pred_year = ex.observed_vs_predicted(f)
    d = d.assign(group=np.where(d["peru"], "Peru", "Other countries"),
                 country=d["iso3"].map(country_names(countries)))[
        ["iso3", "country", "year", "rate_per_100k", "predicted", "group", "kg_per_100k"]]
    claimed = violence.claimed_rates(claims, population)
    be_rate = violence.count_as_rate(f.break_even.point, population, PERU, f.year)
    c = pd.DataFrame([{"figure": "Ministry’s count", "rate": claimed["interior"].point,
                       "text": str(claimed["interior"]), "shape": "diamond"},
                      {"figure": "Police count", "rate": claimed["police"].point,
                       "text": str(claimed["police"]), "shape": "diamond"},
                      {"figure": "Break-even", "rate": be_rate.point, "text": str(be_rate),
                       "shape": "triangle-down"}]).assign(predicted=pred_year)
    xlo, xhi = float(d["predicted"].min()) * 0.9, float(d["predicted"].max()) * 1.1
    ylo = float(d["rate_per_100k"].min()) * 0.9
    yhi = float(max(d["rate_per_100k"].max(), c["rate"].max())) * 1.1
    xs = alt.Scale(type="log", domain=[xlo, xhi])
    ys = alt.Scale(type="log", domain=[ylo, yhi])
    diag = alt.Chart(pd.DataFrame({"x": [xlo, xhi], "y": [xlo, xhi]})).mark_line(
        color=theme.GREY, strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys))
    pts = alt.Chart(d).mark_circle().encode(
        x=alt.X("predicted:Q", scale=xs, title="Predicted homicides per 100,000 (log scale)"),
        y=alt.Y("rate_per_100k:Q", scale=ys, title="Observed homicides per 100,000 (log scale)"),
        color=theme.highlight_color("group", "Peru", "Other countries"),
        size=alt.condition("datum.group == 'Peru'", alt.value(90), alt.value(18)),
        opacity=alt.condition("datum.group == 'Peru'", alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("rate_per_100k:Q", title="Observed", format=".1f"),
                 alt.Tooltip("predicted:Q", title="Predicted", format=".1f"),
                 alt.Tooltip("kg_per_100k:Q", title="Cocaine seized, kg per 100,000", format=",.1f")],
    )
    marks = alt.Chart(c).mark_point(size=170, filled=True, color=theme.OKABE_ITO["black"]).encode(
        x=alt.X("predicted:Q", scale=xs), y=alt.Y("rate:Q", scale=ys),
        shape=alt.Shape("shape:N", scale=None),
        tooltip=[alt.Tooltip("figure:N", title="Figure"), alt.Tooltip("text:N", title="Rate")])
    labels = alt.layer(*[
        alt.Chart(c.loc[c["figure"] == name]).mark_text(align="left", dx=10, dy=dy).encode(
            x=alt.X("predicted:Q", scale=xs), y=alt.Y("rate:Q", scale=ys), text="figure:N")
        for name, dy in (("Ministry’s count", 0), ("Police count", -5), ("Break-even", 7))])
    chart = alt.layer(diag, pts, marks, labels).properties(width=theme.WIDTH, height=theme.HEIGHT + 60)
    return theme.apply(chart, source="Poisson model of homicide on cocaine seized per head, Latin "
                                     "America and the Caribbean, Peru held out; World Bank homicide "
                                     "and population, UNODC seizures",
                       sources=["wdi_homicide", "wdi_population", "unodc_seizures_1995_2019",
                                "unodc_wdr2025_seizures", "muggah_mcdermott_2013"],
                       figure="model_fit")


def corruption_peru_peers() -> alt.LayerChart:
    """WGI control of corruption: Peru, Colombia, Bolivia against the South American band."""
    corruption, countries = load("corruption"), load("countries")
    names = country_names(countries)
    sa = violence.south_america(countries)
    w = corruption.loc[(corruption["indicator"] == "wgi_cc_est") & corruption["iso3"].isin(sa)]
    band = w.groupby("year")["value"].agg(low="min", high="max", median="median").reset_index()
    lines = w.loc[w["iso3"].isin(FOCUS)].assign(country=lambda d: d["iso3"].map(names))
    order = [names[i] for i in FOCUS]
    sc = theme.scales(order, list(FOCUS))
    x = theme.year_axis()
    area = alt.Chart(band).mark_area(color=theme.LIGHT_GREY, opacity=0.6).encode(
        x=x, y=alt.Y("low:Q", title="Control of corruption (WGI estimate; higher = cleaner)"), y2="high:Q",
        tooltip=[alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("low:Q", title="Lowest in South America", format=".2f"),
                 alt.Tooltip("high:Q", title="Highest in South America", format=".2f")])
    med = alt.Chart(band).mark_line(color=theme.GREY, strokeWidth=1.2).encode(
        x=x, y="median:Q",
        tooltip=[alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("median:Q", title="South American median", format=".2f")])
    ln = alt.Chart(lines).mark_line(point=True).encode(
        x=x, y="value:Q",
        color=alt.Color("country:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("country:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("country:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", title="WGI estimate", format=".2f")])
    chart = alt.layer(area, med, ln).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="World Bank Worldwide Governance Indicators, control of "
                                     "corruption (estimate); band = South American range",
                       sources=["wb_wgi"], figure="corruption_peru_peers")


# Short labels for the choices beneath the curve (the reader-facing names are sp.CHOICES' dicts).
CHOICE_LABELS = {
    "yardstick": ("Yardstick", {"fitted_line": "fitted line", "neighbours_centre": "neighbours’ centre"}),
    "estimator": ("Estimator", {"poisson": "Poisson", "ols": "OLS on log rates",
                                "negbin": "negative binomial"}),
    "series": ("Series", {"wdi_series": "World Bank", "criminal_justice": "UNODC police",
                          "modelled_all_violence": "IHME modelled", "public_health": "public health"}),
    "drug": ("Drug measure", {"seizures": "seizures per head", "coca_grower": "coca grower",
                              "none": "none"}),
    "comparison_set": ("Compared with", {"latin_america": "Latin America", "south_america": "South America"}),
}


def spec_curve() -> alt.VConcatChart:
    """The misreading curve for the article's year: Peru's gap (z) in every specification,
    sorted, with the choices behind each marked beneath (Simonsohn et al. 2020)."""
    x = reading()
    g = x.curves.misreading
    g = g.loc[g["estimable"] & (g["year"] == x.year)].sort_values("z", kind="stable").reset_index(drop=True)
    d = g.assign(rank=np.arange(1, len(g) + 1),
                 status=np.where(g["outlier"], "Outlier", "Not an outlier"),
                 z=g["z"].round(2), break_even=g["break_even"].round(0))
    for dim, (_, opts) in CHOICE_LABELS.items():
        d[dim] = d[dim].map(opts)
    top_cols = ["rank", "z", "status", "break_even", *CHOICE_LABELS]
    top = d[top_cols]
    long = d.melt(id_vars=["rank", "status"], value_vars=list(CHOICE_LABELS),
                  var_name="dimension", value_name="option")
    long["choice"] = long["dimension"].map({k: v[0] for k, v in CHOICE_LABELS.items()}) + ": " + long["option"]
    order = [f"{name}: {o}" for dim, (name, opts) in CHOICE_LABELS.items() for o in opts.values()
             if f"{name}: {o}" in set(long["choice"])]
    status = alt.Color("status:N", title=None,
                       scale=alt.Scale(domain=["Outlier", "Not an outlier"],
                                       range=[theme.STYLE["PER"].color, theme.GREY]))
    shape = alt.Shape("status:N", title=None, scale=alt.Scale(domain=["Outlier", "Not an outlier"],
                                                              range=["circle", "triangle-up"]))
    xs = alt.Scale(domain=[0, len(d) + 1], nice=False)
    tips = [alt.Tooltip("z:Q", title="Gap (SDs)"), alt.Tooltip("break_even:Q", title="Break-even count", format=",.0f"),
            *[alt.Tooltip(f"{dim}:N", title=name) for dim, (name, _) in CHOICE_LABELS.items()]]
    points = alt.Chart(top).mark_point(filled=True, size=30).encode(
        x=alt.X("rank:Q", scale=xs, axis=None),
        y=alt.Y("z:Q", title="Peru’s gap (between-country SDs)"),
        color=status, shape=shape, tooltip=tips)
    threshold = pd.DataFrame({"z": [-ex.Z_OUTLIER], "label": ["Outlier below this line"]})
    rule = alt.Chart(threshold).mark_rule(color=theme.TEXT, strokeDash=[4, 3]).encode(y="z:Q")
    rule_text = alt.Chart(threshold).mark_text(align="left", dx=4, dy=-6).encode(
        x=alt.value(0), y="z:Q", text="label:N")
    curve = alt.layer(points, rule, rule_text).properties(width=theme.WIDTH, height=170)
    marks = alt.Chart(long).mark_tick(thickness=2, size=9).encode(
        x=alt.X("rank:Q", scale=xs, title=f"The {len(d)} specifications for {x.year}, sorted by Peru’s gap"),
        y=alt.Y("choice:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        color=status, tooltip=[alt.Tooltip("choice:N", title="Choice"), alt.Tooltip("status:N", title="Peru")])
    marks = marks.properties(width=theme.WIDTH, height=14 * len(order))
    chart = alt.vconcat(curve, marks, spacing=6)
    return theme.apply(chart, source=f"Specification curve of the yardstick model, {x.year}: every "
                                     "combination of yardstick, estimator, homicide series, drug "
                                     "measure and comparison set; World Bank, UNODC and IHME "
                                     "homicide, UNODC seizures and coca area, World Bank population",
                       sources=list(sp.grid_sources(g)), figure="spec_curve")


FIGURES = (model_fit, spec_curve, corruption_peru_peers)  # the figures of this chapter, in the order it shows them
