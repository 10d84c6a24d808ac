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
