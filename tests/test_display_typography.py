"""Publishers' texts as the book prints them (analysis/report/markdown.py, data_methods.py).

data/ keeps titles and schema descriptions exactly as published ("1990-2019", "(0-100)",
"15-64"); the book prints ranges with an en dash, and patterns, codes and file names as code
spans (monospace, never re-typeset) - issue 12's typography, done at display time.
"""

from __future__ import annotations

import re

import pandas as pd
import pypandoc
from hypothesis import given, strategies as st

from analysis.data import load
from analysis.report import data_methods
from analysis.report.markdown import Markdown, Table, code_span, en_dash_ranges


def test_en_dash_between_two_numbers_known_answers():
    assert en_dash_ranges("Drug seizures time series 1990-2019") == "Drug seizures time series 1990\u20132019"
    assert en_dash_ranges("Index 2012-2022 (0-100), aged 15-64") == "Index 2012\u20132022 (0\u2013100), aged 15\u201364"
    assert en_dash_ranges("from 3.5-25.6") == "from 3.5\u201325.6"


def test_dates_standards_and_open_ranges_keep_their_hyphens():
    for text in ("retrieved 2026-11-30", "ISO 3166-1 alpha-3", "TI CPI 2012-, 0", "about -2.5..2.5",
                 "Data-Vizualizacion-CAPP-30239"):
        assert en_dash_ranges(text) == text


@given(st.integers(0, 9999), st.integers(0, 9999))
def test_any_span_of_two_whole_numbers_gets_an_en_dash(a, b):
    assert en_dash_ranges(f"({a}-{b})") == f"({a}\u2013{b})"


def test_code_span_survives_backticks_and_table_pipes():
    assert code_span("^[a-z]+$") == "`^[a-z]+$`"
    assert code_span("a`b") == "``a`b``"
    table = Table(pd.DataFrame({"Pattern": [Markdown(code_span("a|b"))], "Plain": ["x|y"]}))
    assert table.to_markdown().splitlines()[-1] == "| `a|b` | x\\|y |"
    # pandoc keeps the code span whole and prints its pipe without a backslash
    html = pypandoc.convert_text(table.to_markdown(), "html", format="markdown")
    assert "<code>a|b</code>" in html and "<td" in html and html.count("<td") == 2


def test_appendix_a_prints_titles_with_en_dashes_and_patterns_as_code():
    titles = data_methods.provenance_table()["Title"].tolist()
    raw = load("sources")["title"].tolist()
    assert any(re.search(r"\d-\d", t) for t in raw), "the check would be empty"
    assert [t for t in titles if re.search(r"\d-\d", t)] == []
    assert titles == [en_dash_ranges(t) for t in raw]
    constraints = data_methods.dictionary_table()["Constraints"].tolist()
    patterns = [c for c in constraints if "pattern" in c]
    assert patterns and all(re.search(r"pattern `[^`]+`", c) for c in patterns)
    taken = [t for t in data_methods.provenance_table()["Taken from"] if "@" in t]
    assert taken and all(re.fullmatch(r"`[^`]+@[0-9a-f]{7}`(, `[^`]+`)?", t) for t in taken)


# --- quotes: one rule for every text a chapter module builds (issue 12) -------------------------

def test_curly_quotes_known_answers():
    from analysis.report.markdown import curly_quotes

    # opening after the start, a space or an opening bracket; closing (and apostrophes) elsewhere
    assert curly_quotes("Peru's lead") == "Peru\u2019s lead"
    assert curly_quotes('the article\'s "second-biggest market"') == (
        "the article\u2019s \u201csecond-biggest market\u201d")
    assert curly_quotes("reads into 'dangerous escalation' (the") == (
        "reads into \u2018dangerous escalation\u2019 (the")
    assert curly_quotes('("well over")') == "(\u201cwell over\u201d)"
    assert curly_quotes("the neighbours' do") == "the neighbours\u2019 do"
    assert curly_quotes("'s at the start") == "\u2019s at the start"  # a possessive after a value
    assert curly_quotes("no quotes: 3.5\u201325.6") == "no quotes: 3.5\u201325.6"


@given(st.text(alphabet=st.sampled_from(list("ab '\"([-.s\u2014")), max_size=40))
def test_curly_quotes_leaves_no_straight_quote_and_changes_nothing_else(text):
    from analysis.report.markdown import curly_quotes

    out = curly_quotes(text)
    assert "'" not in out and '"' not in out
    assert len(out) == len(text)
    assert [c for c in out if c not in "\u2018\u2019\u201c\u201d"] == [c for c in text if c not in "'\""]
    assert curly_quotes(out) == out  # applying it twice is applying it once


def test_a_bundle_stores_data_chosen_sentences_typeset_and_the_ledger_text_agrees():
    from analysis.estimate import Branch
    from analysis.report.values import Bundle

    r = Bundle(a=Branch("Peru's \"lead\"", "x"))
    r.b = Branch("the neighbours' do", "y")
    assert str(r.a) == "Peru\u2019s \u201clead\u201d" == r.a._repr_claim_()["text"]
    assert str(r.b) == "the neighbours\u2019 do"
    assert r.a.branch == "x"  # only the text is typeset


def test_table_cells_are_typeset_but_code_spans_keep_straight_quotes():
    frame = pd.DataFrame({"Peru's measure": ["marks it 'x'"], "Pattern": [Markdown(code_span("^'[a-z]'$"))]})
    md = Table(frame).to_markdown()
    html = pypandoc.convert_text(md, "html", format="markdown+smart")
    assert "Peru\u2019s measure" in html and "marks it \u2018x\u2019" in html
    assert "<code>^'[a-z]'$</code>" in html


def test_every_data_chosen_sentence_of_the_book_is_typeset(book_bundles, cut_bundles):
    from analysis.estimate import Branch

    for bundles in (book_bundles, cut_bundles):
        straight = [(stem, n) for stem, b in bundles.items() for n in b.names()
                    if isinstance(getattr(b, n), Branch) and any(q in getattr(b, n).text for q in "'\"")]
        assert straight == []
