"""Play Quarto's part: run a chapter's code cells in a real kernel with the environment Quarto
gives a Python kernel, without Quarto (it cannot be installed here).

What Quarto 1.10 sets, from its sources (quarto-dev/quarto-cli):
- `src/execute/environment.ts`: QUARTO_PROJECT_ROOT (the project directory) and
  QUARTO_DOCUMENT_PATH (the directory of the file being rendered);
- `src/resources/jupyter/notebook.py` (`set_env_vars`): QUARTO_FIG_WIDTH, QUARTO_FIG_HEIGHT,
  QUARTO_FIG_FORMAT (`png` for the `retina` default, with QUARTO_FIG_DPI doubled) and
  QUARTO_FIG_DPI; it changes into the chapter's directory and runs each cell's source, `#|`
  lines included, with history on;
- QUARTO_EXECUTE_INFO (Quarto >= 1.8): the path of a JSON file with `document-path` and
  `format`, whose `pandoc.to` is the writer (`html`, `typst`); QUARTO_DOCUMENT_FILE names
  the file.
The figure sizes are Quarto's defaults for each format (html 7 x 5 in, retina; typst
5.5 x 3.5 in, svg). What this cannot reproduce: Quarto's own setup cell, and what Quarto
does with the outputs afterwards (that needs a real `quarto render`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from renderer.qmd import parse_qmd

FORMATS = {
    "html": {"QUARTO_FIG_FORMAT": "png", "QUARTO_FIG_WIDTH": "7", "QUARTO_FIG_HEIGHT": "5",
             "QUARTO_FIG_DPI": "192"},
    "typst": {"QUARTO_FIG_FORMAT": "svg", "QUARTO_FIG_WIDTH": "5.5", "QUARTO_FIG_HEIGHT": "3.5",
              "QUARTO_FIG_DPI": "96"},
}
RENDER_VARIABLES = ("PARADOX_DATA", "PARADOX_EDITION", "PARADOX_EDITION_FILE",
                    "PARADOX_CHANGES_FILE")


def quarto_env(project: Path, qmd: Path, target: str, scratch: Path) -> dict[str, str]:
    """The kernel environment Quarto gives `qmd` of `project` rendered to `target`."""
    info = scratch / f"execute-info-{target}.json"
    info.write_text(json.dumps({
        "document-path": str(qmd),
        "format": {"identifier": {"base-format": target, "target-format": target},
                   "pandoc": {"to": target}, "execute": {"fig-width": float(FORMATS[target]["QUARTO_FIG_WIDTH"])}},
    }), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in RENDER_VARIABLES and not k.startswith("QUARTO_")}
    env.update(FORMATS[target])
    env.update({"QUARTO_PROJECT_ROOT": str(project), "QUARTO_DOCUMENT_PATH": str(qmd.parent),
                "QUARTO_DOCUMENT_FILE": qmd.name, "QUARTO_EXECUTE_INFO": str(info)})
    return env


def run_chapter(project: Path, qmd: Path, target: str, scratch: Path,
                extra: tuple[str, ...] = ()) -> list:
    """Execute the chapter's code cells (each with its `#|` lines, as Quarto sends them), then
    `extra` cells (e.g. an inline expression, which Quarto also evaluates in the kernel), in
    the chapter's directory; return the executed code cells."""
    doc = parse_qmd(qmd)
    sources = [f"{c.header}\n{c.text}" if c.header else c.text for c in doc.cells if c.kind == "code"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in (*sources, *extra)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(qmd.parent)}})
    client.execute(env=quarto_env(project, qmd, target, scratch))
    return nb.cells


def displays(cell) -> list[dict]:
    """The data of a cell's display outputs (execute_result and display_data)."""
    return [o["data"] for o in cell.get("outputs", [])
            if o.get("output_type") in ("execute_result", "display_data")]


def options(cell) -> dict:
    """A cell's `#|` options, read as Quarto reads them."""
    from analysis.report.captions import split_options

    return split_options(cell.source.splitlines())[0]
