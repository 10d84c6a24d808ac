"""Under Quarto's kernel environment the book shows offline charts in HTML, vector charts in
Typst, and the data and edition of the project Quarto renders (issue 13).

Each test runs real chapters in a real kernel with the variables Quarto sets
(tests/quarto_kernel.py says which, from Quarto's sources); what only a real `quarto render`
could confirm (that Quarto keeps the captions and copies the resource) is said in
tests/quarto_kernel.py and the issue's closing note.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from quarto_kernel import displays, options, run_chapter

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MARKETS = ROOT / "chapters" / "02-markets.qmd"
SVG_NS = "{http://www.w3.org/2000/svg}"


def figure_cells(cells) -> list:
    """The chart cells: a `fig-` label, or (inside a figure div, whose caption computes its
    finding) a fig-alt without a label."""
    return [c for c in cells if str(options(c).get("label", "")).startswith("fig-")
            or ("fig-alt" in options(c) and "label" not in options(c))]


@pytest.fixture(scope="module")
def markets_html(tmp_path_factory) -> list:
    """Chapter 2's cells as Quarto's kernel runs them for an HTML book."""
    return run_chapter(ROOT, MARKETS, "html", tmp_path_factory.mktemp("html"))


def test_html_charts_are_markdown_with_the_shipped_bundle_and_no_network(markets_html):
    cells = markets_html
    figures = figure_cells(cells)
    assert len(figures) == 3
    for cell in cells:  # any text/html or JavaScript output makes Quarto add CDN scripts
        for data in displays(cell):
            assert not {"text/html", "application/javascript"} & set(data), options(cell).get("label")
    for cell in figures:
        (data,) = displays(cell)
        assert set(data) == {"text/markdown", "text/plain"}
        body = data["text/markdown"]
        assert body.startswith("```{=html}\n") and body.endswith("\n```")
        scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', body)
        assert scripts == ["../assets/vega-bundle.js"]
        assert (MARKETS.parent / scripts[0]).resolve() == ROOT / "assets" / "vega-bundle.js"
        assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", body)
        assert not re.search(r"\bimport\b[^\n;]*https?://", body)
        assert "vegaEmbed(" in body
        alt = options(cell)["fig-alt"]
        box = re.search(r'<div id="vega-([\w-]+)"[^>]*role="img" aria-label="([^"]*)"', body)
        # the cell's label, or (a cell in a figure div has none) a numbered id
        assert box.group(1) == options(cell).get("label", box.group(1)) and \
            re.fullmatch(r"fig-[\w-]+|chart-\d+", box.group(1))
        assert box.group(2).replace("&#x27;", "'").replace("&quot;", '"') == alt


def test_html_charts_draw_in_chromium_with_every_request_blocked(markets_html, tmp_path):
    # The page Quarto would write, reduced to what matters: each raw HTML block as it is
    # (pandoc passes raw HTML through untouched), beside the bundle copied as a resource.
    from e2e.browser import Browser

    book = tmp_path / "_book"
    (book / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "vega-bundle.js", book / "assets" / "vega-bundle.js")
    blocks = []
    for cell in figure_cells(markets_html):
        body = displays(cell)[0]["text/markdown"]
        blocks.append(body.split("\n", 1)[1].rsplit("\n", 1)[0])  # inside the ```{=html} fence
    page = book / "chapters" / "02-markets.html"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>Where the cocaine goes</title></head><body><main>\n"
                    + "\n<p>Text between figures.</p>\n".join(blocks) + "\n</main></body></html>\n",
                    encoding="utf-8")
    with Browser() as browser:
        report = browser.visit(book, page)
    assert report.outgoing == [] and report.missing_local == []
    assert report.page_errors == [] and report.console_errors == []
    assert report.chart_problems() == []
    assert len(report.charts["views"]) == 3
    assert all(v["data_items"] > 0 for v in report.charts["views"])


def test_typst_charts_are_svg_images_with_their_alt_text(tmp_path):
    cells = run_chapter(ROOT, MARKETS, "typst", tmp_path)
    figures = figure_cells(cells)
    assert len(figures) == 3
    for cell in figures:
        (data,) = displays(cell)
        assert "image/svg+xml" in data and not {"text/markdown", "text/html"} & set(data)
        svg = ET.fromstring(data["image/svg+xml"])
        alt = options(cell)["fig-alt"]
        assert svg.tag == f"{SVG_NS}svg"
        assert svg.get("role") == "img" and svg.get("aria-label") == alt
        assert svg.find(f"{SVG_NS}title").text == alt
        assert svg.get("width") == "5.5in"  # QUARTO_FIG_WIDTH of the typst format
        width, height = (float(v) for v in svg.get("viewBox").split()[2:])
        assert float(svg.get("height").removesuffix("in")) == pytest.approx(5.5 * height / width, abs=1e-3)
        assert len(list(svg.iter(f"{SVG_NS}path"))) > 5  # drawn marks, not a repr string


def _project_copy(tmp_path: Path) -> Path:
    """A project Quarto would render: the book's sources and data, version 9.9.9, a git repo."""
    project = tmp_path / "project"
    for name in ("chapters", "data", "assets"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("_quarto.yml", "index.qmd", "CITATION.cff", "references.bib"):
        shutil.copy(ROOT / name, project / name)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(
        re.sub(r'(?m)^version = ".*"$', 'version = "9.9.9"', text, count=1), encoding="utf-8")
    return project


def _drop_latest_year(csv_file: Path) -> tuple[int, int]:
    """Remove the rows of the latest year; return (old latest, new latest), read by hand."""
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    years = {int(r["year"]) for r in rows}
    latest = max(years)
    with csv_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if int(r["year"]) != latest)
    return latest, max(years - {latest})


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


def test_appendices_show_the_rendered_projects_data_and_edition(tmp_path):
    from analysis.data.describe import describe_folder

    project = _project_copy(tmp_path)
    old, new = _drop_latest_year(project / "data" / "homicide.csv")
    describe_folder(project / "data")  # a valid folder: checksums and row counts recorded
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "a rendered project")
    sha = _git(project, "rev-parse", "--short=7", "HEAD")
    # The latest year of every table with observations, read from the CSVs by hand.
    vintage_tables = [p for p in (project / "data").glob("*.csv")
                      if p.stem not in ("sources", "article_claims")]
    latest = {}
    for path in vintage_tables:
        with path.open(newline="", encoding="utf-8") as handle:
            years = [int(r["year"]) for r in csv.DictReader(handle) if r.get("year")]
        if years:
            latest[path.stem] = max(years)
    assert latest["homicide"] == new != old

    repro = project / "chapters" / "a4-reproducibility.qmd"
    cells = run_chapter(project, repro, "typst", tmp_path, extra=("r.commit",))
    (vintage,) = displays(next(c for c in cells if options(c).get("label") == "tbl-vintage"))
    row = next(line for line in vintage["text/markdown"].splitlines() if line.startswith("| homicide "))
    assert [c.strip() for c in row.strip("|").split("|")][2] == str(new)  # Latest year
    assert displays(cells[-1])[0]["text/markdown"] == sha  # the project's commit, inline

    cite = project / "chapters" / "a3-cite.qmd"
    cells = run_chapter(project, cite, "html", tmp_path)
    (text,) = displays(next(c for c in cells if options(c).get("label") == "how-to-cite"))
    today = dt.datetime.now(dt.timezone.utc).date()
    note = f"Version 9.9.9, edition of {today.isoformat()}, data to {max(latest.values())}, commit {sha}"
    assert note in text["text/markdown"]
    assert f"({today.year})" in text["text/markdown"] and "(n.d.)" not in text["text/markdown"]
    title = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))["title"]
    assert title.split(":")[0] in text["text/markdown"]
