"""`paradox update`: adopt a new edition from the publishers' own files.

    paradox update --from FOLDER [--data data/] [--out DIR] [--allow-older] [--no-render]
    paradox update [--api URL] [--raw DIR] ...      # fetch the WDI series first, then as --from

1. (network) the World Bank API pages of the WDI series are saved byte for byte in a raw
   folder with `fetch.json` (URL, retrieval date, size, sha256 of each page);
2. every file in the folder is read by its publisher importer (`analysis.data.publishers`);
3. each edition is reconciled with the data folder by its rule in hand/publisher_series.yaml
   (which edition wins on overlap; how far a revision may go). A disagreement beyond the rule
   stops the update, listing every row that disagrees;
4. sources.csv gets one row per adopted file (publisher, title, edition, URL, accessed,
   license, file, sha256) - written here, never by hand;
5. the new folder is written beside the target, validated with `check_folder` (the checks of
   `paradox check`), and only then swapped in: the target is never half-written;
6. what changed is printed: rows per table, then (unless --no-render) the `paradox diff` of
   the two folders' ledgers - the numbers in the book that move.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data import DataValidationError, Problem, TABLES, check_folder
from analysis.data.describe import write_descriptor
from analysis.data.imports._common import read_hand_yaml
from analysis.data.paths import HAND, csv_path, schema_path
from analysis.data.publishers import Edition, NameMap, read_folder
from analysis.data.schemas import table_schemas
from analysis.data.write import format_cell, write_json

RULES = "publisher_series.yaml"
RULES_FILE = "analysis/data/hand/publisher_series.yaml"
SHOWN = 20  # disagreeing rows listed one per line before "... and N more"
WDI_CODES = ["VC.IHR.PSRC.P5", "SP.POP.TOTL"]


@dataclass
class Plan:
    """The new tables (text cells), and what the update did, one line each."""

    tables: dict[str, pd.DataFrame]
    adopted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# --- tables as text -------------------------------------------------------------------------

def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every curated table as text cells, exactly as in the files (unchanged rows stay byte-identical)."""
    return {name: pd.read_csv(csv_path(folder, name), dtype=str, keep_default_na=False, encoding="utf-8")
            for name in TABLES}


def as_text(rows: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Typed rows -> text cells in schema order, formatted as the import step writes them."""
    out = {}
    for f in schema["fields"]:
        values = rows[f["name"]].tolist() if f["name"] in rows else [None] * len(rows)
        out[f["name"]] = [format_cell(v, f.get("type", "string")) for v in values]
    return pd.DataFrame(out, columns=[f["name"] for f in schema["fields"]])


def _numbers(column: pd.Series) -> pd.Series:
    """A text column as floats (empty = NaN)."""
    return pd.to_numeric(column.replace("", None), errors="coerce").astype("float64")


# --- reconciliation -------------------------------------------------------------------------

def source_id(rule: dict, edition: Edition) -> str:
    """The source_id an edition gets (`{edition}` filled in)."""
    return rule["source_id"].format(edition=edition.edition)


def family_edition(rule: dict, sid: str) -> int | None:
    """The edition of an existing source_id of the same series (`unodc_wdr2022_coca` -> 2022), else None."""
    import re

    pattern = "^" + re.escape(rule["source_id"]).replace(re.escape("{edition}"), r"(\d{4})") + "$"
    match = re.match(pattern, sid)
    if match is None:
        return None
    return int(match.group(1)) if match.groups() else 0


def disagreements(old: pd.DataFrame, new: pd.DataFrame, rule: dict, file: str, what: str) -> list[Problem]:
    """Rows where `new` revises `old` beyond the rule (same key, value differs), minus `accepted`."""
    if rule["check"] == "none" or old.empty or new.empty:
        return []
    key, value = rule["key"], rule["value"]
    both = old.merge(new, on=key, suffixes=("_old", "_new"))
    a, b = _numbers(both[f"{value}_old"]), _numbers(both[f"{value}_new"])
    limit = rule["tolerance"] * a.abs() if rule["check"] == "relative" else rule["tolerance"]
    off = (a - b).abs() > limit
    accepted = {tuple(str(x) for x in item) for item in rule.get("accepted") or []}
    rows = both[off & ~both[key].astype(str).apply(tuple, axis=1).isin(accepted)]
    problems = [Problem(file, field=value, message=(
        f"{' '.join(str(r[k]) for k in key)}: {what} has {r[f'{value}_old']}, this file {r[f'{value}_new']} - beyond the "
        f"'{rule['check']}' rule (tolerance {rule['tolerance']}); accept it under `accepted` in {RULES_FILE} or keep the old edition"))
        for _, r in rows.head(SHOWN).iterrows()]
    if len(rows) > SHOWN:
        problems.append(Problem(file, field=value, message=f"... and {len(rows) - SHOWN} more rows beyond the rule"))
    return problems


def _preferred(rows: pd.DataFrame) -> pd.DataFrame:
    """Coca: one row per iso3-year of one edition - the net area where an edition gives two measures."""
    order = rows.assign(_net=rows["measure"].ne("net_area_dec31"))
    return order.sort_values("_net", kind="stable").drop_duplicates(["iso3", "year"]).drop(columns="_net")


def set_headline(table: pd.DataFrame, rule: dict) -> pd.DataFrame:
    """Coca: `headline` = the newest WDR edition's value per iso3-year (its net area where it
    gives two measures); rows of other sources keep headline false. The import step's rule,
    for any number of editions."""
    table = table.copy()
    editions = table["source_id"].map(lambda s: family_edition(rule, s))
    family = table[editions.notna()].assign(_edition=editions[editions.notna()])
    best = _preferred(family.sort_values("_edition", ascending=False, kind="stable"))
    table["headline"] = "false"
    table.loc[best.index, "headline"] = "true"
    return table


def apply_edition(tables: dict, edition: Edition, rule: dict, schemas: dict, keep: set[str], source_years: dict,
                  allow_older: bool, folder: Path) -> tuple[list[Problem], str | None]:
    """Merge one edition into `tables` by its rule. Returns (problems, a line saying what was adopted)."""
    file = str(edition.path.relative_to(folder)) if edition.path.is_relative_to(folder) else edition.path.name
    name = rule["table"]
    sid = source_id(rule, edition)
    rows = edition.rows.assign(**rule.get("fixed") or {}, source_id=sid)
    rows = rows[rows["year"] >= rule.get("first_year", 0)]
    if rule["countries"] == "report_set":
        rows = rows[rows["iso3"].isin(keep)]
    if rows.empty:
        return [], None
    new = as_text(rows, schemas[name])
    table = tables[name]
    if rule["overlap"] == "replace_series":
        have = source_years.get(sid)
        if have is not None and edition.edition < have and not allow_older:
            return [Problem(file, message=f"this is the {edition.edition} vintage of {sid}; data/ holds {have}. "
                                          f"Nothing adopted (use --allow-older to go back)")], None
        mine = table["source_id"].eq(sid) & table["iso3"].isin(set(new["iso3"]))
        problems = disagreements(table[mine], new, rule, file, f"the {have} vintage")
        table = pd.concat([table[~mine], new], ignore_index=True)
    else:
        pk = schemas[name]["primaryKey"]
        same = table["source_id"].eq(sid)
        table = table[~same]
        if "source_id" in pk:  # editions kept side by side (coca); compare with older editions
            older = table[table["source_id"].map(lambda s: (family_edition(rule, s) or 10**4) < edition.edition)]
            latest = older.assign(_e=older["source_id"].map(lambda s: family_edition(rule, s)))
            latest = latest.sort_values("_e", ascending=False, kind="stable")
            if name == "coca_cultivation":
                latest = _preferred(latest)
                compare = _preferred(new)
            else:
                compare = new
            latest = latest.drop_duplicates(rule["key"])
            problems = disagreements(latest, compare, rule, file, "an older edition")
            table = pd.concat([table, new], ignore_index=True)
        else:  # one row per key: the newest edition wins over older ones and other sources
            keyed = table.set_index(rule["key"]).index
            incoming = new.set_index(rule["key"]).index
            clash = keyed.isin(incoming)
            newer = table["source_id"].map(lambda s: (family_edition(rule, s) or 0) > edition.edition).to_numpy(dtype=bool)
            if (clash & newer).any():  # a newer edition already holds these keys: they stay
                kept = table[clash & newer].set_index(rule["key"]).index
                new = new[~incoming.isin(kept)]
                clash = clash & ~newer
            problems = disagreements(table[clash], new, rule, file, "data/")
            table = pd.concat([table[~clash], new], ignore_index=True)
    if name == "coca_cultivation":
        table = set_headline(table, rule)
    tables[name] = table
    return problems, f"{file}: {len(new)} rows of {name}.csv as {sid} ({edition.edition})"


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def source_row(edition: Edition, rule: dict, folder: Path) -> dict:
    """The sources.csv row of an adopted file (publisher, title, edition, URL, accessed, license, sha256)."""
    fill = {"edition": edition.edition}
    raw = edition.path.relative_to(folder) if edition.path.is_relative_to(folder) else Path(edition.path.name)
    pages = "".join(f" Further page {p.name}: sha256 {sha256(p)}." for p in edition.extra_files)
    how = "fetched from the World Bank API by paradox update" if edition.accessed else "saved from the publisher; read by paradox update"
    return {
        "source_id": source_id(rule, edition),
        "publisher": rule["publisher"],
        "title": f"{rule['title'].format(**fill)}: {edition.title}",
        "year": str(edition.edition),
        "url": edition.url or rule["url"].format(**fill),
        "intermediary": f"none ({how})",
        "accessed": edition.accessed,
        "license": rule["license"],
        "raw_file": raw.as_posix(),
        "raw_sha256": sha256(edition.path),
        "notes": " ".join(f"{edition.notes}{pages}".split()),
    }


def plan(folder: Path, data_dir: Path, allow_older: bool = False, rules: dict | None = None,
         editions: list[Edition] | None = None) -> Plan:
    """Read every file in `folder` and reconcile it with `data_dir`; nothing is written.

    Raises DataValidationError listing every problem (unreadable files, disagreements beyond
    the rules, older vintages) - all files are looked at before giving up. `editions`, if
    given, are the files of `folder` already read (tests read the publisher files once).
    """
    folder, data_dir = Path(folder), Path(data_dir)
    if editions is None:
        editions = read_folder(folder, NameMap(csv_path(data_dir, "countries")))
    rules = rules or read_hand_yaml(RULES)
    sets = read_hand_yaml("country_sets.yaml")
    keep = set(sets["latin_america_caribbean"]) | set(sets["comparators"]) | set(sets["aggregates"])
    schemas = table_schemas()
    tables = read_tables(data_dir)
    source_years = dict(zip(tables["sources"]["source_id"], tables["sources"]["year"].astype(int)))
    out = Plan(tables)
    problems: list[Problem] = []
    for edition in sorted(editions, key=lambda e: (e.series, e.edition, e.path.name)):
        rule = rules[edition.series]
        found, line = apply_edition(tables, edition, rule, schemas, keep, source_years, allow_older, folder)
        problems += found
        if line is None:
            if not found:
                out.skipped.append(f"{edition.path.name}: no rows for the report's countries; nothing adopted")
            continue
        out.adopted.append(line)
        row = source_row(edition, rule, folder)
        sources = tables["sources"]
        hit = sources["source_id"].eq(row["source_id"])
        if hit.any():  # the same series or edition again: its row is rewritten in place
            sources.loc[hit, list(row)] = list(row.values())
        else:
            sources = pd.concat([sources, pd.DataFrame([row])], ignore_index=True)
        tables["sources"] = sources
        source_years[row["source_id"]] = edition.edition
    if problems:
        raise DataValidationError(problems)
    for name in {rules[e.series]["table"] for e in editions}:  # as the import step orders them
        pk = schemas[name]["primaryKey"]
        tables[name] = tables[name].sort_values(pk, kind="stable").reset_index(drop=True)
    return out


# --- writing ---------------------------------------------------------------------------------

def write_staging(tables: dict[str, pd.DataFrame], staging: Path) -> None:
    """Tables, schemas, datapackage.json and README.md into `staging` (as `import-sources` lays them out)."""
    schemas = table_schemas()
    for name in TABLES:
        names = [f["name"] for f in schemas[name]["fields"]]
        csv_path(staging, name).write_text(tables[name][names].to_csv(index=False, lineterminator="\n"),
                                           encoding="utf-8", newline="")
        write_json(schema_path(staging, name), schemas[name])
    write_descriptor(staging)
    shutil.copyfile(HAND / "data_README.md", staging / "README.md")


def swap_in(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is: two renames on one file system, the old folder removed last."""
    if target.exists():
        old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
    else:
        os.rename(staging, target)


def table_changes(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> list[str]:
    """One line per table that changed: rows added, removed, revised (same key, other values)."""
    schemas = table_schemas()
    lines = []
    for name in TABLES:
        pk = schemas[name]["primaryKey"]
        a, b = old[name].set_index(pk), new[name].set_index(pk)
        added, removed = b.index.difference(a.index), a.index.difference(b.index)
        common = a.index.intersection(b.index)
        cols = [c for c in b.columns if c in a.columns]
        revised = (a.loc[common, cols] != b.loc[common, cols]).any(axis=1).sum() if len(common) else 0
        if len(added) or len(removed) or revised:
            lines.append(f"{name}.csv: {len(added)} rows added, {len(removed)} removed, {revised} revised")
    return lines or ["no table changed"]


def ledger_changes(old_dir: Path, new_dir: Path):
    """The `paradox diff` of two data folders (a `paradox.diff.Diff`): each folder is rendered
    (HTML only) and the two ledgers compared."""
    from paradox.diff import diff_ledgers, ledger_of

    with tempfile.TemporaryDirectory(prefix="paradox-update-") as tmp:
        return diff_ledgers(ledger_of(old_dir, Path(tmp) / "old"), ledger_of(new_dir, Path(tmp) / "new"))


def update(folder: Path, data_dir: Path, out: Path | None = None, allow_older: bool = False,
           render: bool = True, say=print):
    """Plan, write a staging folder beside `out`, validate it, report, then swap it in.

    `out` defaults to `data_dir` (replaced in place). On any problem nothing is written.
    Returns the ledger Diff (None with render=False).
    """
    from paradox.diff import format_diff

    data_dir = Path(data_dir)
    out = Path(out) if out is not None else data_dir
    result = plan(folder, data_dir, allow_older)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.update-"))
    diff = None
    try:
        write_staging(result.tables, staging)
        problems = check_folder(staging)
        if problems:
            raise DataValidationError(problems)
        for line in result.adopted:
            say(f"adopted {line}")
        for line in result.skipped + table_changes(read_tables(data_dir), result.tables):
            say(line)
        if render:
            diff = ledger_changes(data_dir, staging)
            say(format_diff(diff).rstrip("\n"))
        swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    say(f"wrote {out}")
    return diff


def main(args) -> int:
    """`paradox update`: exit 1 with one line per problem (nothing written), never a traceback."""
    from analysis.data.publishers.wdi_api import FetchError, fetch
    from renderer import RenderError

    folder = Path(args.from_dir) if args.from_dir else None
    try:
        if folder is None:
            import datetime as dt

            folder = Path(args.raw) if args.raw else Path(args.data).resolve().parent / "raw" / f"wdi-{dt.date.today().isoformat()}"
            if folder.exists() and any(folder.iterdir()):
                print(f"paradox update: {folder} is not empty; choose another --raw folder", file=sys.stderr)
                return 1
            for entry in fetch(WDI_CODES, folder, api=args.api):
                print(f"fetched {entry['url']} -> {folder / entry['file']} ({entry['bytes']} bytes, sha256 {entry['sha256'][:12]}…)")
        update(folder, Path(args.data), Path(args.out) if args.out else None, args.allow_older, not args.no_render)
    except DataValidationError as err:
        for problem in err.problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except (FetchError, RenderError) as err:
        print(f"paradox update: {err}; nothing was written.", file=sys.stderr)
        return 1
    return 0
