"""Appendix C, chapters/a3-cite.qmd: how to cite the report, a figure and a number.

`bundle()` holds the appendix as Markdown, generated from CITATION.cff and the render's
edition by citation.py; its examples are a real figure (its caption as chapter 1 prints it)
and a real number (chapter 1's homicide rate, under its fixed ledger id).
"""

from __future__ import annotations

from dataclasses import replace

from analysis.report import citation, paradox
from analysis.report.captions import figure_caption
from analysis.report.markdown import Markdown
from analysis.report.values import Bundle


def bundle() -> Bundle:
    """Appendix C: how to cite the report, a figure and a number, generated from CITATION.cff
    and the render's edition; the examples are a real figure and a real ledger entry."""
    cff, edition = citation.load_citation(), citation.edition_from_env()
    chapter_one = paradox.bundle()  # the example figure's caption reads its finding from it
    example = replace(chapter_one.peru_rate_latest, id=citation.EXAMPLE_CLAIM_ID)
    fig_id = citation.EXAMPLE_FIGURE_ID
    r = Bundle()
    r.how_to_cite = Markdown(citation.how_to_cite_markdown(
        cff, edition, figure=(fig_id, figure_caption(fig_id, chapter_one)),
        claim=(citation.EXAMPLE_CLAIM_ID, str(example)), level=2))
    return r
