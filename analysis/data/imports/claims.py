"""article_claims.csv <- hand/article_claims.yaml (hand-transcribed claims of the article).

When the article text is available (`article.txt` beside the sources folder), every quote is
checked to occur verbatim in the paragraph it names, so a typo or a miscounted paragraph
fails the import. Paragraphs are counted as in hand/article_claims.yaml: 1 = the first
paragraph after the byline.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import expect, read_hand_yaml

HAND_FILE = "analysis/data/hand/article_claims.yaml"
SOURCE_ID = "muggah_mcdermott_2013"
COLUMNS = ["claim_id", "paragraph", "quote", "quantity", "value", "low", "high", "unit", "year", "wording", "encoding", "source_id"]
BYLINE = "By Robert Muggah and Jeremy McDermott"


def article_path(sources_dir: Path) -> Path:
    """Where the article text sits: beside the sources folder (shared/article.txt)."""
    return Path(sources_dir).parent / "article.txt"


def body_paragraphs(text: str) -> list[str]:
    """The article's body paragraphs, in order: blocks separated by blank lines, after the byline."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    starts = [i for i, b in enumerate(blocks) if b.startswith(BYLINE)]
    expect(len(starts) == 1, "article.txt", "exactly one byline paragraph")
    return blocks[starts[0] + 1:]


def build(sources_dir: Path) -> pd.DataFrame:
    """Read the hand-transcribed claims, check bounds and quotes, return the table."""
    # Load inputs
    claims = read_hand_yaml("article_claims.yaml")
    path = article_path(sources_dir)
    paragraphs = body_paragraphs(path.read_text(encoding="utf-8")) if path.is_file() else None
    # Process data
    table = pd.DataFrame([{c: claim.get(c) for c in COLUMNS} for claim in claims])
    table["source_id"] = SOURCE_ID
    check_bounds(table)
    if paragraphs is not None:
        check_quotes(table, paragraphs)
    table["year"] = table["year"].astype("Int64")
    return table[COLUMNS]


def check_bounds(table: pd.DataFrame) -> None:
    """low <= value <= high where given; claim ids unique."""
    expect(table["claim_id"].is_unique, HAND_FILE, "claim ids are unique")
    low_ok = table["low"].isna() | (table["low"] <= table["value"])
    high_ok = table["high"].isna() | (table["value"] <= table["high"])
    bad = table.loc[~(low_ok & high_ok), "claim_id"].tolist()
    expect(not bad, HAND_FILE, f"low <= value <= high for {bad}")


def check_quotes(table: pd.DataFrame, paragraphs: list[str]) -> None:
    """Every quote occurs verbatim in the paragraph it names."""
    wrong = [cid for cid, par, quote in zip(table["claim_id"], table["paragraph"], table["quote"])
             if not (1 <= par <= len(paragraphs) and quote in paragraphs[par - 1])]
    expect(not wrong, HAND_FILE, f"quote not found verbatim in its paragraph of article.txt: {wrong}")
