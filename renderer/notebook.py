"""A parsed chapter -> a Jupyter notebook ready to execute, and back to its parts.

The notebook holds, in order: a setup cell (renderer.kernel: cwd, env, audit hook, chart
formatter), the chapter's markdown and code cells (code cells keep their `#|` lines, as
Quarto's own .ipynb does), one inline cell after every markdown cell that has inline
expressions, and a final record cell printing what the chapter read. Renderer cells carry the
tag `renderer` (and nbval tags) so they can be told apart from the author's cells.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from renderer.qmd import Cell, Document

KERNEL_SOURCE = (Path(__file__).parent / "kernel.py").read_text(encoding="utf-8")
SETUP_TAG, INLINE_TAG, RECORD_TAG = "renderer-setup", "renderer-inline", "renderer-record"


def build_notebook(doc: Document, workdir: Path, env: dict, root: Path) -> nbformat.NotebookNode:
    """The notebook that executes chapter `doc` (metadata keeps the source line of each cell)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["renderer"] = {"source": str(doc.path)}
    nb.cells.append(_renderer_cell(_setup_code(workdir, env), SETUP_TAG))
    for index, cell in enumerate(doc.cells):
        if cell.kind == "markdown":
            md = nbformat.v4.new_markdown_cell(cell.text)
            md.metadata["renderer"] = {"cell": index, "line": cell.line}
            nb.cells.append(md)
            if cell.inline:
                items = [(e.expr, e.line) for e in cell.inline]
                inline = _renderer_cell(f"_renderer_.inline({items!r})", INLINE_TAG)
                inline.metadata["renderer"] = {"cell": index, "line": cell.line}
                nb.cells.append(inline)
        else:
            code = nbformat.v4.new_code_cell(_with_options(cell))
            code.metadata["renderer"] = {"cell": index, "line": cell.line}
            nb.cells.append(code)
    record = _renderer_cell(_record_code(root), RECORD_TAG)
    record.metadata["tags"].append("nbval-skip")  # depends on the machine, not the data
    nb.cells.append(record)
    return nb


def as_built_here(nb: nbformat.NotebookNode, workdir: Path, env: dict, root: Path) -> nbformat.NotebookNode:
    """A stored run's notebook with its setup and record cells as this render builds them.

    Why: a run is reused in a copy of the project, or with the same data in another folder
    (renderer/cache.py); the notebook the book keeps must name this render's folders and
    environment, so that replaying it (nbval) reads what this render read."""
    for cell in nb.cells:
        if SETUP_TAG in tags(cell):
            cell.source = _setup_code(workdir, env)
        elif RECORD_TAG in tags(cell):
            cell.source = _record_code(root)
    return nb


def _record_code(root: Path) -> str:
    """Last cell: print what the chapter read (renderer.kernel.record)."""
    return f"_renderer_.record({str(root)!r})"


def _renderer_cell(source: str, tag: str) -> nbformat.NotebookNode:
    """A code cell added by the renderer, tagged so it is never shown."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [tag]
    return cell


def _setup_code(workdir: Path, env: dict) -> str:
    """First cell: load renderer.kernel as a module named `_renderer_` and start it."""
    return (
        "import types as _t\n"
        "_renderer_ = _t.ModuleType('_renderer_')\n"
        f"exec(compile({KERNEL_SOURCE!r}, 'renderer/kernel.py', 'exec'), _renderer_.__dict__)\n"
        "del _t\n"
        f"_renderer_.start({str(workdir)!r}, {dict(sorted(env.items()))!r})"
    )


def _with_options(cell: Cell) -> str:
    """Cell source with its original `#|` lines (Quarto's notebook form; line k of the
    notebook cell is line `cell.line + k` of the .qmd file)."""
    return f"{cell.header}\n{cell.text}" if cell.header else cell.text


def stdout(cell) -> str:
    """Everything a cell printed to stdout (a kernel may send one print as several outputs)."""
    return "".join(o["text"] for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def tags(cell) -> list[str]:
    """The tags of a notebook cell."""
    return list(cell.get("metadata", {}).get("tags", []))
