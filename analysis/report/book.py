"""The book's chapters and figures, in one list, for tests and `make golden`.

Chapters never import this module (each imports only its own), so a change here re-executes
no chapter. `CHAPTERS` maps a chapter's file stem to its module; `FIGURES` maps each figure
function's name to the function, across all chapters.
"""

from __future__ import annotations

from analysis.report import (cite, claims, counting_the_dead, criminal_economy, data_methods,
                             explanations, index, markets, outlook, paradox, reproducibility)

CHAPTERS = {"index.qmd": index, "01-paradox": paradox, "02-markets": markets,
            "03-criminal-economy": criminal_economy, "04-counting-the-dead": counting_the_dead,
            "05-explanations": explanations, "06-outlook": outlook,
            "a1-data-methods": data_methods, "a2-claims": claims, "a3-cite": cite,
            "a4-reproducibility": reproducibility}

BUNDLES = {stem: module.bundle for stem, module in CHAPTERS.items()}

FIGURES = {fn.__name__: fn for module in CHAPTERS.values() for fn in getattr(module, "FIGURES", ())}
