"""How a chapter's chart reaches the page: one display hook whose output depends on who renders.

Why: the same sources render with the project's renderer (`make report`) and with Quarto
(`quarto render`), and the two need different cell outputs for the same chart:

- the project's renderer reads Altair's own Vega-Lite output and ships vega-embed itself, so
  there nothing changes: Altair's output stays (the notebook, hence the renderer's cache and
  the golden copy, stay exactly as they were);
- Quarto turns any `text/html` or `application/javascript` output into a page that loads
  requirejs and jQuery from a CDN (quarto-cli `src/core/jupyter/widgets.ts`), and Altair's
  HTML loads vega from a CDN too, so offline the charts are blank. For an HTML target the chart
  becomes a `text/markdown` output instead: a raw HTML block with the chart's box, a
  `<script src>` to the vega bundle the book ships (`BUNDLE`, listed under
  `project: resources:` in `_quarto.yml`, so Quarto copies it) and the `vegaEmbed` call;
- for Typst/PDF (any non-HTML target) Quarto prints an Altair chart as its repr text
  (quarto-cli issue 10571), so the chart becomes a vector SVG drawn by vl-convert,
  `QUARTO_FIG_WIDTH` inches wide, with the cell's `fig-alt` as its title.

Where it runs is read from what Quarto gives a kernel (quarto-cli `src/execute/environment.ts`,
`src/resources/jupyter/notebook.py`): `QUARTO_PROJECT_ROOT`, `QUARTO_DOCUMENT_PATH`,
`QUARTO_FIG_WIDTH`, and `QUARTO_EXECUTE_INFO`, a JSON file whose `format.pandoc.to` is the
pandoc writer (`html`, `typst`, ...).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Mapping

import altair as alt
import vl_convert

from analysis.data import project_root
from analysis.report.captions import split_options

__all__ = ["chart_output", "register_chart_display", "quarto_target", "BUNDLE", "bundle_source",
           "write_bundle"]

BUNDLE = "assets/vega-bundle.js"  # relative to the project root; a `project: resources:` entry
DEFAULT_FIG_WIDTH = 6.5  # inches, when Quarto does not say (the text width of a letter page)
_SVG_SIZE = re.compile(r'^(<svg\b[^>]*?)\swidth="([\d.]+)"\s+height="([\d.]+)"')


def quarto_target(env: Mapping[str, str] | None = None) -> str | None:
    """The pandoc writer Quarto is rendering this chapter to, or None outside Quarto.

    `format.pandoc.to` of the `QUARTO_EXECUTE_INFO` file (Quarto >= 1.8). A kernel that Quarto
    started without that file (older Quarto: only `QUARTO_PROJECT_ROOT` and
    `QUARTO_DOCUMENT_PATH` are set) gets "unknown", which `chart_output` draws as SVG: a picture
    every output format can hold.
    """
    env = os.environ if env is None else env
    info = env.get("QUARTO_EXECUTE_INFO")
    if info:
        try:
            target = json.loads(Path(info).read_text(encoding="utf-8"))["format"]["pandoc"]["to"]
        except (OSError, ValueError, KeyError, TypeError):
            target = None
        return str(target) if target else "unknown"
    if env.get("QUARTO_PROJECT_ROOT") or env.get("QUARTO_DOCUMENT_PATH"):
        return "unknown"
    return None


def chart_output(chart: alt.TopLevelMixin, target: str) -> dict[str, str]:
    """The cell output (MIME type -> data) that shows `chart` when Quarto renders to `target`.

    HTML targets: `text/markdown` holding a raw HTML block; any other target: `image/svg+xml`.
    The running cell's `#| fig-alt` becomes the chart's accessible name in both.
    """
    spec = chart.to_dict()
    alt_text = str(_cell_options().get("fig-alt", ""))
    if target.startswith("html"):
        return {"text/markdown": _html_block(spec, alt_text, _bundle_href(), _label())}
    return {"image/svg+xml": _svg(spec, alt_text, _fig_width())}


def register_chart_display(shell=None) -> bool:
    """Under Quarto, make every Altair chart a figure cell ends with display as `chart_output`.

    Why a display hook: the chapters end their figure cells with the chart itself
    (`markets.value_chain()`) and import only their own module, so the one place that knows
    every chart reaches the page is the kernel's display formatter. A printer registered for
    the chart type takes the place of Altair's own output (`_repr_mimebundle_`). Outside
    Quarto nothing is registered: the project's renderer reads Altair's output, and its
    notebooks and cache stay as they were. Returns True if the hook was registered.
    """
    target = quarto_target()
    if target is None:
        return False
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return False
    # The target is read again at each display: a kernel Quarto keeps alive between renders
    # (its daemon) may render the same chapter to another format.
    shell.display_formatter.mimebundle_formatter.for_type(
        alt.TopLevelMixin, lambda chart: chart_output(chart, quarto_target() or target))
    return True


def _html_block(spec: dict, alt_text: str, bundle_href: str, label: str) -> str:
    """A raw HTML block: the chart's box, the shipped bundle and the vegaEmbed call.

    The box carries the alt text (role="img"); the drawing goes into a box inside it, hidden
    from screen readers (its data is in the spec). The spec sits in a JSON script element,
    every `<` written `\\u003c` so nothing in it can close the element; the block's fence is
    longer than any run of backticks inside it.
    """
    box = f"vega-{label}"
    data = json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c")
    name = html.escape(alt_text, quote=True)
    draw = (f'vegaEmbed(document.getElementById("{box}-live"), JSON.parse(document.'
            f'getElementById("{box}-spec").textContent), {{actions: false, renderer: "svg"}});')
    lines = [
        f'<div id="{box}" class="vega-chart" role="img" aria-label="{name}">'
        f'<div id="{box}-live" aria-hidden="true"></div></div>',
        f'<script src="{html.escape(bundle_href, quote=True)}"></script>',
        f'<script type="application/json" id="{box}-spec">{data}</script>',
        f"<script>{draw}</script>",
    ]
    fence = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", "".join(lines))])
    return "\n".join([fence + "{=html}", *lines, fence])


def _svg(spec: dict, alt_text: str, width_in: float) -> str:
    """The chart as SVG (vl-convert), `width_in` inches wide at its own aspect ratio, with
    role="img", the alt text as aria-label and <title>."""
    svg = vl_convert.vegalite_to_svg(spec, vl_version=_vl_version(spec))
    match = _SVG_SIZE.match(svg)
    if match:
        width, height = float(match.group(2)), float(match.group(3))
        size = f' width="{width_in:g}in" height="{width_in * height / width:.3f}in"'
        svg = match.group(1) + size + svg[match.end():]
    name = html.escape(alt_text, quote=True)
    head_end = svg.index(">")
    return (svg[:head_end] + f' role="img" aria-label="{name}">' + f"<title>{name}</title>"
            + svg[head_end + 1:])


def _cell_options() -> dict[str, Any]:
    """The `#|` options of the cell being run (its fig-alt, label), {} outside IPython.

    Why read the cell: Quarto sends each cell's source, `#|` lines included, to the kernel,
    which keeps it in its input history before running it; so the alt text is written once,
    in the chapter, and reaches the picture without being passed by hand.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return {}
    history = shell.history_manager.input_hist_raw
    return split_options(history[-1].splitlines())[0] if history else {}


def _label() -> str:
    """An id for the chart's box: the cell's label (unique in a book), else a counter."""
    label = str(_cell_options().get("label") or "")
    if label:
        return re.sub(r"[^A-Za-z0-9_-]", "-", label)
    _label.count = getattr(_label, "count", 0) + 1
    return f"chart-{_label.count}"


def _fig_width() -> float:
    """QUARTO_FIG_WIDTH (inches), else DEFAULT_FIG_WIDTH."""
    try:
        return float(os.environ.get("QUARTO_FIG_WIDTH", "")) or DEFAULT_FIG_WIDTH
    except ValueError:
        return DEFAULT_FIG_WIDTH


def _bundle_href() -> str:
    """The bundle's URL relative to the page: Quarto writes `chapters/x.qmd` to
    `chapters/x.html` and copies the resource to the same place under the output folder."""
    root = project_root()
    page_dir = Path(os.environ.get("QUARTO_DOCUMENT_PATH") or root)
    return Path(os.path.relpath(root / BUNDLE, page_dir)).as_posix()


def _vl_version(spec: dict) -> str:
    """The newest Vega-Lite vl-convert ships for the spec's major version ('6' -> '6.4')."""
    major = re.search(r"/v(\d+)", spec.get("$schema", "")) or re.search(r"v(\d+)", alt.SCHEMA_VERSION)
    versions = [v for v in vl_convert.get_vegalite_versions() if v.split(".")[0] == major.group(1)]
    return max(versions or vl_convert.get_vegalite_versions(),
               key=lambda v: tuple(int(x) for x in v.split(".")))


def bundle_source() -> str:
    """The shipped bundle: vega, vega-lite and vega-embed from vl-convert, run at most once.

    The bundle declares top-level constants, so a page that loaded it twice (two charts on a
    page, each with its `<script src>`) would stop at the second; wrapped in a function that
    runs only while `vegaEmbed` is not yet defined, every chart block can load it safely.
    """
    version = _vl_version({"$schema": alt.SCHEMA_URL})
    return ("// vega, vega-lite " + version + " and vega-embed, bundled by vl-convert "
            + vl_convert.__version__ + "; written by `python -m analysis.report.display`.\n"
            "if (!window.vegaEmbed) { (function () {\n"
            + vl_convert.javascript_bundle(vl_version=version) + "\n})(); }\n")


def write_bundle(root: Path | None = None) -> Path:
    """Write `bundle_source()` to BUNDLE under the project root; return its path."""
    path = (Path(root) if root is not None else project_root()) / BUNDLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bundle_source(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_bundle())
