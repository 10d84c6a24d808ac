"""The book's two copies of the one escaping rule stay the same rule.

Table cells and chapter texts are escaped in analysis/report/markdown.py (`md_escape`); inline
values and an earlier edition's ledger texts in renderer/outputs.py (`escape_markdown`).
Analysis may not import the renderer, so the rule is written twice and kept in step here, on
the shared hostile corpus and on arbitrary text.
"""

from __future__ import annotations

import json
import subprocess

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.report.markdown import Table, md_escape
from renderer.outputs import escape_markdown
from renderer.pandoc import stringify
from tests.hostile import HOSTILE

import pandas as pd


@pytest.mark.parametrize("text", HOSTILE)
def test_the_two_copies_escape_the_hostile_corpus_alike(text):
    assert md_escape(text) == escape_markdown(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_the_two_copies_are_one_rule(text):
    assert md_escape(text) == escape_markdown(text)


def test_an_entity_in_a_table_cell_is_shown_as_typed():
    """'&amp;' in a cell used to reach the page as '&' (pandoc read it as an HTML entity)."""
    table = Table(pd.DataFrame({"Name": ["Trinidad &amp; Tobago", "<b>x</b>"]})).to_markdown()
    done = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"],
                          input=table, capture_output=True, text=True, check=True)
    table_block = json.loads(done.stdout)["blocks"][0]
    assert table_block["t"] == "Table"
    body = table_block["c"][4][0][3]  # the first table body's rows
    texts = [stringify(row[1][0][4][0]["c"]) for row in body]
    assert texts == ["Trinidad &amp; Tobago", "<b>x</b>"]
