"""World Bank Indicators API v2 JSON: read saved responses, and fetch them (`paradox update`).

A response page is `[{"page":1,"pages":N,"per_page":...,"total":...,"lastupdated":"YYYY-MM-DD"},
[{"indicator":{"id":...},"countryiso3code":"PER","date":"2012","value":6.7,...}, ...]]`;
`value` is null when missing; records run newest year first. An error is a one-element list
`[{"message":[{"id":...,"key":...,"value":...}]}]`. One response may span pages, saved as one file
each (`<indicator>.page<k>.json`); all pages of an indicator are read together and must be
complete (pages 1..N, `total` records).

Fetching uses plain urllib (one GET per page, standard library; `wbgapi` would add a
dependency for four lines of paging): pages are saved byte for byte with a `fetch.json`
manifest recording each file's URL, retrieval date, size and sha256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd

from analysis.data.problems import DataValidationError, Problem
from analysis.data.publishers._cells import Where, refuse
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap
from analysis.data.publishers.wdi_bulk import INDICATORS

NAME = r"^(VC\.IHR\.PSRC\.P5|SP\.POP\.TOTL)(\.page\d+)?\.json$"
API = "https://api.worldbank.org"
PER_PAGE = 20000
WAIT = 1.0  # seconds before the first retry (doubled after)
MANIFEST = "fetch.json"


def group(paths: list[Path]) -> list[list[Path]]:
    """The saved pages of each indicator, page order."""
    by_code: dict[str, list[Path]] = {}
    for path in paths:
        by_code.setdefault(re.match(NAME, path.name).group(1), []).append(path)
    return [sorted(ps, key=lambda p: int(re.search(r"page(\d+)", p.name).group(1)) if "page" in p.name else 1)
            for _, ps in sorted(by_code.items())]


def _page(path: Path) -> tuple[dict, list]:
    """(page metadata, records) of one saved page; an API error or another shape is refused."""
    where = Where(path.name)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        refuse(where, f"not JSON ({err})")
    if isinstance(doc, list) and len(doc) == 1 and isinstance(doc[0], dict) and "message" in doc[0]:
        refuse(where, f"the API answered with an error: {doc[0]['message']}")
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict) and isinstance(doc[1], list)):
        refuse(where, "not a World Bank API v2 page ([metadata, [records]])")
    return doc[0], doc[1]


def read(paths: list[Path], names: NameMap) -> list[Edition]:
    """One Edition from all saved pages of one indicator."""
    paths = [Path(p) for p in paths]
    code = re.match(NAME, paths[0].name).group(1)
    pages = [_page(p) for p in paths]
    meta = pages[0][0]
    numbers = sorted(int(m.get("page", 0)) for m, _ in pages)
    if numbers != list(range(1, int(meta.get("pages", 1)) + 1)):
        refuse(Where(paths[0].name), f"pages {numbers} saved, the response has pages 1-{meta.get('pages')}")
    records = [r for _, recs in pages for r in recs]
    if len(records) != int(meta.get("total", len(records))):
        refuse(Where(paths[0].name), f"{len(records)} records saved, the response has {meta.get('total')}")
    series, value_col = INDICATORS[code]
    out, problems = [], []
    for k, rec in enumerate(records, start=1):
        where = Where(paths[0].name, row=k, label="value")
        if (rec.get("indicator") or {}).get("id") != code:
            problems.append(where.problem(f"record for indicator {(rec.get('indicator') or {}).get('id')!r}, expected {code}"))
            continue
        value = rec.get("value")
        if value is None:
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(where.problem(f"value {value!r} is not a number"))
            continue
        if not re.fullmatch(r"\d{4}", str(rec.get("date", ""))):
            problems.append(where.at(k, label="date").problem(f"date {rec.get('date')!r} is not a year"))
            continue
        out.append((rec.get("countryiso3code") or "", int(rec["date"]), float(value)))
    if problems:
        raise DataValidationError(problems)
    table = pd.DataFrame(out, columns=["iso3", "year", value_col])
    table = table[table["iso3"].str.fullmatch("[A-Z0-9]{3}")]  # regional records without an ISO3 code
    if value_col == "population":
        table["population"] = table["population"].astype("int64")
    vintage = str(meta.get("lastupdated", ""))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):
        refuse(Where(paths[0].name, label="lastupdated"), f"page metadata has no lastupdated date (found {vintage!r})")
    manifest = _manifest_entry(paths[0])
    title = (records[0].get("indicator") or {}).get("value", code) + f", {code}" if records else code
    notes = f"World Bank API v2, lastupdated {vintage}; {len(paths)} page(s)."
    return [Edition(series, int(vintage[:4]), table.reset_index(drop=True), paths[0], title, notes=notes,
                    url=manifest.get("url", ""), accessed=manifest.get("retrieved", ""), extra_files=paths[1:])]


def _manifest_entry(path: Path) -> dict:
    """What fetch.json (beside the file) recorded when it was downloaded; {} for a file saved by hand."""
    manifest = path.parent / MANIFEST
    if not manifest.is_file():
        return {}
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return next((e for e in entries if e.get("file") == path.name), {})


class FetchError(Exception):
    """The API could not be read (network, HTTP error, malformed page); str() is one line."""


def _get(url: str, attempts: int = 3) -> bytes:
    """GET with a few retries on server errors (5xx) and dropped connections; 4xx fails at once."""
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            if err.code < 500 or attempt == attempts:
                raise FetchError(f"{url}: HTTP {err.code} {err.reason} (after {attempt} attempt(s))") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            if attempt == attempts:
                reason = getattr(err, "reason", err)
                raise FetchError(f"{url}: {reason} (no network? save the files by hand and use --from)") from None
        time.sleep(WAIT * attempt)
    raise AssertionError("unreachable")


def fetch(codes: list[str], dest: Path, api: str = API, per_page: int = PER_PAGE, today: dt.date | None = None) -> list[dict]:
    """Download every page of each indicator (all countries) into `dest`, byte for byte, and
    write `dest/fetch.json`: file, url, retrieved, bytes, sha256. Returns the manifest.

    Pages are gathered in `<dest>.partial` and renamed to `dest` only when every page of every
    indicator has arrived, so a failed download leaves no folder that looks complete."""
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        manifest = _fetch_all(codes, partial, api, per_page, (today or dt.date.today()).isoformat())
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    os.replace(partial, dest)
    return manifest


def _fetch_all(codes: list[str], dest: Path, api: str, per_page: int, retrieved: str) -> list[dict]:
    """Every page of every indicator into `dest`, plus fetch.json."""
    manifest = []
    for code in codes:
        page, pages = 1, 1
        while page <= pages:
            url = f"{api.rstrip('/')}/v2/country/all/indicator/{code}?format=json&per_page={per_page}&page={page}"
            data = _get(url)
            try:
                doc = json.loads(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise FetchError(f"{url}: the answer is not JSON") from None
            if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)):
                raise FetchError(f"{url}: not a data page: {data[:200]!r}")
            pages = int(doc[0].get("pages", 1))
            name = f"{code}.page{page}.json"
            (dest / name).write_bytes(data)
            manifest.append({"file": name, "url": url, "retrieved": retrieved, "bytes": len(data),
                             "sha256": hashlib.sha256(data).hexdigest()})
            page += 1
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


__all__ = ["read", "fetch", "FetchError", "group", "NAME", "Problem"]
