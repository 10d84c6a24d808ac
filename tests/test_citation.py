"""CITATION.cff is valid CFF 1.2.0 and the "How to cite" texts derived from it are right."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pypandoc
import pytest

from analysis.report import citation as c

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "tests" / "schemas" / "cff-1.2.0.schema.json"
# sha256 of the upstream file (citation-file-format/citation-file-format@0092149, schema.json);
# see tests/schemas/README.md. Catches an accidental edit of the vendored copy.
SCHEMA_SHA256 = "c0e7a6aeacff07ef2f92131c20d44ec71ea92b0ad5f8e71ea1acd4dede4953b6"

EDITION = {"version": "0.1.0", "date": "2026-11-28", "commit": "abc1234", "data_to": 2023}


def cff_validator() -> jsonschema.Draft7Validator:
    """The official CFF 1.2.0 schema as a draft-07 validator that also checks formats."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def make_cff(**overrides) -> dict:
    """A small hand-made CFF dict for known-answer tests of the formatters."""
    cff = {
        "cff-version": "1.2.0",
        "message": "Cite me.",
        "title": "Cocaine & Co: 100% reproducible",
        "version": "2.3.1",
        "authors": [{"name": "Example team"}],
        "references": [{
            "type": "magazine-article",
            "title": "An Article",
            "authors": [{"family-names": "Doe", "given-names": "Jane Ann"},
                        {"family-names": "Humboldt", "given-names": "Alexander",
                         "name-particle": "von"},
                        {"name": "Some Institute"}],
            "journal": "The Magazine",
            "year": 2013,
            "month": 4,
            "url": "https://example.org/a",
        }],
    }
    cff.update(overrides)
    return cff


# --- the file ---------------------------------------------------------------------------------

def test_vendored_schema_is_the_upstream_file():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_citation_cff_validates_against_official_schema():
    errors = [e.message for e in cff_validator().iter_errors(c.load_citation(REPO / "CITATION.cff"))]
    assert errors == []


def test_schema_rejects_what_cff_forbids():
    # The validation above can fail: the same validator rejects a file without authors, a
    # reference without a type, and a licence that is not an SPDX id.
    good = c.load_citation(REPO / "CITATION.cff")
    no_authors = {k: v for k, v in good.items() if k != "authors"}
    bad_ref = dict(good, references=[{"title": "x", "authors": [{"name": "y"}]}])
    bad_license = dict(good, license="MIT-ish")
    for bad in (no_authors, bad_ref, bad_license):
        assert list(cff_validator().iter_errors(bad)), bad


def test_citation_version_matches_pyproject():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert str(c.load_citation()["version"]) == pyproject["project"]["version"]


def test_citation_names_the_article_and_its_authors():
    ref = c.load_citation()["references"][0]
    assert ref["title"] == "A Massive Drug Trade, and No Violence"
    assert [(a["given-names"], a["family-names"]) for a in ref["authors"]] == [
        ("Robert", "Muggah"), ("Jeremy", "McDermott")]
    assert (ref["journal"], ref["year"]) == ("The Atlantic", 2013)


def test_load_citation_casts_dates_and_requires_fields(tmp_path):
    path = tmp_path / "CITATION.cff"
    path.write_text("cff-version: 1.2.0\nmessage: m\ntitle: T\nversion: 1.0.0\n"
                    "authors:\n  - name: A\ndate-released: 2024-02-29\n", encoding="utf-8")
    assert c.load_citation(path)["date-released"] == "2024-02-29"  # a str, as CFF wants
    path.write_text("cff-version: 1.2.0\nmessage: m\ntitle: T\nauthors:\n  - name: A\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="'version' is missing"):
        c.load_citation(path)


# --- the report -------------------------------------------------------------------------------

def test_report_apa_known_answer():
    assert unescape(c.report_apa(make_cff(), EDITION)) == (
        "Example team. (2026). *Cocaine & Co: 100% reproducible* (Version 0.1.0, edition of "
        "2026-11-28, data to 2023, commit abc1234) [Reproducible research report].")


def test_report_apa_without_edition_uses_release_date_or_nd():
    assert "(n.d.)" in c.report_apa(make_cff())
    assert "Version 2.3.1)" in c.report_apa(make_cff())
    assert "(2025)" in c.report_apa(make_cff(**{"date-released": "2025-01-31"}))


def test_report_apa_plain_text_has_no_markdown():
    cff = make_cff(title="Worth $5 *billion*", url="https://example.org/r")
    assert c.report_apa(cff, markdown=False) == (
        "Example team. (n.d.). Worth $5 *billion* (Version 2.3.1) "
        "[Reproducible research report]. https://example.org/r")
    assert "*Worth \\$5 \\*billion\\**" in c.report_apa(cff)
    assert c.report_apa(cff).endswith("<https://example.org/r>")


def test_report_bibtex_escapes_and_balances():
    bib = c.report_bibtex(make_cff(), EDITION)
    assert bib.startswith("@misc{example_team_0_1_0,\n")
    assert r"title = {{Cocaine \& Co: 100\% reproducible}}" in bib
    assert "year = {2026}" in bib and "version = {0.1.0}" in bib
    assert "note = {Version 0.1.0, edition of 2026-11-28, data to 2023, commit abc1234}" in bib
    assert bib.count("{") == bib.count("}")


def test_report_bibtex_key_from_real_citation():
    assert c.report_bibtex(c.load_citation()).startswith("@misc{peru_paradox_0_1_0,")


def test_report_bibtex_parses_with_pandoc():
    # pandoc's BibTeX reader turns the entry into CSL JSON: a real parser, not a regex.
    csl = json.loads(pypandoc.convert_text(c.report_bibtex(make_cff(), EDITION),
                                           "csljson", format="bibtex"))
    assert csl[0]["title"] == "Cocaine & Co: 100% reproducible"
    assert csl[0]["author"] == [{"literal": "Example team"}]
    assert csl[0]["issued"]["date-parts"][0][0] == 2026


# --- the article ------------------------------------------------------------------------------

def test_article_apa_known_answer():
    # "von" is a name particle kept with the family name; "Jane Ann" gives "J. A."
    assert unescape(c.article_apa(make_cff())) == (
        "Doe, J. A., von Humboldt, A., & Some Institute. (2013, April). An Article. "
        "*The Magazine*. <https://example.org/a>")


def test_article_apa_of_the_real_citation():
    assert c.article_apa(c.load_citation(), markdown=False).startswith(
        "Muggah, R., & McDermott, J. (2013, April). A Massive Drug Trade, and No Violence. "
        "The Atlantic. https://www.theatlantic.com/")


def test_article_bibtex_known_answer():
    bib = c.article_bibtex(make_cff(), key="doe_2013")
    assert bib.splitlines()[:3] == [
        "@article{doe_2013,",
        "  author = {Doe, Jane Ann and von Humboldt, Alexander and {Some Institute}},",
        "  title = {{An Article}},",
    ]
    assert "  month = apr," in bib


def test_article_required():
    with pytest.raises(ValueError, match="no 'references' entry"):
        c.article_apa(make_cff(references=[]))


# --- figure and number ------------------------------------------------------------------------

def test_figure_citation_links_the_card():
    text = c.figure_citation(make_cff(), "fig-coca-area", "Coca grown, $1 billion", EDITION)
    assert unescape(text).startswith("Figure \u201cCoca grown, $1 billion\u201d (fig-coca-area). In Example team.")
    assert text.endswith("Figure card (image, data, metadata): figures/fig-coca-area.zip")


def test_figure_citation_template_fills_to_the_plain_citation():
    template = c.figure_citation_template(make_cff(title="Braces {kept}"), EDITION)
    filled = template.format(fig_id="fig-a", caption="A {literal} caption")
    assert filled == c.figure_citation(make_cff(title="Braces {kept}"), "fig-a",
                                       "A {literal} caption", EDITION, markdown=False)


def test_plain_citations_are_typeset_as_printed():
    # A card's metadata.json and a tooltip carry the plain text; a reader copies it into a
    # briefing, so its quotes are the printed book's curly ones: "It's" -> "It\u2019s".
    cff = make_cff(title='Peru\'s "paradox"')
    assert "Peru\u2019s \u201cparadox\u201d" in c.report_apa(cff, markdown=False)
    filled = c.figure_citation_template(cff, EDITION).format(fig_id="fig-a", caption="x")
    assert "'" not in filled and '"' not in filled


def test_number_citation_names_ledger_id():
    text = c.number_citation(make_cff(), "markets-drug-income", "well over $1 billion", EDITION)
    assert unescape(text).startswith("\u201cwell over $1 billion\u201d. Example team. (2026).")
    assert text.endswith("Claims ledger entry `markets-drug-income` (claims.json, claims.csv).")
    plain = c.number_citation(make_cff(), "x-1", "$1", markdown=False)
    assert plain.endswith("Claims ledger entry x-1 (claims.json, claims.csv).") and "\\$" not in plain


# --- edition from the environment -------------------------------------------------------------

def test_edition_from_env_file_wins(tmp_path):
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(EDITION), encoding="utf-8")
    env = {"PARADOX_EDITION_FILE": str(path), "PARADOX_EDITION": json.dumps({"date": "x"})}
    assert c.edition_from_env(env) == EDITION
    with pytest.raises(ValueError, match="PARADOX_EDITION_FILE: cannot read .*missing.json"):
        c.edition_from_env({"PARADOX_EDITION_FILE": str(tmp_path / "missing.json")})
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"PARADOX_EDITION_FILE \(.*\) must be a JSON object"):
        c.edition_from_env({"PARADOX_EDITION_FILE": str(path)})


def test_edition_from_env():
    assert c.edition_from_env({}) is None
    assert c.edition_from_env({"PARADOX_EDITION": json.dumps(EDITION)}) == EDITION
    with pytest.raises(ValueError, match="PARADOX_EDITION is not valid JSON"):
        c.edition_from_env({"PARADOX_EDITION": "{oops"})
    with pytest.raises(ValueError, match="must be a JSON object, got list"):
        c.edition_from_env({"PARADOX_EDITION": "[1]"})


# --- the appendix -----------------------------------------------------------------------------

def test_how_to_cite_markdown_renders_with_pandoc():
    md = c.how_to_cite_markdown(c.load_citation(), EDITION, figure=("fig-x", "Worth $5 billion"),
                                claim=("ch-claim", "$5-7 billion"), level=3)
    assert re.findall(r"^### (.+)$", md, flags=re.M) == [
        "The report", "The article it follows", "A figure", "A number"]
    html = pypandoc.convert_text(md, "html", format="markdown", extra_args=["--wrap=none"])
    assert "math" not in html  # no dollar sign was read as TeX math
    assert "Worth $5 billion" in html and "$5-7 billion" in html
    assert html.count('<code class="sourceCode bibtex">') == 2
    assert "figures/fig-x.zip" in html and "<code>ch-claim</code>" in html
    assert "Muggah, R., &amp; McDermott, J. (2013, April)" in html


def test_how_to_cite_markdown_reads_edition_from_env(monkeypatch):
    monkeypatch.setenv("PARADOX_EDITION", json.dumps(dict(EDITION, date="2030-01-02")))
    assert "edition of 2030-01-02" in c.how_to_cite_markdown()


def test_dates_to_str_is_recursive():
    assert c._dates_to_str({"a": [dt.date(2020, 1, 2)]}) == {"a": ["2020-01-02"]}


def unescape(markdown: str) -> str:
    """The Markdown with its backslash escapes removed: what a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown)
