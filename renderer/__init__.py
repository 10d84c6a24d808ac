"""A Quarto-subset book renderer: `_quarto.yml` + `.qmd` -> multi-page HTML site and a PDF.

It knows nothing about the book it renders. See renderer/README.md for the supported syntax.
"""

from renderer.errors import RenderError, UnsupportedSyntaxError
from renderer.build import RenderResult, edition_fields, render_book

__all__ = ["render_book", "RenderResult", "RenderError", "UnsupportedSyntaxError", "edition_fields"]
