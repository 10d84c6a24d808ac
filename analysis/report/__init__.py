"""What the book shows: one module per chapter, beside the few pieces they share.

`analysis/` top level holds the argument (pure functions on the curated tables); this
package holds its presentation. Each chapter file has its module, named like it
(chapters/02-markets.qmd <-> markets.py, a1-data-methods.qmd <-> data_methods.py,
index.qmd <-> index.py), holding that chapter's `bundle()` of named values, its display
tables and its figures. Shared pieces: values.py (the bundle and the pickers), markdown.py
(tables, Markdown), theme.py (the look of every figure), captions.py (captions as printed),
citation.py (the edition's citation texts). book.py lists the chapters for tests.

This file imports nothing: a chapter imports only its own module, and the renderer's cache
re-executes a chapter only when a module it imported changes.
"""
