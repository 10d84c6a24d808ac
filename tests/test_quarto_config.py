"""`_quarto.yml` uses only keys Quarto 1.10 knows, so `quarto render` accepts it (issue 13).

The lists below are copied from Quarto's schema files (quarto-dev/quarto-cli,
`src/resources/schema/`, as read for issue 13); a key added to `_quarto.yml` must be found
there and added here with its file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# project.yml, `- name: project` (closed object).
PROJECT = {"title", "type", "render", "execute-dir", "output-dir", "lib-dir", "resources",
           "preview", "pre-render", "post-render", "detect"}
PROJECT_TYPES = {"default", "website", "book", "manuscript"}  # project.yml, type completions
# definitions.yml, `- id: book-schema` (closed; its super, base-website, adds site keys
# this book does not use).
BOOK = {"title", "subtitle", "author", "date", "date-format", "abstract", "description",
        "chapters", "appendices", "references", "output-file", "cover-image",
        "cover-image-alt", "sharing", "downloads", "tools", "doi"}
# Document options used at the top level: document-references.yml.
DOCUMENT = {"bibliography", "csl"}
# Execution options (tags contexts: [document-execute], so valid under `execute:`):
# cell-codeoutput.yml (eval, echo), cell-textoutput.yml (output, warning, error, include).
EXECUTE = {"eval", "echo", "output", "warning", "error", "include"}
# Format options used under format.html / format.typst: document-toc.yml (toc, toc-depth),
# document-numbering.yml (number-sections, number-depth).
FORMAT = {"toc", "toc-depth", "number-sections", "number-depth"}
TOP = {"project", "book", "execute", "format"} | DOCUMENT


@pytest.mark.parametrize("config", [ROOT / "_quarto.yml", ROOT / "tests/renderer/book/_quarto.yml"],
                         ids=["book", "renderer-test-book"])
def test_every_key_is_in_quartos_schema(config):
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert set(data) <= TOP, set(data) - TOP
    assert set(data["project"]) <= PROJECT and data["project"]["type"] in PROJECT_TYPES
    assert set(data["book"]) <= BOOK, set(data["book"]) - BOOK
    assert set(data.get("execute", {})) <= EXECUTE
    assert set(data["format"]) <= {"html", "typst"}
    for options in data["format"].values():
        assert set(options) <= FORMAT, set(options) - FORMAT


def test_every_project_resource_exists_in_the_repository():
    # Quarto copies `project: resources:` into the book; a missing one is a chart without script.
    data = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    resources = data["project"]["resources"]
    assert resources and all((ROOT / path).is_file() for path in resources)
