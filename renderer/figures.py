"""Figure cards in the rendered book: one card per chart, linked from its HTML caption.

`renderer.cards` knows how to write one card; this module decides where cards go in a book
(`figures/<fig-id>/` and `figures/<fig-id>.zip`), caches them by everything that goes into
them (so an unchanged book makes no PNG again), and adds the download link to each chart's
caption in the HTML pages.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import vl_convert

from renderer.cache import OutputCache
from renderer.cards import caption_sources, card_files, plain_caption, write_figure_card
from renderer.crossref import walk
from renderer.pandoc import smart_text

CARD_LINK_TEXT = "Figure card (PNG, SVG, data, citation)"
DATA_LINK_TEXT = "Data (CSV)"


def card_zip_path(fig_id: str) -> str:
    """Where a figure's card zip lives, relative to the book's root."""
    return f"figures/{fig_id}.zip"


def card_svg_path(fig_id: str) -> str:
    """Where a figure's card SVG lives, relative to the book's root (shown until the chart draws)."""
    return f"figures/{fig_id}/{card_files(fig_id)[1]}"


def card_csv_path(fig_id: str) -> str:
    """Where the data a figure plots lives as CSV, relative to the book's root."""
    return f"figures/{fig_id}/{card_files(fig_id)[2]}"


def write_cards(tmp: Path, charts: list, citation: str, edition: dict | None, cache: OutputCache) -> list[str]:
    """Write every chart's card (folder + zip) under `tmp/figures/`; return the figure ids.

    citation: a `str.format` template with {fig_id} and {caption}. The zip bytes are cached
    by the spec, texts and edition, and the folder is unpacked from them, so the card a reader
    downloads and the folder beside it are always the same files.
    """
    for chart in charts:
        sources = caption_sources(chart.caption)
        # As a reader sees it printed: Markdown read with pandoc's smart quotes, as plain text.
        caption = smart_text(plain_caption(chart.caption))
        text = citation.format(fig_id=chart.id, caption=caption)
        key = [vl_convert.__version__, json.dumps(chart.spec, sort_keys=True), caption, chart.alt,
               json.dumps(sources), text, json.dumps(edition or {}, sort_keys=True)]
        data = cache.get_or_make("card", key,
                                 lambda c=chart, cap=caption, s=sources, t=text: _card_zip(c, cap, s, t, edition))
        (tmp / "figures").mkdir(parents=True, exist_ok=True)
        (tmp / card_zip_path(chart.id)).write_bytes(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(tmp / "figures")
    return [chart.id for chart in charts]


def _card_zip(chart, caption: str, sources: list[str], citation: str, edition: dict | None) -> bytes:
    """Make one card in a scratch folder and return its zip's bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        write_figure_card(scratch, chart.id, chart.spec, caption, chart.alt, sources, citation, edition)
        return (Path(scratch) / f"{chart.id}.zip").read_bytes()


def link_cards(ast: dict, page: str, fig_ids: set[str]) -> dict:
    """A copy of a chapter's AST whose chart captions end with a link to the chart's card.

    A chart is a `#fig-` div whose last paragraph is its caption (see renderer.outputs); the
    link goes at the end of that paragraph, relative to `page`.
    """
    if not fig_ids:
        return ast
    ast = json.loads(json.dumps(ast))
    depth = "../" * page.count("/")

    def visit(node):
        if node["t"] != "Div" or node["c"][0][0] not in fig_ids:
            return
        blocks = node["c"][1]
        if blocks and blocks[-1]["t"] == "Para":
            fig_id = node["c"][0][0]
            link = {"t": "Link", "c": [["", ["card-link"], []], [{"t": "Str", "c": CARD_LINK_TEXT}],
                                       [depth + card_zip_path(fig_id), "Download this figure's card"]]}
            data = {"t": "Link", "c": [["", ["card-link", "data-link"], []], [{"t": "Str", "c": DATA_LINK_TEXT}],
                                       [depth + card_csv_path(fig_id), "The numbers this figure plots, as a table"]]}
            blocks[-1]["c"] += [{"t": "Space"}, {"t": "Str", "c": "("}, link, {"t": "Str", "c": ";"},
                                {"t": "Space"}, data, {"t": "Str", "c": ")"}]

    walk(ast["blocks"], visit)
    return ast
