"""Appendix A, chapters/a1-data-methods.qmd: where the data come from, what each field means,
the choices made, and the models' specifications and diagnostics.

`bundle()` holds the appendix's named values and tables; the tables are read from the data
package (datapackage.json, schemas/, sources.csv) of the folder rendered from; the model
diagnostics come from analysis/explanations.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import criminal_economy as ce
from analysis import explanations as ex
from analysis import producers
from analysis.data import data_dir, load
from analysis.estimate import Branch, Estimate, choose, year_span
from analysis import specifications as sp
from analysis.report.explanations import CHOICE_LABELS, findings, reading
from analysis.report.markdown import Markdown, Table, cell, code_span, en_dash_ranges, md_escape
from analysis.report.values import (ARTICLE_SOURCE, PERU, Bundle, as_count, as_year,
                                    data_package, year_ranges)


def _schema(folder: Path, resource: dict) -> dict:
    """A resource's field schema (inline, or the schemas/<table>.json it names)."""
    schema = resource.get("schema")
    if isinstance(schema, str):
        return json.loads((folder / schema).read_text(encoding="utf-8"))
    return schema or {"fields": []}


def _constraint_text(constraints: dict) -> str:
    """Field constraints in words, as Markdown: 'required; >= 0; one of `a`, `b`'."""
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if "minimum" in constraints:
        parts.append(md_escape(f">= {constraints['minimum']}"))
    if "maximum" in constraints:
        parts.append(md_escape(f"<= {constraints['maximum']}"))
    if "enum" in constraints:
        parts.append("one of " + ", ".join(code_span(v) for v in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern {code_span(constraints['pattern'])}")
    if constraints.get("unique"):
        parts.append("unique")
    return Markdown("; ".join(parts))  # codes and patterns as code spans: printed monospace, as written


def dictionary_table(folder: Path | None = None) -> pd.DataFrame:
    """One row per field of every table, from datapackage.json and schemas/*.json."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in data_package(folder)["resources"]:
        for fld in _schema(folder, res).get("fields", []):
            rows.append({"Table": res["name"], "Field": fld["name"], "Type": fld.get("type", ""),
                         "Unit": str(fld.get("unit", "") or ""),
                         "Meaning": en_dash_ranges(fld.get("description") or fld.get("title") or ""),
                         "Constraints": _constraint_text(fld.get("constraints", {}))})
    return pd.DataFrame(rows)


def dictionary_compact(folder: Path | None = None) -> pd.DataFrame:
    """The data dictionary as the PDF prints it: one row per table, its fields named in order
    (the primary key first), from the same schemas as `dictionary_table`.

    Why: the full dictionary (a row per field with type, unit, meaning and constraints) runs
    to several printed pages of one-word lines; the HTML book and the data package keep it in
    full, and the printed page names the fields and says where the rest is."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in data_package(folder)["resources"]:
        schema = _schema(folder, res)
        names = [fld["name"] for fld in schema.get("fields", [])]
        key = schema.get("primaryKey") or []
        key = [key] if isinstance(key, str) else list(key)
        rows.append({"Table": res["path"], "Fields (key first)": ", ".join(
            [n for n in key if n in names] + [n for n in names if n not in key])})
    return pd.DataFrame(rows)


def files_table(folder: Path | None = None) -> pd.DataFrame:
    """The curated tables: rows, years covered, checksum (from the data package)."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in data_package(folder)["resources"]:
        frame = load(res["name"], folder)
        years = ""
        if "year" in frame.columns and frame["year"].notna().any():
            years = year_span(int(frame['year'].min()), int(frame['year'].max()))
        rows.append({"Table": res["path"], "Title": res.get("title", ""),
                     "Rows": cell(res.get("rows", len(frame)), "count"), "Years": years,
                     "SHA-256": _short_hash(res.get("hash", ""))})
    return pd.DataFrame(rows)


HASH_SHOWN = 16  # hex characters of a checksum shown in the book; the files hold all 64


def _short_hash(value) -> str:
    text = "" if value is None or pd.isna(value) else str(value).removeprefix("sha256:")
    return f"{text[:HASH_SHOWN]}…" if len(text) > HASH_SHOWN else text


def _short_copy(intermediary) -> str:
    """'github.com/owner/repo@<40 hex> path/to/file.xlsx' -> 'owner/repo@abcdef1, file.xlsx'."""
    text = "" if intermediary is None or pd.isna(intermediary) else str(intermediary)
    m = re.match(r"(?:https?://)?github\.com/(?P<repo>[^@\s]+)@(?P<sha>[0-9a-f]{7,40})\s*(?P<path>.*)$", text)
    if not m:
        return text
    name = m.group("path").strip().rsplit("/", 1)[-1]
    return Markdown(code_span(f"{m.group('repo')}@{m.group('sha')[:7]}")
                    + (f", {code_span(name)}" if name else ""))  # printed monospace, as named


def provenance_table(folder: Path | None = None) -> pd.DataFrame:
    """sources.csv for readers: publisher, title, intermediary copy, raw file checksum.

    Checksums and commits are abbreviated for the page; data/sources.csv holds them in full.
    """
    s = load("sources", folder)
    return pd.DataFrame({
        "Source id": s["source_id"], "Publisher": s["publisher"], "Title": s["title"].map(en_dash_ranges),
        "Year": s["year"].astype("Int64").astype(str),
        "Taken from": [_short_copy(v) for v in s["intermediary"]],
        "Raw file SHA-256": [_short_hash(v) for v in s["raw_sha256"]],
    })


def model_table(f=None) -> pd.DataFrame:
    """Specification and diagnostics of every model in the report (tbl-model-diagnostics)."""
    f = f if f is not None else findings()
    rows = []
    models = (("Misreading (headline)", f.misreading, "x_drugs", "drug intensity"),
              ("Misreading, police series", f.police_model, "x_drugs", "drug intensity"),
              ("Complicity", f.complicity, "xd", "drug intensity (centred)"),
              ("Complicity", f.complicity, "xc", "corruption (centred, sign flipped)"),
              ("Complicity", f.complicity, "xd:xc", "drug x corruption"))
    for name, model, term, label in models:
        d = ex.term_diagnostics(model, term)
        rows.append({
            "Model": name, "Formula": model.formula, "Term": label,
            "Coefficient (95% CI)": str(Estimate(d["coef"], d["ci_low"], d["ci_high"],
                                                 digits=2, interval="CI")).replace("(CI ", "("),
            "n": cell(d["n_obs"], "count"), "Countries": cell(d["n_countries"], "count"),
            "Years": year_span(int(d['first_year']), int(d['last_year'])),
            "Dispersion (Pearson chi2 / df)": cell(d["dispersion"], "", 1),
            "Between-country SD": cell(d["sigma"], "", 2),
            "Converged": "yes" if d["converged"] else "no",
        })
    ols = f.ols["drug_effect"]
    rows.append({"Model": "Check: OLS on log rates", "Formula": "log(rate) ~ x_drugs + C(year)",
                 "Term": "drug intensity", "Coefficient (95% CI)": str(ols),
                 "n": "", "Countries": "", "Years": "", "Dispersion (Pearson chi2 / df)": "",
                 "Between-country SD": "", "Converged": "yes"})
    return pd.DataFrame(rows)


def _ci(point, low, high, digits: int = 2, unit: str = "") -> str:
    """'0.07 (−0.06 to 0.20)': a point and its 95% interval through the formatter."""
    if pd.isna(point):
        return ""
    return str(Estimate(float(point), float(low), float(high), unit=unit, digits=digits,
                        interval="")).replace("( ", "(")


def _choices(g: pd.DataFrame, dims) -> dict:
    """The reader-facing labels of each specification's choices (chapter 5's figure labels)."""
    return {CHOICE_LABELS[d][0] if d in CHOICE_LABELS else d: g[d].map(CHOICE_LABELS[d][1])
            if d in CHOICE_LABELS else g[d] for d in dims}


def misreading_table(x=None) -> pd.DataFrame:
    """Every estimable specification of the first explanation for the year of the article's
    counts (tbl-specifications): its choices, Peru's gap, the outlier flag, the break-even count
    with its 95% CI and the drug coefficient (`not_estimable` lists the others)."""
    x = x if x is not None else reading()
    g = x.curves.misreading
    g = g.loc[g["estimable"] & (g["year"] == x.year)].sort_values("z", kind="stable")
    t = pd.DataFrame({"#": g["spec_id"].astype(int).astype(str), **_choices(g, sp.CHOICES)})
    t["Gap (SDs)"] = [cell(z, "", 2) for z in g["z"]]
    t["Outlier"] = np.where(g["outlier"].astype(bool), "yes", "no")
    t["Break-even (95% CI)"] = [_ci(b, lo, hi, 0, "count") for b, lo, hi in
                                zip(g["break_even"], g["break_even_low"], g["break_even_high"])]
    t["Drug coefficient (95% CI)"] = [_ci(b, lo, hi) for b, lo, hi in zip(g["drug_coef"], g["drug_low"], g["drug_high"])]
    return t


def _reader(reason: str) -> str:
    """A reason from the grid with series ids in the reader's words ('public_health' ->
    'public health')."""
    for key, label in CHOICE_LABELS["series"][1].items():
        reason = reason.replace(key, f"{label} series")
    return reason.replace("wgi_cc_est", "the WGI").replace("cpi_0_100", "the CPI")


def not_estimable(x=None) -> Branch:
    """Why some specifications have no result (each distinct reason once, with its count)."""
    x = x if x is not None else reading()
    g = x.curves.misreading
    g = g.loc[~g["estimable"]].drop_duplicates("spec_id")
    reasons = g["reason"].value_counts()
    text = "; ".join(f"{n} specifications: {_reader(why)}" for why, n in reasons.items())
    return Branch(text=(text + ".") if text else "Every specification could be estimated.",
                  branch="not_estimable:" + str(len(g)), sources=sp.grid_sources(x.curves.misreading))


def complicity_table(x=None) -> pd.DataFrame:
    """Every specification of the second explanation (tbl-complicity-specifications)."""
    x = x if x is not None else reading()
    g = x.curves.complicity.sort_values(["estimable", "interaction"], ascending=[False, True])
    dims = [d for d in sp.COMPLICITY_CHOICES if d != "drug"]
    t = pd.DataFrame({"#": g["spec_id"].astype(int).astype(str), **_choices(g, dims)})
    t = t.rename(columns={"indicator": "Index"})
    t["Index"] = g["indicator"].map({"wgi_cc_est": "WGI", "cpi_0_100": "CPI"})
    t["n"] = [cell(n, "count") for n in g["n_obs"]]
    t["Interaction (95% CI)"] = [
        _ci(b, lo, hi) if e else _reader(str(reason)) for b, lo, hi, e, reason in
        zip(g["interaction"], g["interaction_low"], g["interaction_high"], g["estimable"], g["reason"])]
    t["Interaction"] = g["interaction_grade"].fillna("")
    # an association across countries, not corruption's causal effect (review 2, item 20)
    t["Corruption's association with homicide, average drug intensity (95% CI)"] = [_ci(b, lo, hi) for b, lo, hi in
                                       zip(g["corruption_effect"], g["corruption_low"], g["corruption_high"])]
    t["Association"] = g["corruption_grade"].fillna("")
    return t


def outlier_by_year(x=None) -> pd.DataFrame:
    """The share of specifications in which Peru is an outlier, year by year (tbl-outlier-years)."""
    x = x if x is not None else reading()
    s = sp.share_by_choice(x.curves.misreading, "outlier")
    s = s.loc[s["dimension"] == "year"]
    return pd.DataFrame({"Year": s["option"].astype(int).astype(str),
                         "Specifications": [cell(n, "count") for n in s["n"]],
                         "Peru an outlier": [cell(v, "percent", 0) for v in s["share"]]})


def bundle() -> Bundle:
    """Appendix A: provenance, data dictionary, choices, models."""
    folder = data_dir()
    desc = data_package(folder)
    f = findings()
    r = Bundle()
    r.n_tables = as_count(len(desc["resources"]))
    r.n_rows = as_count(sum(int(res.get("rows", 0)) for res in desc["resources"]))
    r.provenance_table = Table(provenance_table(folder))
    r.files_table = Table(files_table(folder))
    r.dictionary_table = Table(dictionary_table(folder))
    r.dictionary_compact = Table(dictionary_compact(folder))
    coca = load("coca_cultivation")
    two = producers.years_with_both_measures(coca, PERU)
    r.coca_rule_sentence = choose(
        bool(two), f"Peru has both measures for {year_ranges(two)}.",
        "No year has both measures for Peru in this data vintage.",
        labels=("peru_two_measures", "peru_one_measure"), sources=("unodc_wdr2025_coca",))
    corr = load("corruption")
    new_scale = corr.loc[corr["indicator"] == "cpi_0_100", "year"]
    r.cpi_break_year = as_year(int(new_scale.min()) if not new_scale.empty else 2012, ("ti_cpi_2012_2022",))
    r.model_spec_sentence = Branch(
        text=f"The headline model is a {f.misreading.describe()} The complicity model adds "
             f"corruption and its interaction with drug intensity: {f.complicity.describe()}",
        branch="model_spec", sources=tuple(f.prediction["predicted_rate"].sources))
    r.model_table = Table(model_table(f))
    x = reading()
    r.spec_table = Table(misreading_table(x))
    r.complicity_spec_table = Table(complicity_table(x))
    r.outlier_years_table = Table(outlier_by_year(x))
    r.not_estimable = not_estimable(x)
    r.level = Branch(text=cell(100 * sp.LEVEL, "percent", 0), branch="constant:specifications.LEVEL")
    r.spec_year = as_year(x.year, sp.grid_sources(x.curves.misreading))
    sim_claims = load("article_claims")
    r.mc_draws = as_count(len(ce.simulate(sim_claims)), (ARTICLE_SOURCE,))
    readings = ce.Readings()
    r.mc_readings = Branch(
        text=(f"drug earnings uniform between the stated floor and {readings.well_over_cap:g} "
              f"times it (\"well over\"); the gold-to-drugs multiple uniform between "
              f"{readings.almost_floor:g} times the stated multiple and the multiple itself "
              f"(\"almost\"); the total uniform over its stated range."),
        branch="mc_readings", sources=(ARTICLE_SOURCE,))
    return r
