"""Any text that data validation accepts reaches the page as that same text (hypothesis).

Validation (analysis/data/validate.py) refuses control characters and Unicode
non-characters in text cells; everything else may appear in a country name, a source title
or an earlier ledger. The one escaping rule (`renderer.outputs.escape_markdown`) must turn
any such text into Markdown that pandoc reads back as plain strings - so the HTML and Typst
writers escape it - with the same characters (white space folded).
"""

from __future__ import annotations

import json
import subprocess

import pypandoc
from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.outputs import escape_markdown
from renderer.pandoc import stringify

# What validation lets through: no control characters (Cc), surrogates (Cs), unassigned or
# private-use code points; markup-heavy ASCII is drawn often on purpose.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&;#$@*_`[]{}()!|\\/'\"=:-+~^%.,0123456789 abcXYZ")),
        st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
    ),
    min_size=1, max_size=60,
).filter(lambda t: t.strip())


def pandoc_blocks(markdown: str) -> list:
    """pandoc's AST blocks for `markdown`, read as the renderer reads chapters."""
    done = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"],
                          input=markdown, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["blocks"]


@settings(max_examples=15, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=40))
def test_escaped_text_is_plain_text_with_the_same_characters(texts):
    markdown = "\n\n".join(f"P{i} {escape_markdown(t)}" for i, t in enumerate(texts))
    blocks = pandoc_blocks(markdown)
    assert [b["t"] for b in blocks] == ["Para"] * len(texts), markdown
    for block, text in zip(blocks, texts):
        kinds = {node["t"] for node in block["c"]}
        assert kinds <= {"Str", "Space"}, (text, block)
        assert stringify(block["c"]).split(" ", 1)[1] == " ".join(text.split()), (text, block)
