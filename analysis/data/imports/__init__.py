"""The import step: raw public files (../shared/sources) -> curated tables in data/.

`import_all(sources_dir, out_dir)` builds every table in memory, checks cross-table rules,
writes the tables, their schemas and datapackage.json into a temporary folder, validates that
folder with the same checks as `paradox check`, and only then copies it over `out_dir`.
Deterministic: the same raw files give byte-identical output. Raw files are read in place,
never copied. One module per table; hand-maintained inputs live in analysis/data/hand/.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from analysis.data.describe import write_descriptor
from analysis.data.imports import claims, coca, corruption, countries, homicide, population, seizures, sources, use
from analysis.data.imports._common import CountryNames, expect, read_hand_yaml, read_raw
from analysis.data.paths import HAND, TABLES, csv_path, schema_path
from analysis.data.problems import DataValidationError
from analysis.data.schemas import table_schemas
from analysis.data.write import write_table


def build_tables(sources_dir: Path) -> dict[str, pd.DataFrame]:
    """Every curated table, built from the raw files in `sources_dir`."""
    sources_dir = Path(sources_dir)
    expect(sources_dir.is_dir(), str(sources_dir), "sources folder not found")
    sets = read_hand_yaml("country_sets.yaml")
    report_set = set(sets["latin_america_caribbean"]) | set(sets["comparators"]) | set(sets["aggregates"])

    # Load inputs that also teach country names (WDR 2025 seizures, WDI)
    old_seizures, new_seizures = seizures.read(sources_dir)
    pop_raw = read_raw(sources_dir, population.RAW, ["iso3", "country", "year", "population", "source"])
    wdi_raw = read_raw(sources_dir, homicide.WDI, ["iso3", "country", "year", "rate_per_100k", "source"])
    names = CountryNames()
    names.add_pairs(new_seizures["Country"], new_seizures["msCode"], seizures.NEW)
    names.add_pairs(pop_raw["country"], pop_raw["iso3"], population.RAW)
    names.add_pairs(wdi_raw["country"], wdi_raw["iso3"], homicide.WDI)

    # Process data: one module per table
    tables = {
        "sources": sources.build(sources_dir),
        "population": population.build(sources_dir),
        "homicide": homicide.build(sources_dir, names, report_set),
        "coca_cultivation": coca.build_cultivation(sources_dir),
        "coca_eradication": coca.build_eradication(sources_dir),
        "cocaine_seizures": seizures.build(old_seizures, new_seizures, names),
        "cocaine_use": use.build(sources_dir, names),
        "corruption": corruption.build(sources_dir, names),
        "article_claims": claims.build(sources_dir),
    }
    problems = names.problems()
    if problems:
        raise DataValidationError(problems)
    tables["countries"] = build_countries(sources_dir, tables, names, sets, old_seizures, new_seizures, pop_raw)
    return {name: tables[name] for name in TABLES}


def build_countries(sources_dir, tables, names, sets, old_seizures, new_seizures, pop_raw) -> pd.DataFrame:
    """countries.csv from every code the other tables use."""
    codes = set().union(*(set(t["iso3"]) for t in tables.values() if "iso3" in t.columns))
    gsh = read_raw(sources_dir, homicide.GSH, homicide.GSH_COLUMNS)
    wgi = read_raw(sources_dir, corruption.WGI, ["country", "code", "series_name", "series_code"] + [str(y) for y in corruption.WGI_YEARS])
    name_sources = [
        countries.names_from(pop_raw["country"], pop_raw["iso3"]),
        countries.names_from(new_seizures["Country"], new_seizures["msCode"]),
        countries.mapped_names(names),
        countries.names_from(wgi["country"], wgi["code"]),
    ]
    region_sources = [
        countries.regions_from(new_seizures["msCode"], new_seizures["Region"], new_seizures["SubRegion"]),
        countries.regions_from(names.iso3(old_seizures["country"], seizures.OLD), old_seizures["region"], old_seizures["subregion"]),
        countries.regions_from(names.iso3(gsh["Country/territory"], homicide.GSH), gsh["Region"], gsh["Sub-region"], sets["gsh_subregion_names"]),
    ]
    return countries.build(codes, name_sources, region_sources, set(sets["aggregates"]))


def write_folder(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Write every table, its schema, datapackage.json and README.md (from hand/) into `folder`."""
    schemas = table_schemas()
    for name in TABLES:
        write_table(tables[name], folder, name, schemas[name])
    write_descriptor(folder)
    shutil.copyfile(HAND / "data_README.md", folder / "README.md")


def import_all(sources_dir: Path, out_dir: Path) -> dict[str, int]:
    """Build, validate and write all curated tables; returns rows per table.

    Nothing in `out_dir` changes unless the whole new folder passes validation.
    """
    from analysis.data.validate import check_folder

    tables = build_tables(Path(sources_dir))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=".import-") as tmp:
        staging = Path(tmp)
        write_folder(tables, staging)
        problems = check_folder(staging)
        if problems:
            raise DataValidationError(problems)
        for name in TABLES:
            for path in (csv_path(staging, name), schema_path(staging, name)):
                target = out_dir / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        for extra in ("datapackage.json", "README.md"):
            shutil.copyfile(staging / extra, out_dir / extra)
    return {name: len(tables[name]) for name in TABLES}
