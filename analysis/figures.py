"""One function per figure of the book, named for the figure.

Each function reads the curated tables through `analysis.data.load` (so `PARADOX_DATA` and
`paradox render --data DIR` reach it), takes its numbers from the analysis modules, and
returns an `alt.Chart` (or layered chart) whose data are inline, finished by `theme.apply`:
the one theme, a source line under the chart, and the source ids in `usermeta`. Nothing here
computes a statistic the analysis modules do not; a figure only selects, reshapes and draws.

Readable in grey: every series that colour separates is also separated by dash pattern or
point shape (theme.STYLE), and Peru is always the solid vermillion line with circles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import altair as alt

from analysis import criminal_economy as ce
from analysis import explanations as ex
from analysis import markets as mk
from analysis import producers, report, theme, violence
from analysis.claims import claim_estimate
from analysis.data import load
from analysis.estimate import Estimate

__all__ = ["FIGURES", "coca_area_by_country", "homicide_south_america",
           "cocaine_seizures_brazil_usa_europe", "cocaine_use_prevalence", "value_chain",
           "criminal_economy_ranges", "peru_homicide_by_source", "homicide_source_gap",
           "model_fit", "corruption_peru_peers", "peru_eradication_vs_cultivation"]

PERU = "PER"
FOCUS = ("PER", "COL", "BOL")


def _names(countries: pd.DataFrame) -> dict[str, str]:
    return {iso3: report.country_name(countries, iso3) for iso3 in countries["iso3"]}


def _article_rule(year: int, y_title: str = "") -> alt.Chart:
    """A vertical dotted rule at the article's year, labelled, for time-series charts."""
    frame = pd.DataFrame({"year": [year], "label": [f"Article ({year})"]})
    base = alt.Chart(frame)
    rule = base.mark_rule(color=theme.GREY, strokeDash=[2, 3]).encode(x="year:Q")
    text = base.mark_text(align="left", dx=4, dy=-4, color="#555555", baseline="top").encode(
        x="year:Q", y=alt.value(0), text="label:N")
    return rule + text


def _year_axis(title: str = "Year") -> alt.X:
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True,
                                                     labelFlush=False))


# --- chapter 1 -------------------------------------------------------------------------------------

def coca_area_by_country() -> alt.LayerChart:
    """Hectares under coca by year for Bolivia, Colombia and Peru (UNODC headline measure)."""
    coca, countries, sources = load("coca_cultivation"), load("countries"), load("sources")
    names = _names(countries)
    h = producers.headline(coca)
    h = h.assign(country=h["iso3"].map(names))
    order = [names[i] for i in FOCUS if i in set(h["iso3"])]
    sc = theme.scales(order, [i for i in FOCUS if i in set(h["iso3"])])
    year = int(report.article_year(sources).point)
    lines = alt.Chart(h).mark_line(point=True).encode(
        x=_year_axis(),
        y=alt.Y("hectares:Q", title="Hectares under coca bush", axis=alt.Axis(format=",d")),
        color=alt.Color("country:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("country:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("country:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("hectares:Q", title="Hectares", format=","),
                 alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("source_id:N", title="Source")],
    )
    chart = alt.layer(lines, _article_rule(year)).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC World Drug Reports 2022 and 2025, statistical annex "
                                     "(coca cultivation); net area on 31 December where available",
                       sources=sorted(set(h["source_id"])), figure="coca_area_by_country")


def homicide_south_america() -> alt.LayerChart:
    """South American homicide rates, article year vs latest year, Peru highlighted."""
    homicide, countries, sources = load("homicide"), load("countries"), load("sources")
    names = _names(countries)
    a_year = int(report.article_year(sources).point)
    w = violence.rates(homicide, violence.south_america(countries), "wdi_series")
    w = w.dropna(subset=["rate_per_100k"])
    latest = w.sort_values("year").groupby("iso3").tail(1).assign(when="Latest year")
    then = w.loc[w["year"] <= a_year].sort_values("year").groupby("iso3").tail(1)
    then = then.assign(when="Article's year or the latest before it")
    d = pd.concat([then, latest], ignore_index=True)
    d["country"] = d["iso3"].map(names)
    d["group"] = np.where(d["iso3"] == PERU, "Peru", "Other South American countries")
    order = latest.assign(country=latest["iso3"].map(names)).sort_values("rate_per_100k")["country"].tolist()
    y = alt.Y("country:N", sort=order, title=None)
    x = alt.X("rate_per_100k:Q", title="Intentional homicides per 100,000 people")
    colour = theme.highlight_color("group", "Peru", "Other South American countries")
    link = alt.Chart(d).mark_line(color=theme.LIGHT_GREY, strokeWidth=2).encode(
        x=x, y=y, detail="country:N")
    points = alt.Chart(d).mark_point(size=90, strokeWidth=2, filled=False).encode(
        x=x, y=y, stroke=colour,
        shape=alt.Shape("when:N", scale=alt.Scale(
            domain=["Article's year or the latest before it", "Latest year"],
            range=["circle", "diamond"]), title=None,
            legend=alt.Legend(symbolStrokeColor=theme.TEXT, symbolStrokeWidth=1.5)),
        fill=alt.condition("datum.when == 'Latest year'",
                           theme.highlight_color("group", "Peru", "Other South American countries"),
                           alt.value("white")),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("rate_per_100k:Q", title="Per 100,000", format=".1f"),
                 alt.Tooltip("when:N", title="Point")],
    )
    chart = alt.layer(link, points).properties(width=theme.WIDTH, height=22 * len(order))
    return theme.apply(chart, source="World Bank WDI VC.IHR.PSRC.P5 (UNODC/WHO), current vintage",
                       sources=["wdi_homicide"], figure="homicide_south_america")


# --- chapter 2 -------------------------------------------------------------------------------------

MARKET_STYLE = {"Brazil": "BRA", "United States": "USA", "Western Europe": "WEU"}


def cocaine_seizures_brazil_usa_europe() -> alt.LayerChart:
    """Cocaine-type seizures per year: Brazil, the United States, Western and Central Europe."""
    seizures, countries, sources = load("cocaine_seizures"), load("countries"), load("sources")
    s = mk.seizure_series(seizures, countries)
    s = s.loc[s["kilograms"] > 0].assign(tonnes=lambda d: d["kilograms"] / 1000)
    order = list(mk.MARKETS)
    sc = theme.scales(order, [MARKET_STYLE[m] for m in order])
    year = int(report.article_year(sources).point)
    lines = alt.Chart(s).mark_line(point=True).encode(
        x=_year_axis(),
        y=alt.Y("tonnes:Q", title="Cocaine-type drugs seized (tonnes, log scale)",
                scale=alt.Scale(type="log"), axis=alt.Axis(format=",~r")),
        color=alt.Color("market:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("market:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("market:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("market:N", title="Market"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("tonnes:Q", title="Tonnes", format=",.1f"),
                 alt.Tooltip("n_reporting:Q", title="Countries reporting")],
    )
    chart = alt.layer(lines, _article_rule(year)).properties(width=theme.WIDTH, height=theme.HEIGHT)
    ids = sorted({x for ids in s["source_ids"] for x in ids.split(";")})
    return theme.apply(chart, source="UNODC drug seizure series 1995-2019 and World Drug Report "
                                     "2025 annex (2019-2023); Western Europe = Western and Central "
                                     "Europe, countries reporting each year",
                       sources=ids, figure="cocaine_seizures_brazil_usa_europe")


def cocaine_use_prevalence() -> alt.LayerChart:
    """Latest past-year cocaine use, countries of the Americas and Spain, with UNODC's range."""
    use, countries = load("cocaine_use"), load("countries")
    names = _names(countries)
    americas = set(countries.loc[(countries["region"] == "Americas") & ~countries["is_aggregate"], "iso3"])
    t = mk.use_prevalence(use, sorted(americas | {"ESP"}))
    t = t.assign(country=t["iso3"].map(names))
    t["group"] = t["iso3"].where(t["iso3"].isin(["BRA", "USA", PERU]), "OTHER")
    label = {"BRA": "Brazil", "USA": "United States", PERU: "Peru", "OTHER": "Other countries"}
    t["series"] = t["group"].map(label)
    order = [label[k] for k in ("PER", "BRA", "USA", "OTHER")]
    sc = theme.scales(order, ["PER", "BRA", "USA", "OTHER"])
    sort = t.sort_values("prevalence_pct", ascending=False)["country"].tolist()
    y = alt.Y("country:N", sort=sort, title=None)
    ranges = alt.Chart(t.dropna(subset=["low_pct", "high_pct"])).mark_rule(
        color=theme.GREY, strokeWidth=2).encode(
        y=y, x=alt.X("low_pct:Q"), x2="high_pct:Q")
    dots = alt.Chart(t).mark_point(filled=True, stroke="black", strokeWidth=0.6).encode(
        y=y, x=alt.X("prevalence_pct:Q", title="Used cocaine in the past year (% of adults)"),
        size=alt.condition("datum.group != 'OTHER'", alt.value(130), alt.value(50)),
        color=alt.Color("series:N", scale=sc["color"], sort=order, title=None),
        shape=alt.Shape("series:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Survey year"),
                 alt.Tooltip("prevalence_pct:Q", title="Past-year use (%)", format=".2f"),
                 alt.Tooltip("low_pct:Q", title="Low (%)", format=".2f"),
                 alt.Tooltip("high_pct:Q", title="High (%)", format=".2f"),
                 alt.Tooltip("age_group:N", title="Ages"), alt.Tooltip("method:N", title="Method")],
    )
    chart = alt.layer(ranges, dots).properties(width=theme.WIDTH, height=14 * len(sort))
    return theme.apply(chart, source="UNODC World Drug Report 2025, annex 1.2 (national surveys; "
                                     "years, ages and methods differ between countries)",
                       sources=["unodc_wdr2025_prevalence"], figure="cocaine_use_prevalence")


def value_chain() -> alt.LayerChart:
    """The article's value chain under both readings of 'tenfold' (floors, US$ billion)."""
    claims = load("article_claims")
    v = mk.value_chain(claims)
    stage_label = {"source": "Earnings in Peru", "Rio": "Street value in Rio",
                   "London": "Street value in London"}
    v = v.assign(stage_label=v["stage"].map(stage_label),
                 reading_short=v["reading"].map({"tenfold_rio": "'Tenfold' the Rio value",
                                                 "tenfold_source": "'Tenfold' the source value"}),
                 billions=v["low"] / 1e9)
    v["bar"] = np.where(v["stage"] == "London", "London: " + v["reading_short"], v["stage_label"])
    v = v.drop_duplicates("bar")
    v["text"] = [report._cell(x, "USD") for x in v["low"]]
    v["text"] = "at least " + v["text"]
    order = ["Earnings in Peru", "Street value in Rio", "London: 'Tenfold' the source value",
             "London: 'Tenfold' the Rio value"]
    y = alt.Y("bar:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    bars = alt.Chart(v).mark_bar(color=theme.OKABE_ITO["blue"], stroke="black", strokeWidth=0.5).encode(
        y=y, x=alt.X("billions:Q", title="Value, US$ billion a year (lower bounds)"),
        opacity=alt.condition("datum.stage == 'London'", alt.value(0.55), alt.value(1.0)),
        tooltip=[alt.Tooltip("bar:N", title="Stage"), alt.Tooltip("text:N", title="Value"),
                 alt.Tooltip("multiple:Q", title="Multiple of source value"),
                 alt.Tooltip("reading_label:N", title="Reading")],
    )
    labels = alt.Chart(v).mark_text(align="left", dx=4).encode(y=y, x="billions:Q", text="text:N")
    chart = alt.layer(bars, labels).properties(width=theme.WIDTH - 120, height=160)
    return theme.apply(chart, source="Muggah and McDermott (2013); each bar applies the article's "
                                     "multiples to its 'well over $1 billion'",
                       sources=["muggah_mcdermott_2013"], figure="value_chain")


# --- chapter 3 -------------------------------------------------------------------------------------

def criminal_economy_ranges() -> alt.LayerChart:
    """Ranges of each part of the article's criminal economy: interval arithmetic + simulation."""
    claims = load("article_claims")
    sim = ce.simulate(claims)
    rng = ce.article_ranges(claims)
    cap = 1.2 * rng.total_high  # right edge of the chart; open intervals run to it
    parts = [
        ("Drugs", claim_estimate(claims, "drug_earnings_usd"), "drugs"),
        ("Gold", ce.implied_gold(claims), "gold"),
        ("Drugs and gold", ce.drugs_plus_gold(claims), None),
        ("Residual: trafficking, timber, antiquities", ce.residual_range(claims), "residual"),
        ("Total (as stated)", Estimate(None, rng.total_low, rng.total_high, unit="USD"), "total"),
    ]
    rows = []
    for label, est, column in parts:
        lo = est.low if est.low is not None else est.central
        hi = est.high if est.high is not None else cap
        row = {"part": label, "lo": lo / 1e9, "hi": hi / 1e9, "open": est.high is None,
               "interval": str(est), "kind": "Total" if label.startswith("Total") else "Part"}
        if column:
            mc = ce.mc_estimate(sim, column, claims)
            row.update({"q05": mc.low / 1e9, "median": mc.point / 1e9, "q95": mc.high / 1e9,
                        "simulation": str(mc)})
        rows.append(row)
    d = pd.DataFrame(rows)
    order = d["part"].tolist()
    y = alt.Y("part:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    tip = [alt.Tooltip("part:N", title="Part"), alt.Tooltip("interval:N", title="Interval arithmetic"),
           alt.Tooltip("simulation:N", title="Simulation")]
    colour = alt.Color("kind:N", scale=alt.Scale(domain=["Part", "Total"],
                                                 range=[theme.OKABE_ITO["blue"], theme.OKABE_ITO["black"]]),
                       legend=None)
    interval = alt.Chart(d).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lo:Q", title="US$ billion a year", scale=alt.Scale(domain=[min(0, d["q05"].min()), cap / 1e9])),
        x2="hi:Q", color=colour,
        strokeDash=alt.condition("datum.open", alt.value([4, 3]), alt.value([1, 0])), tooltip=tip)
    sim_bar = alt.Chart(d.dropna(subset=["q05"])).mark_bar(size=10, opacity=0.45).encode(
        y=y, x="q05:Q", x2="q95:Q", color=colour, tooltip=tip)
    median = alt.Chart(d.dropna(subset=["median"])).mark_point(
        shape="circle", size=70, filled=True).encode(y=y, x="median:Q", color=colour, tooltip=tip)
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=theme.GREY).encode(x="x:Q")
    chart = alt.layer(zero, interval, sim_bar, median).properties(width=theme.WIDTH - 100, height=200)
    return theme.apply(chart, source="Muggah and McDermott (2013); thin line = interval arithmetic "
                                     "(dashed = open-ended), bar = central 90% and dot = median of "
                                     "the seeded simulation",
                       sources=list(rng.sources), figure="criminal_economy_ranges")


# --- chapter 4 -------------------------------------------------------------------------------------

SERIES_STYLE_KEY = {"criminal_justice": "PER", "wdi_series": "COL", "modelled_all_violence": "BOL",
                    "public_health": "BRA"}
SERIES_SHORT = {"criminal_justice": "UNODC police series", "wdi_series": "World Bank series",
                "modelled_all_violence": "IHME model, all violence",
                "public_health": "UNODC public-health series"}


def peru_homicide_by_source() -> alt.LayerChart:
    """Peru's homicide rate by source and year, with the article's two counts as rates."""
    homicide, population, claims = load("homicide"), load("population"), load("article_claims")
    h = violence.rates(homicide, [PERU]).dropna(subset=["rate_per_100k"])
    h = h.assign(series=h["source_type"].map(SERIES_SHORT))
    types = [t for t in SERIES_SHORT if t in set(h["source_type"])]
    order = [SERIES_SHORT[t] for t in types]
    sc = theme.scales(order, [SERIES_STYLE_KEY[t] for t in types])
    lines = alt.Chart(h).mark_line(point=True).encode(
        x=_year_axis(),
        y=alt.Y("rate_per_100k:Q", title="Homicides per 100,000 people"),
        color=alt.Color("series:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("series:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("series:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("rate_per_100k:Q", title="Per 100,000", format=".1f"),
                 alt.Tooltip("count:Q", title="Count", format=","),
                 alt.Tooltip("source_org:N", title="Organisation")],
    )
    claimed = violence.claimed_rates(claims, population)
    c = pd.DataFrame([
        {"figure": "Ministry of the Interior (article)", "year": e.year, "rate": e.point, "text": str(e)}
        for e in [claimed["interior"]]] + [
        {"figure": "National Police (article)", "year": e.year, "rate": e.point, "text": str(e)}
        for e in [claimed["police"]]])
    marks = alt.Chart(c).mark_point(shape="diamond", size=160, filled=True, color=theme.OKABE_ITO["black"]).encode(
        x="year:Q", y="rate:Q",
        tooltip=[alt.Tooltip("figure:N", title="Figure"), alt.Tooltip("text:N", title="Rate")])
    labels = alt.Chart(c).mark_text(align="left", dx=9, color=theme.TEXT).encode(
        x="year:Q", y="rate:Q", text="figure:N")
    chart = alt.layer(lines, marks, labels).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC Global Study on Homicide 2013; World Bank WDI; IHME GBD "
                                     "2016; the article's counts divided by World Bank population",
                       sources=sorted(set(h["source_id"])) + ["muggah_mcdermott_2013", "wdi_population"],
                       figure="peru_homicide_by_source")


def homicide_source_gap() -> alt.LayerChart:
    """Police rate / modelled rate per South American country (mean over common years)."""
    homicide, countries = load("homicide"), load("countries")
    names = _names(countries)
    t = violence.source_gap_table(homicide, countries)
    t = t.assign(country=t["iso3"].map(names),
                 group=np.where(t["iso3"] == PERU, "Peru", "Other South American countries"),
                 years=t["first_year"].astype(str) + "-" + t["last_year"].astype(str))
    order = t.sort_values("mean_ratio")["country"].tolist()
    y = alt.Y("country:N", sort=order, title=None)
    bars = alt.Chart(t).mark_bar(stroke="black", strokeWidth=0.4).encode(
        y=y, x=alt.X("mean_ratio:Q", title="Police rate divided by modelled rate (mean over years)"),
        color=theme.highlight_color("group", "Peru", "Other South American countries"),
        tooltip=[alt.Tooltip("country:N", title="Country"),
                 alt.Tooltip("mean_ratio:Q", title="Mean ratio", format=".2f"),
                 alt.Tooltip("ratio_last:Q", title="Ratio, last common year", format=".2f"),
                 alt.Tooltip("years:N", title="Years"), alt.Tooltip("n_years:Q", title="Years compared")],
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(bars, one).properties(width=theme.WIDTH, height=22 * len(order))
    return theme.apply(chart, source="UNODC Global Study on Homicide 2013 (police figures) and IHME "
                                     "GBD 2016 (modelled deaths from all violence)",
                       sources=["unodc_gsh2013", "ihme_gbd2016"], figure="homicide_source_gap")


# --- chapter 5 -------------------------------------------------------------------------------------

def model_fit() -> alt.LayerChart:
    """Observed vs predicted homicide rates of the yardstick model; Peru and the two counts."""
    f = report.findings()
    population, claims = load("population"), load("article_claims")
    model, panel = f.misreading, f.panel
    fitted = model.data.assign(predicted=model.fit.fittedvalues / model.data["population"] * 1e5)
    peru = panel.loc[panel["iso3"] == PERU].copy()
    peru["predicted"] = np.asarray(model.fit.predict(peru, offset=np.log(peru["population"]))) \
        / peru["population"].to_numpy() * 1e5
    d = pd.concat([fitted.assign(group="Other countries"), peru.assign(group="Peru")], ignore_index=True)
    d = d.loc[(d["rate_per_100k"] > 0) & (d["predicted"] > 0),
              ["iso3", "year", "rate_per_100k", "predicted", "group", "kg_per_100k"]]
    claimed = violence.claimed_rates(claims, population)
    pred_year = float(peru.loc[peru["year"] == f.year, "predicted"].iloc[0])
    be_rate = violence.count_as_rate(f.break_even.point, population, PERU, f.year)
    c = pd.DataFrame([{"figure": "Ministry's count", "rate": claimed["interior"].point,
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
        tooltip=[alt.Tooltip("iso3:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
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
        for name, dy in (("Ministry's count", 0), ("Police count", -5), ("Break-even", 7))])
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
    names = _names(countries)
    sa = violence.south_america(countries)
    w = corruption.loc[(corruption["indicator"] == "wgi_cc_est") & corruption["iso3"].isin(sa)]
    band = w.groupby("year")["value"].agg(low="min", high="max", median="median").reset_index()
    lines = w.loc[w["iso3"].isin(FOCUS)].assign(country=lambda d: d["iso3"].map(names))
    order = [names[i] for i in FOCUS]
    sc = theme.scales(order, list(FOCUS))
    x = _year_axis()
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


# --- chapter 6 -------------------------------------------------------------------------------------

def peru_eradication_vs_cultivation() -> alt.LayerChart:
    """Peru: hectares eradicated each year (bars) and hectares under coca (line)."""
    eradication, coca = load("coca_eradication"), load("coca_cultivation")
    er = eradication.loc[eradication["iso3"] == PERU].assign(what="Eradicated during the year")
    h = producers.headline(coca)
    cu = h.loc[h["iso3"] == PERU].assign(what="Under coca at the end of the year")
    y = alt.Y("hectares:Q", title="Hectares", axis=alt.Axis(format=",d"))
    bars = alt.Chart(er).mark_bar(color=theme.OKABE_ITO["sky_blue"], stroke="black", strokeWidth=0.5,
                                  opacity=0.8).encode(
        x=alt.X("year:O", title="Year"), y=y,
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("hectares:Q", title="Eradicated (ha)", format=",.0f"),
                 alt.Tooltip("source_id:N", title="Source")])
    line = alt.Chart(cu).mark_line(point=alt.OverlayMarkDef(shape="circle", size=55, filled=True,
                                                             color=theme.STYLE["PER"].color),
                                   color=theme.STYLE["PER"].color).encode(
        x=alt.X("year:O", title="Year"), y=y,
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("hectares:Q", title="Under coca (ha)", format=",.0f"),
                 alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("source_id:N", title="Source")])
    key = pd.DataFrame({"what": ["Eradicated during the year (bars)", "Under coca at the end of the year (line)"]})
    legend = alt.Chart(key).mark_point(opacity=0).encode(
        color=alt.Color("what:N", title=None, scale=alt.Scale(
            domain=key["what"].tolist(), range=[theme.OKABE_ITO["sky_blue"], theme.STYLE["PER"].color]),
            legend=alt.Legend(symbolOpacity=1, symbolType="square", orient="top")))
    chart = alt.layer(bars, line, legend).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC World Drug Report 2022 annex (reported eradication, "
                                     "including repeated eradication of the same fields) and coca "
                                     "cultivation annexes",
                       sources=sorted(set(er["source_id"]) | set(cu["source_id"])),
                       figure="peru_eradication_vs_cultivation")


FIGURES = {f.__name__: f for f in (
    coca_area_by_country, homicide_south_america, cocaine_seizures_brazil_usa_europe,
    cocaine_use_prevalence, value_chain, criminal_economy_ranges, peru_homicide_by_source,
    homicide_source_gap, model_fit, corruption_peru_peers, peru_eradication_vs_cultivation)}
