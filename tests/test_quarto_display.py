"""What a chart, the data folder and the edition become when Quarto runs a chapter, and that
nothing changes when it does not (analysis/report/display.py, analysis/data/paths.py,
analysis/report/citation.py). The same under a real kernel: tests/test_quarto_kernel.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from analysis.data import data_dir, project_root
from analysis.report import citation, display

ROOT = Path(__file__).resolve().parent.parent
QUARTO_VARIABLES = ("QUARTO_PROJECT_ROOT", "QUARTO_DOCUMENT_PATH", "QUARTO_EXECUTE_INFO",
                    "QUARTO_FIG_WIDTH", "PARADOX_DATA", "PARADOX_EDITION_FILE", "PARADOX_EDITION")


@pytest.fixture(autouse=True)
def outside_any_render(monkeypatch):
    for name in QUARTO_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def execute_info(tmp_path: Path, target: str) -> str:
    path = tmp_path / f"{target}.json"
    path.write_text(json.dumps({"document-path": "x.qmd", "format": {"pandoc": {"to": target}}}))
    return str(path)


def chart() -> alt.Chart:
    frame = pd.DataFrame({"year": [2000, 2001], "hectares": [10.0, 30.0], "note": ["</script>", "``` x"]})
    return alt.Chart(frame).mark_line().encode(x="year:Q", y="hectares:Q", tooltip="note:N")


def test_where_it_runs_is_read_from_quartos_execute_info(tmp_path):
    assert display.quarto_target({}) is None
    assert display.quarto_target({"QUARTO_EXECUTE_INFO": execute_info(tmp_path, "html")}) == "html"
    assert display.quarto_target({"QUARTO_EXECUTE_INFO": execute_info(tmp_path, "typst")}) == "typst"
    # Quarto without an execute-info file (before 1.8), or one that cannot be read: a picture.
    assert display.quarto_target({"QUARTO_PROJECT_ROOT": str(tmp_path)}) == "unknown"
    assert display.quarto_target({"QUARTO_EXECUTE_INFO": str(tmp_path / "gone.json")}) == "unknown"


def formatted(monkeypatch, env: dict) -> dict:
    """The MIME types a kernel's display formatter gives a chart, with the hook set up as a
    chapter kernel sets it up (on import of values.py) under `env`."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    display.register_chart_display(shell)
    return shell.display_formatter.format(chart())[0]


def test_outside_quarto_the_chart_keeps_altairs_own_output(monkeypatch):
    # The project's renderer reads this output; its notebooks and cache must not change.
    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    assert display.register_chart_display(shell) is False
    with pytest.raises(KeyError):  # no printer of ours: Altair's own _repr_mimebundle_ answers
        shell.display_formatter.mimebundle_formatter.lookup(chart())
    assert set(shell.display_formatter.format(chart())[0]) == set(DisplayFormatter().format(chart())[0])


def test_quarto_html_gets_markdown_only_with_a_closed_raw_block(monkeypatch, tmp_path):
    data = formatted(monkeypatch, {"QUARTO_PROJECT_ROOT": str(ROOT),
                                   "QUARTO_DOCUMENT_PATH": str(ROOT / "chapters"),
                                   "QUARTO_EXECUTE_INFO": execute_info(tmp_path, "html")})
    assert set(data) == {"text/markdown", "text/plain"}
    body = data["text/markdown"]
    fence = body.split("{=html}", 1)[0]
    assert len(fence) == 4 and body.endswith("\n" + fence)  # longer than the data's ```
    inner = body[len(fence) + len("{=html}"):-len(fence)]

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.scripts, self.data = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.scripts.append(dict(attrs))

        def handle_data(self, text):
            if self.scripts and self.scripts[-1].get("type") == "application/json":
                self.data.append(text)

    parser = Scripts()
    parser.feed(inner)
    assert [s.get("src") for s in parser.scripts] == ["../assets/vega-bundle.js", None, None]
    # The tooltip's "</script>" did not close the spec's element: the spec reads back whole.
    assert json.loads("".join(parser.data)) == chart().to_dict()


def test_quarto_typst_gets_an_svg_sized_by_quarto(monkeypatch, tmp_path):
    data = formatted(monkeypatch, {"QUARTO_PROJECT_ROOT": str(ROOT), "QUARTO_FIG_WIDTH": "4",
                                   "QUARTO_EXECUTE_INFO": execute_info(tmp_path, "typst")})
    assert set(data) == {"image/svg+xml", "text/plain"}
    head = re.match(r"<svg[^>]*>", data["image/svg+xml"]).group(0)
    assert 'width="4in"' in head and 'role="img"' in head


def test_the_shipped_bundle_is_the_one_vl_convert_makes_and_has_no_network_address():
    # Regenerate with `python -m analysis.report.display` after upgrading vl-convert.
    shipped = (ROOT / display.BUNDLE).read_text(encoding="utf-8")
    assert shipped == display.bundle_source()
    assert "window.vegaEmbed=" in shipped.replace(" ", "")


def test_shipped_bundle_is_a_quarto_project_resource():
    import yaml

    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert display.BUNDLE in config["project"]["resources"]


def test_the_data_folder_is_paradox_data_then_the_quarto_project_then_the_package(monkeypatch, tmp_path):
    assert data_dir() == ROOT / "data" and project_root() == ROOT
    monkeypatch.setenv("QUARTO_PROJECT_ROOT", str(tmp_path / "project"))
    assert data_dir() == tmp_path / "project" / "data"
    monkeypatch.setenv("PARADOX_DATA", str(tmp_path / "other"))
    assert data_dir() == tmp_path / "other"
    assert data_dir({}) == ROOT / "data"


def test_the_edition_is_computed_only_under_quarto_and_the_render_file_wins(tmp_path):
    assert citation.edition_from_env({}) is None  # a notebook, the golden copy: no edition
    edition = citation.edition_from_env({"QUARTO_PROJECT_ROOT": str(ROOT)})
    assert edition["version"] and edition["date"] and edition["commit"] and edition["data_to"]
    written = tmp_path / "edition.json"
    written.write_text(json.dumps({"version": "1", "date": "2020-01-01", "commit": "abc"}))
    assert citation.edition_from_env({"QUARTO_PROJECT_ROOT": str(ROOT),
                                      "PARADOX_EDITION_FILE": str(written)})["commit"] == "abc"
