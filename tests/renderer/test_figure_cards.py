"""Figure cards in a rendered book: one folder + zip per chart, linked from its HTML caption."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from renderer.cards import card_files, read_card_csv, replot_spec
from renderer.cards import plain_caption
from renderer.figures import CARD_LINK_TEXT
from renderer.pandoc import smart_text

pytestmark = pytest.mark.slow


def test_every_chart_has_a_card_folder_and_zip(rendered):
    _, out, result = rendered
    assert result.figures, "the test book draws at least one chart"
    for fig in result.figures:
        card = out / "figures" / fig["id"]
        assert sorted(p.name for p in card.iterdir()) == sorted(card_files(fig["id"]))
        with zipfile.ZipFile(out / "figures" / f"{fig['id']}.zip") as archive:
            assert archive.namelist() == [f"{fig['id']}/{name}" for name in card_files(fig["id"])]
            # the zip a reader downloads holds the very files of the folder beside it
            for name in card_files(fig["id"]):
                assert archive.read(f"{fig['id']}/{name}") == (card / name).read_bytes()


def test_card_data_replots_the_chart_drawn_in_the_book(rendered):
    _, out, result = rendered
    for fig in result.figures:
        card = out / "figures" / fig["id"]
        meta = json.loads((card / "metadata.json").read_text(encoding="utf-8"))
        rows = read_card_csv(card / f"{fig['id']}.csv", meta["data"])
        assert replot_spec(fig["spec"], rows) == fig["spec"]
        # caption as a reader quotes it: no "[@key]" syntax (the keys are listed as sources),
        # quotes typeset as on the page
        assert meta["caption"] == smart_text(plain_caption(fig["caption"])) and "[@" not in meta["caption"]
        assert meta["alt"] == fig["alt"] and meta["alt"] != meta["caption"]


def test_html_caption_links_to_the_card_zip(rendered, site):
    _, out, result = rendered
    for fig in result.figures:
        page = next(name for name in site if fig["id"] in site[name].ids)
        html = (out / page).read_text(encoding="utf-8")
        href = "../" * page.count("/") + f"figures/{fig['id']}.zip"
        assert f'href="{href}"' in html and CARD_LINK_TEXT in html
        assert (out / page).parent.joinpath(href).resolve().is_file()


def test_pdf_caption_has_no_card_link(pdf_text):
    # the download link is for the web page; on paper it would be a dead instruction
    assert CARD_LINK_TEXT not in pdf_text


def test_figure_citation_template_is_filled_per_figure(book_copy, tmp_path):
    from renderer import render_book

    result = render_book(book_copy, tmp_path / "out", formats=("html",),
                         figure_citation="Cite {fig_id}: {caption}")
    for fig in result.figures:
        meta = json.loads((tmp_path / "out" / "figures" / fig["id"] / "metadata.json").read_text())
        assert meta["citation"] == f"Cite {fig['id']}: {smart_text(plain_caption(fig['caption']))}"
