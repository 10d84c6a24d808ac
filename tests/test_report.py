"""analysis/report/: the named values each chapter shows, one module per chapter.

The bundles are thin (the statistics are tested in the argument modules they come from); what
is tested here is the contract with the chapters: each chapter imports only its own module,
every value a chapter names exists, every value is an Estimate, a data-chosen Branch or a
Table, tables render as Markdown, and the pickers (year lists, branches) have known answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, strategies as st, settings

from analysis import violence
from analysis.data import load
from analysis.estimate import Branch, Estimate
from analysis.report import book, captions, citation, index, outlook, paradox, values
from analysis.report.markdown import curly_quotes, Markdown, Table, md_escape, register_markdown_formatters

ROOT = Path(__file__).resolve().parent.parent
SETUP = re.compile(r"^from analysis\.report import (?P<module>\w+)\n\nr = (?P=module)\.bundle\(\)$", re.M)
ANALYSIS_IMPORT = re.compile(r"^\s*(?:from|import)\s+analysis\b.*$", re.M)
INLINE = re.compile(r"`\{python\}\s+r\.(?P<name>\w+)\s*`")
CELL_VALUE = re.compile(r"^r\.(?P<name>\w+)$", re.M)


@pytest.fixture(scope="module")
def bundles(book_bundles):
    """Every chapter's bundle from the repository's data (built once per session, conftest)."""
    return book_bundles


def book_files():
    files = [ROOT / "index.qmd", *sorted((ROOT / "chapters").glob("*.qmd"))]
    return [(p, p.read_text(encoding="utf-8")) for p in files]


@pytest.mark.parametrize("path,text", book_files(), ids=lambda x: getattr(x, "name", ""))
def test_every_name_a_chapter_uses_exists_in_its_bundle(path, text, bundles):
    setup = SETUP.search(text)
    assert setup, f"{path.name}: no `from analysis.report import <module>` / `r = <module>.bundle()` setup cell"
    stem = "index.qmd" if path.name == "index.qmd" else path.stem
    module = book.CHAPTERS[stem].__name__.rsplit(".", 1)[-1]
    assert setup.group("module") == module, f"{path.name}: its module is analysis/report/{module}.py"
    names = set(INLINE.findall(text)) | set(CELL_VALUE.findall(text))
    missing = sorted(names - set(bundles[stem].names()))
    assert not missing, f"{path.name}: names not in {module}.bundle(): {missing}"


@pytest.mark.parametrize("path,text", book_files(), ids=lambda x: getattr(x, "name", ""))
def test_a_chapter_imports_only_its_own_module(path, text):
    # One chapter, one module: the trail from a chapter to its code has one step, and the
    # renderer's cache re-executes a chapter only when its own module (or what it uses) changes.
    stem = "index.qmd" if path.name == "index.qmd" else path.stem
    module = book.CHAPTERS[stem].__name__.rsplit(".", 1)[-1]
    assert ANALYSIS_IMPORT.findall(text) == [f"from analysis.report import {module}"]


def test_every_chapter_file_has_its_module_named_like_it():
    # chapters/02-markets.qmd <-> analysis/report/markets.py; a1-data-methods <-> data_methods
    stems = {p.stem for p in (ROOT / "chapters").glob("*.qmd")} | {"index.qmd"}
    assert set(book.CHAPTERS) == stems
    for stem, module in book.CHAPTERS.items():
        name = stem.removesuffix(".qmd").split("-", 1)[-1].replace("-", "_")
        assert module.__name__ == f"analysis.report.{name}", stem


@pytest.mark.parametrize("stem", sorted(book.BUNDLES))
def test_bundle_values_are_estimates_branches_or_tables(stem, bundles):
    for name in bundles[stem].names():
        value = getattr(bundles[stem], name)
        assert isinstance(value, (Estimate, Branch, Table, Markdown)), \
            f"{stem}.{name} is {type(value).__name__}"
        if isinstance(value, (Estimate, Branch)):
            # Everything shown inline is recorded by the renderer's claims ledger.
            claim = value._repr_claim_()
            assert claim["text"] == str(value) and claim["kind"] in ("number", "branch")


@pytest.mark.parametrize("stem", sorted(book.BUNDLES))
def test_tables_have_rows_and_no_missing_headers(stem, bundles):
    for name in bundles[stem].names():
        value = getattr(bundles[stem], name)
        if isinstance(value, Table):
            assert len(value) > 0, f"{stem}.{name} is empty"
            assert all(isinstance(c, str) and c for c in value.columns)
            md = value.to_markdown().splitlines()
            assert len(md) == len(value) + 2


def test_numbers_in_the_bundles_carry_their_sources(bundles):
    # A number with no source cannot be cited; counts of years or tables are exempt when
    # they describe the book itself (the appendix bundles).
    sourced = ("index.qmd", "01-paradox", "02-markets", "03-criminal-economy", "04-counting-the-dead",
               "05-explanations", "06-outlook")
    unsourced = [f"{stem}.{name}" for stem in sourced for name in bundles[stem].names()
                 if isinstance(v := getattr(bundles[stem], name), Estimate) and not v.sources]
    assert not unsourced, unsourced


def test_year_values_print_plainly():
    # 2013 is a label, not a quantity: no thousands separator, and the ledger text agrees.
    year = values.as_year(2013, ("muggah_mcdermott_2013",))
    assert str(year) == "2013"
    assert year._repr_claim_()["text"] == "2013"
    assert year._repr_claim_()["sources"] == ["muggah_mcdermott_2013"]


def test_year_lists_and_ranges():
    assert values.year_ranges([2011, 2012, 2013, 2015]) == "2011\u20132013 and 2015"  # an en dash, as every range
    assert values.year_ranges([2012]) == "2012"
    assert values.year_ranges([]) == ""
    b = values.year_list([2012, 2013], ["unodc_wdr2025_coca"], "peru_largest")
    assert str(b) == "2012 and 2013" and b.branch == "peru_largest:2012,2013"
    assert str(values.year_list([], [], "x")) == "no year at all"


def test_multiway_branch_takes_the_first_true_option_and_needs_a_fallback():
    b = values.branch([(False, "a", "la"), (True, "b", "lb"), (True, "c", "lc")], ["s"])
    assert (str(b), b.branch, b.sources) == ("b", "lb", ("s",))
    with pytest.raises(ValueError, match="fallback"):
        values.branch([(False, "a", "la")])


def test_known_answers_from_the_unodc_table(bundles):
    # UNODC WDR 2025 annex, headline (net) areas: 2012 Peru 60,400 > Colombia 48,000;
    # 2013 Peru 49,800 > Colombia 48,000; 2011 Peru 62,500 < Colombia 64,000 -> 2012 and 2013.
    r = bundles["01-paradox"]
    assert str(r.peru_largest_years) == "2012 and 2013"
    assert str(r.peru_area_article_year) == "49,800 hectares"
    assert r.leader_article_year_sentence.branch == "peru_leads"
    # The satellite-interpreted 2011 figure (64,400 > 64,000) flips 2011.
    assert r.sensitivity_sentence.branch == "definition_matters" and "2011" in str(r.sensitivity_sentence)


def test_known_answers_for_the_two_counts(bundles):
    # 10,000 / 29.55 million people (Peru 2012) x 100,000 = 33.8; 3,000 -> 10.2.
    r = bundles["04-counting-the-dead"]
    # the sentence names the year ("Divided by Peru's population in 2012, ..."): no "(2012)" tag,
    # the ledger keeps the year
    assert str(r.count_year) == "2012"
    assert str(r.ministry_rate) == "33.8 per 100,000"
    assert str(r.police_rate) == "10.2 per 100,000"
    assert r.ministry_rate._repr_claim_()["year"] == r.police_rate._repr_claim_()["year"] == 2012
    # UNODC GSH police counts: 1,526 (2004) -> 3,057 (2005) = 2.0 times, the largest jump.
    assert (str(r.gsh_jump_before), str(r.gsh_jump_after)) == ("1,526 homicides", "3,057 homicides")
    assert str(r.gsh_jump_year_after) == "2005" and str(r.gsh_jump_ratio) == "2.0 times"


def test_table_markdown_escapes_and_aligns():
    t = Table(pd.DataFrame({"Name": ["a|b", "$5-7 billion"], "Rows": ["1,260", "45%"]}))
    lines = t.to_markdown().splitlines()
    assert lines[0] == "| Name | Rows |"
    assert lines[1] == "|:---|---:|"
    assert lines[2] == "| a\\|b | 1\\,260 |"
    assert lines[3] == "| \\$5\\-7 billion | 45\\% |"


@settings(deadline=None)  # builds DataFrames: wall time varies on a loaded machine
@given(st.lists(st.text(alphabet="ab|$*_[]`\\ 12", max_size=12), min_size=1, max_size=5))
def test_table_cells_never_break_the_pipe_table(cells):
    # Whatever a cell holds, each row has exactly as many unescaped pipes as the header.
    t = Table(pd.DataFrame({"A": cells, "B": cells}))
    for line in t.to_markdown().splitlines():
        unescaped = re.sub(r"\\.", "", line)
        assert unescaped.count("|") == 3


def test_bundles_read_the_data_folder_they_are_given(tmp_path, monkeypatch):
    # PARADOX_DATA is how `paradox render --data DIR` reaches a chapter; a folder whose coca
    # table stops in 2013 moves the "latest year" with it.
    import shutil

    cut = tmp_path / "data"
    shutil.copytree(ROOT / "data", cut)
    coca = pd.read_csv(cut / "coca_cultivation.csv", dtype=str, keep_default_na=False)
    coca.loc[coca["year"].astype(int) <= 2013].to_csv(cut / "coca_cultivation.csv", index=False)
    monkeypatch.setenv("PARADOX_DATA", str(cut))
    r = paradox.bundle()
    assert str(r.latest_year) == "2013"
    assert r.leader_latest_sentence.branch == "peru_leads"
    assert r.claim_status_sentence.branch == "claim_holds"


def test_estimates_display_as_markdown_in_a_kernel_for_quarto():
    # Quarto reads an inline value's text/markdown representation; register it on a shell.
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert register_markdown_formatters(shell)
    data, _ = shell.display_formatter.format(Estimate(None, 5e9, 7e9, unit="USD"))
    assert data["text/markdown"] == "\\$5\u20137 billion"
    data, _ = shell.display_formatter.format(Branch("Peru grew more coca.", "peru_leads"))
    assert data["text/markdown"] == "Peru grew more coca\\."
    assert "text/markdown" in shell.display_formatter.format(Table(pd.DataFrame({"a": ["1"]})))[0]


def test_every_source_id_a_value_names_is_a_known_source(bundles):
    # The claims ledger links each number to its sources; an unknown id is a dead link.
    from analysis.data import load

    known = set(load("sources")["source_id"])
    bad = {f"{stem}.{name}": sorted(set(v.sources) - known)
           for stem, b in bundles.items() for name in b.names()
           if isinstance(v := getattr(b, name), (Estimate, Branch)) and set(v.sources) - known}
    assert not bad, bad


@pytest.mark.parametrize("change,later,label", [
    (0.0, False, "no_later_data"),     # the data end in the article's year
    (80.0, True, "escalated"),         # +80% >= +50%
    (27.0, True, "rose_modestly"),     # 6.8 -> 8.6 per 100,000 is +26.5%: a rise, not +50%
    (5.0, True, "flat"),               # within +-10%
    (-30.0, True, "fell"),
])
def test_every_escalation_branch(change, later, label):
    assert outlook.escalation_sentence(change, later_data=later).branch == label


def _matched(rows):
    return pd.DataFrame(rows, columns=["end_year", "coca_pct", "other_pct"])


@pytest.mark.parametrize("rows,later,label", [
    # Peru 2013 -> 2019: coca 49,800 -> 54,700 ha = +9.8%, rate 6.75 -> 7.35 = +8.9%;
    # -> 2020: coca 61,800 = +24.1%, rate 5.80 = -14.1%: 1 point apart, then 38: depends
    ([(2019, 9.8, 8.9), (2020, 24.1, -14.1)], True, "depends_on_end_year"),
    ([(2019, 60.0, 8.9), (2020, 80.0, -14.1)], True, "coca_grew_faster_than_violence"),
    ([(2019, 0.0, 40.0), (2020, -10.0, 30.0)], True, "violence_outpaced_coca"),
    ([], True, "no_matched_years"),
    ([], False, "no_later_coca"),
])
def test_every_coca_growth_branch(rows, later, label):
    b = outlook.coca_growth_sentence(_matched(rows), 2013, later_data=later)
    assert b.branch == label


def test_coca_growth_quotes_both_end_years_from_the_same_start():
    b = outlook.coca_growth_sentence(_matched([(2019, 9.84, 8.89), (2020, 24.10, -14.07)]), 2013)
    assert b.text.startswith("Compared over the same years, from 2013 to 2019 coca area changed "
                             "by 10% and the homicide rate by 9%; to 2020 coca area changed by "
                             "24% and the homicide rate by \u221214%.")


def test_escalation_names_the_end_year_dependence():
    # 2013 -> 2021 +27%, but -14% to 2020: the sentence gives the span
    span = Estimate(27.4, -14.1, 27.4, unit="percent", digits=0, interval="range")
    b = outlook.escalation_sentence(27.4, span=span)
    assert b.branch == "rose_modestly" and "from \u221214 to 27%" in b.text
    assert "depends on the end year" not in outlook.escalation_sentence(27.4).text


def test_how_to_cite_quotes_a_real_figure_caption_and_the_index_number(bundles):
    # the example number is the index page's homicide rate, under the fixed ledger id the
    # renderer takes from the claim dict; the example figure's caption is chapter 1's, its
    # finding chosen by the data
    md = bundles["a3-cite"].how_to_cite
    rate = bundles["index.qmd"].peru_rate_latest
    assert rate._repr_claim_()["id"] == citation.EXAMPLE_CLAIM_ID
    assert f"\u201c{md_escape(str(rate))}\u201d" in md and f"`{citation.EXAMPLE_CLAIM_ID}`" in md
    caption = captions.figure_caption(citation.EXAMPLE_FIGURE_ID, bundles["01-paradox"])
    assert caption.startswith(str(bundles["01-paradox"].coca_area_finding))
    assert md_escape(curly_quotes(caption)) in md and "figures/fig-coca-area.zip" in md
    with pytest.raises(ValueError, match="pass the chapter's bundle"):
        captions.figure_caption(citation.EXAMPLE_FIGURE_ID)
    with pytest.raises(KeyError, match="fig-nowhere"):
        captions.figure_caption("fig-nowhere")


def test_what_changed_is_shown_only_when_the_render_gives_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("PARADOX_CHANGES_FILE", raising=False)
    assert index.changes().what_changed is None
    changes = tmp_path / "changes.md"
    changes.write_text("1 number changed.\n", encoding="utf-8")
    monkeypatch.setenv("PARADOX_CHANGES_FILE", str(changes))
    shown = index.changes().what_changed
    assert shown.startswith("## What changed in this edition\n")
    assert shown._repr_markdown_().endswith("1 number changed.\n")


@pytest.mark.parametrize("rank,n,rate,median,label", [
    (3, 10, 6.8, 8.9, "x:safest_third"),     # 3 <= 10 / 3 (the 2013 cut)
    (6, 12, 8.6, 8.8, "x:about_median"),     # 8.6 / 8.8 - 1 = -2.3%, within 10% (2021)
    (6, 12, 6.0, 8.8, "x:safer_half"),       # -32%: not about the median; 6 <= 6.5
    (9, 12, 12.0, 8.8, "x:violent_half"),    # +36%; 9 > 6.5
])
def test_peru_place_follows_the_distance_from_the_median(rank, n, rate, median, label):
    near = paradox._near_median(rate, median)
    assert paradox._rank_place(rank, n, (), "x", near_median=near).branch == label


@pytest.mark.parametrize("flips,leader,rank,n,label", [
    ([2011], "COL", 6, 12, "neither_unqualified"),   # lead hangs on measure; 6th of 12
    ([2011], "PER", 3, 10, "coca_qualified"),        # the 2013 cut: safest third
    ([], "PER", 6, 12, "safety_qualified"),
    ([], "PER", 2, 12, "both_survive"),
])
def test_chapter_one_verdict_names_which_half_needs_qualifying(flips, leader, rank, n, label):
    assert paradox._verdict(flips, leader, rank, n, ()).branch == label


def test_police_series_is_set_beside_the_latest_world_bank_rate():
    """Review 2, item 12: UNODC's police series put Peru at 9.6 per 100,000 in 2012 (its last
    year, homicide.csv), above the World Bank's 8.6 for 2021; it cannot measure the change."""
    police = violence.change_since(load("homicide"), "PER", 2013, "criminal_justice")
    assert police["start"].point == 9.6 and police["start"].year == 2012 and not police["later_data"]
    end = Estimate(8.6, unit="per_100k", year=2021)
    assert outlook.police_sentence(police, end).branch == "police_ends_above_latest"
    assert outlook.police_sentence(police, end.with_(point=9.7)).branch == "police_ends_below_latest"
    later = {**police, "later_data": True, "end": Estimate(12.0, unit="per_100k", year=2020)}
    assert outlook.police_sentence(later, end).branch == "police_later_data"
    assert outlook.police_sentence(None, end).text == ""


def _by_year(rows):
    return pd.DataFrame(rows, columns=["year", "outliers", "n", "share", "verdict"])


@pytest.mark.parametrize("rows,label", [
    # World Bank series, full data: 18 of 36 (2012, fragile) ... 1 of 36 (2021, not shown)
    ([(2012, 18, 36, 50.0, "fragile"), (2013, 10, 36, 27.8, "fragile"),
      (2021, 1, 36, 2.8, "not shown")], "outlier_weaker"),
    ([(2012, 3, 36, 8.3, "not shown"), (2021, 30, 36, 83.3, "mostly")], "outlier_stronger"),
    ([(2012, 18, 36, 50.0, "fragile"), (2021, 15, 36, 41.7, "fragile")], "outlier_unchanged"),
    ([(2011, 19, 36, 52.8, "fragile"), (2012, 18, 36, 50.0, "fragile")], "no_later_curve"),
])
def test_every_outlier_trend_branch(rows, label):
    assert outlook.outlier_trend_sentence(_by_year(rows), 2012, ["wdi_series"]).branch == label


def test_outlier_trend_names_the_series_and_the_years_between():
    b = outlook.outlier_trend_sentence(_by_year([
        (2012, 18, 36, 50.0, "fragile"), (2013, 10, 36, 27.8, "fragile"),
        (2018, 3, 36, 8.3, "not shown"), (2021, 1, 36, 2.8, "not shown")]), 2012, ["wdi_series"])
    assert ("World Bank series (the only series that reaches 2021), Peru is an outlier in 1 of 36 "
            "specifications for 2021 (3%: \"not shown\"") in b.text
    assert "18 of 36 on the same series for 2012 (50%: \"fragile\")" in b.text
    assert "the share ran from 8 to 28%" in b.text


def test_the_2013_lead_is_set_against_the_gap_between_the_two_2011_measures():
    """Review 2, item 22: Peru's 2013 lead over Colombia (worked here from the headline
    rows: 49,800 - 48,000 = 1,800 ha) is smaller than the gap between UNODC's satellite and net
    figures for Peru's 2011 area (64,400 - 62,500 = 1,900 ha)."""
    from analysis import producers
    coca = load("coca_cultivation")
    peru11 = coca.loc[(coca["iso3"] == "PER") & (coca["year"] == 2011)]
    gap = peru11["hectares"].max() - peru11["hectares"].min()
    assert gap == 1900
    lead = producers.lead_margin(coca, 2013)
    assert lead["margin_ha"].point == 49800 - 48000
    b = paradox.lead_vs_measure_sentence(lead, 2013, coca, 2011)
    assert b.branch == "lead_within_measure_gap" and "1,800 hectares" in b.text and "1,900 hectares" in b.text
    wide = {**lead, "margin_ha": lead["margin_ha"].with_(point=2500.0)}
    assert paradox.lead_vs_measure_sentence(wide, 2013, coca, 2011).branch == "lead_beyond_measure_gap"


def test_near_the_median_when_every_neighbour_reports_zero():
    # A vintage where all neighbours report 0 must not crash chapter 1 (it did, dividing by
    # the median): only a rate of 0 is "about" a median of 0; 8.6 vs 8.8 is within 10%.
    from analysis.report.paradox import _near_median
    assert _near_median(0.0, 0.0) and not _near_median(6.7, 0.0)
    assert _near_median(8.6, 8.8) and not _near_median(6.7, 8.8)  # 0.2/8.8 = 2%; 2.1/8.8 = 24%
