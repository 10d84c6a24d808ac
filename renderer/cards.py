"""Figure cards: one downloadable folder (and zip) per figure of a rendered book.

Why: a reader who pastes a chart into a briefing needs the picture at print resolution, a
vector copy, the exact numbers behind it and a citation that names the edition - in one
download. For a figure `fig-x` the card is

    <folder>/fig-x/fig-x.png       2x-scale raster (vl-convert)
    <folder>/fig-x/fig-x.svg       vector
    <folder>/fig-x/fig-x.csv       exactly the data plotted: the spec's inline data values
    <folder>/fig-x/metadata.json   id, caption, alt text, sources, citation, edition, columns
    <folder>/fig-x.zip             the four files under `fig-x/`

The CSV holds the rows given to Vega-Lite (before the spec's own transforms): top-level
`data.values`, or the named dataset in `datasets` that Altair emits. When a chart uses more
than one dataset (a layer with its own data, e.g. a reference rule), the CSV gets a first
column `_dataset` naming each row's dataset. `metadata.json` records each column's JSON type,
and each dataset's keys, so `read_card_csv` gives back the very rows of the spec and
`replot_spec` re-plots the same chart from the CSV (tested). The one thing a CSV cannot tell
apart: an empty string comes back as null.

The CSV is for spreadsheets, so its cells (header included) are neutralised against formula
injection (renderer.spreadsheet: a text cell starting with = + - @, tab or CR gets a leading
'); `read_card_csv` takes the quote off again, and metadata.json keeps the raw texts.

This module is generic: it knows Vega-Lite, not the book. Limits, refused with CardError: data
given by URL or generated (`sequence`, `graticule`) rather than inline values; columns that
mix JSON types (which a CSV could not give back); nested objects in a value.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import vl_convert

from renderer.spreadsheet import CSV_NOTE, csv_text, restore

__all__ = ["CardError", "write_figure_card", "plotted_data", "read_card_csv", "replot_spec",
           "card_files", "caption_sources", "plain_caption", "CARD_SCALE"]

CARD_SCALE = 2  # the PNG is drawn at twice the SVG's size: sharp on paper and hi-dpi screens
DATASET_COLUMN = "_dataset"
_FIG_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same card gives the same zip bytes
_CHILD_KEYS = ("layer", "hconcat", "vconcat", "concat")
_CITE_GROUP = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_CITE_KEY = re.compile(r"(?<![\w.])-?@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)")
_CROSSREF = ("fig-", "tbl-", "sec-", "eq-")


class CardError(ValueError):
    """A figure cannot be made into a card; the message names the figure and the reason."""


def card_files(fig_id: str) -> list[str]:
    """The names of the four files of a card, in the order they are written and zipped."""
    return [f"{fig_id}.png", f"{fig_id}.svg", f"{fig_id}.csv", "metadata.json"]


def caption_sources(caption: str) -> list[str]:
    """The citation keys of a caption's bracketed citations (`[@a; @b, p. 3]`), in order.

    Why: a figure's source line is written as pandoc citations in its caption, and the card's
    metadata lists them as its sources. Cross-references (`@fig-...`, `@sec-...`) are not
    sources and are left out; trailing punctuation of a key is not part of it.
    """
    keys: list[str] = []
    for group in _CITE_GROUP.findall(caption):
        for key in _CITE_KEY.findall(group):
            key = key.rstrip(".:,;")
            if not key.startswith(_CROSSREF) and key not in keys:
                keys.append(key)
    return keys


def plain_caption(caption: str) -> str:
    """The caption as a reader quotes it: its bracketed citations ("[@a; @b]") dropped with
    the space before them (`caption_sources` gives their keys)."""
    return re.sub(r"\s*" + _CITE_GROUP.pattern, "", caption).strip()


# --- the data plotted -------------------------------------------------------------------------

def _views(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every (sub)view of a spec, depth first: the spec, its layers, concats and facet child."""
    yield spec
    for key in _CHILD_KEYS:
        for child in spec.get(key, []) or []:
            yield from _views(child)
    if isinstance(spec.get("spec"), Mapping):  # facet / repeat
        yield from _views(spec["spec"])


def _data_refs(spec: Mapping[str, Any], fig_id: str) -> list[tuple[str, list[dict]]]:
    """(name, rows) of each distinct dataset the spec plots, in order of first use."""
    datasets = spec.get("datasets", {}) or {}
    refs: dict[str, list[dict]] = {}
    for i, view in enumerate(_views(spec)):
        data = view.get("data")
        if data is None:
            continue
        if "values" in data and isinstance(data["values"], list):
            refs.setdefault(data.get("name") or f"view-{i}", list(data["values"]))
        elif "name" in data and data["name"] in datasets:
            refs.setdefault(data["name"], list(datasets[data["name"]]))
        else:
            raise CardError(f"{fig_id}: data {json.dumps(data)[:80]} is not inline values; "
                            "a card can only hold data the spec carries")
    if not refs:
        raise CardError(f"{fig_id}: the spec has no data")
    for name, rows in refs.items():
        if not all(isinstance(row, Mapping) for row in rows):
            raise CardError(f"{fig_id}: dataset {name!r} is not a list of records (objects); "
                            "a card's CSV needs one object per row")
    return list(refs.items())


def plotted_data(spec: Mapping[str, Any], fig_id: str = "figure") -> list[dict[str, Any]]:
    """The rows the chart plots, as dicts; with several datasets each row names its dataset.

    One dataset: its rows unchanged. Several: `{"_dataset": name, **row}` for each row of each,
    in order of first use.
    """
    refs = _data_refs(spec, fig_id)
    if len(refs) == 1:
        return [dict(row) for row in refs[0][1]]
    rows = []
    for name, values in refs:
        for row in values:
            if DATASET_COLUMN in row:
                raise CardError(f"{fig_id}: a data field is named {DATASET_COLUMN}, which the "
                                "card uses to tell datasets apart")
            rows.append({DATASET_COLUMN: name, **row})
    return rows


def _json_type(value: Any) -> str | None:
    """The JSON type name of one value (None for null); nested values are refused later."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _columns(rows: Sequence[Mapping[str, Any]], fig_id: str) -> list[dict[str, str]]:
    """Each column's name and JSON type (integer+number -> number); mixed types refused."""
    types: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            kind = _json_type(value)
            types.setdefault(key, set())
            if kind is not None:
                types[key].add(kind)
    columns = []
    for name, kinds in types.items():
        if kinds == {"integer", "number"}:
            kinds = {"number"}
        if len(kinds) > 1 or kinds - {"boolean", "integer", "number", "string"}:
            raise CardError(f"{fig_id}: column {name!r} holds {sorted(kinds)}; a CSV cannot "
                            "give such values back unchanged")
        columns.append({"name": name, "type": kinds.pop() if kinds else "null"})
    return columns


def _cell(value: Any) -> str:
    """One CSV cell: '' for null, 'true'/'false', repr for floats (round-trips exactly)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[Mapping[str, str]]) -> str:
    """The rows as spreadsheet-safe CSV text (renderer.spreadsheet) with a header; missing keys
    are empty cells."""
    names = [c["name"] for c in columns]
    return csv_text([names, *([_cell(row.get(name)) for name in names] for row in rows)])


def _parse(text: str, kind: str) -> Any:
    """One CSV cell back to its JSON value, given the column's type ('' is null)."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    if kind == "null":
        return None
    return text


def read_card_csv(csv_path: str | Path, data: Mapping[str, Any] | None = None
                  ) -> list[dict[str, Any]]:
    """Read a card's CSV back into the rows of the spec, typed by metadata.json's `data`.

    `data` is metadata.json's "data" entry (column types and each dataset's columns); without
    it, it is read from the `metadata.json` beside the CSV. A row gets exactly the keys of its
    dataset, so a dataset's rows come back as they were given. Cells neutralised against
    formula injection get their original text back. What a CSV cannot tell apart: an empty
    string comes back as null (null is by far the commoner in chart data).
    """
    csv_path = Path(csv_path)
    if data is None:
        meta = json.loads((csv_path.parent / "metadata.json").read_text(encoding="utf-8"))
        data = meta["data"]
    kinds = {c["name"]: c["type"] for c in data["columns"]}
    keys = {d["name"]: set(d["columns"]) for d in data["datasets"]}
    only = data["datasets"][0]["name"] if len(data["datasets"]) == 1 else None
    with csv_path.open(encoding="utf-8", newline="") as handle:
        table = ([restore(cell) for cell in line] for line in csv.reader(handle))
        header = next(table)
        rows = []
        for record in (dict(zip(header, line)) for line in table):
            own = keys[only if only is not None else record[DATASET_COLUMN]]
            rows.append({name: _parse(text, kinds[name]) if name != DATASET_COLUMN else text
                         for name, text in record.items()
                         if name in own or name == DATASET_COLUMN})
    return rows


def replot_spec(spec: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The spec with its inline data replaced by `rows` (as read from a card's CSV).

    The inverse of `plotted_data`: rows carrying `_dataset` go back to the dataset they name.
    Why: this is how a reader re-plots the card's CSV, and how the tests prove the CSV is
    exactly the data plotted.
    """
    new = copy.deepcopy(dict(spec))
    refs = _data_refs(new, "replot")
    if len(refs) == 1:
        groups = {refs[0][0]: [dict(r) for r in rows]}
    else:
        groups = {name: [] for name, _ in refs}
        for row in rows:
            row = dict(row)
            groups[row.pop(DATASET_COLUMN)].append(row)
    for i, view in enumerate(_views(new)):
        data = view.get("data")
        if data is None:
            continue
        if "values" in data:
            data["values"] = groups[data.get("name") or f"view-{i}"]
        else:
            new["datasets"][data["name"]] = groups[data["name"]]
    return new


# --- writing the card -------------------------------------------------------------------------

def _as_spec(spec: Any) -> dict[str, Any]:
    """A Vega-Lite spec as a plain dict: a dict, a JSON string or an object with to_dict()."""
    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    if isinstance(spec, str):
        spec = json.loads(spec)
    if not isinstance(spec, Mapping):
        raise CardError(f"a figure spec must be a Vega-Lite dict, got {type(spec).__name__}")
    return json.loads(json.dumps(spec))  # a deep, JSON-clean copy


def _marks_by_dataset(spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """Mark types drawn from each dataset (a view without data uses its parent's).

    Why: Altair names datasets by hash ('data-46cef99...'); the marks tell a reader of the
    card which rows are the line, which the reference rule, which the labels.
    """
    marks: dict[str, list[str]] = {}
    counter = iter(range(1 << 30))  # the same pre-order numbering as `_views`

    def walk(view: Mapping[str, Any], inherited: str | None) -> None:
        i, data, name = next(counter), view.get("data"), inherited
        if isinstance(data, Mapping) and isinstance(data.get("values"), list):
            name = data.get("name") or f"view-{i}"
        elif isinstance(data, Mapping) and "name" in data:
            name = data["name"]
        mark = view.get("mark")
        kind = mark.get("type") if isinstance(mark, Mapping) else mark
        if kind and name is not None and kind not in marks.setdefault(name, []):
            marks[name].append(kind)
        for key in _CHILD_KEYS:
            for child in view.get(key, []) or []:
                walk(child, name)
        if isinstance(view.get("spec"), Mapping):
            walk(view["spec"], name)

    walk(spec, None)
    return marks


def _dataset_columns(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each dataset's name, the keys its rows use (first-seen order) and the marks it feeds."""
    marks = _marks_by_dataset(spec)
    out = []
    for name, values in _data_refs(spec, "figure"):
        keys: dict[str, None] = {}
        for row in values:
            keys.update(dict.fromkeys(row))
        out.append({"name": name, "columns": list(keys), "marks": marks.get(name, [])})
    return out


def _metadata(fig_id: str, caption: str, alt: str, sources: Sequence[Any], citation: str,
              edition: Mapping[str, Any] | None, columns: list[dict], n_rows: int,
              datasets: list[dict]) -> dict:
    """The card's metadata.json content (validated by the schema in tests/test_cards.py)."""
    return {
        "id": fig_id,
        "caption": caption,
        "alt": alt,
        "sources": list(sources),
        "citation": citation,
        "edition": dict(edition) if edition else None,
        "files": {"png": f"{fig_id}.png", "svg": f"{fig_id}.svg", "csv": f"{fig_id}.csv"},
        "png_scale": CARD_SCALE,
        "data": {"file": f"{fig_id}.csv", "rows": n_rows, "columns": columns,
                 "datasets": datasets,
                 "note": "the data given to the chart, before the chart's own transforms",
                 "csv_cells": CSV_NOTE},
    }


def _zip_folder(card: Path, zip_path: Path, names: Sequence[str]) -> None:
    """Zip the card's files under '<fig-id>/' with fixed times, so the bytes are reproducible."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"{card.name}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (card / name).read_bytes())


def write_figure_card(folder: str | Path, fig_id: str, spec: Any, caption: str, alt: str,
                      sources: Sequence[Any], citation: str,
                      edition: Mapping[str, Any] | None) -> Path:
    """Write the card of one figure into `folder`; return the card's folder `<folder>/<fig_id>`.

    `spec` is the chart's Vega-Lite spec (dict, JSON text or an Altair chart); `sources` are
    source ids or records (any JSON); `citation` the suggested citation text; `edition` the
    edition fields (any JSON dict) to stamp into metadata.json. Raises CardError for a spec
    whose data cannot go into a CSV (see the module docstring), before writing anything.
    """
    if not _FIG_ID.match(fig_id):
        raise CardError(f"figure id {fig_id!r} is not a plain name (letters, digits, - _ .)")
    if not alt or alt.strip() == caption.strip():
        raise CardError(f"{fig_id}: alt text must be given and differ from the caption")
    spec = _as_spec(spec)
    rows = plotted_data(spec, fig_id)
    columns = _columns(rows, fig_id)
    png = vl_convert.vegalite_to_png(spec, scale=CARD_SCALE)
    svg = vl_convert.vegalite_to_svg(spec)

    card = Path(folder) / fig_id
    card.mkdir(parents=True, exist_ok=True)
    names = card_files(fig_id)
    (card / names[0]).write_bytes(png)
    (card / names[1]).write_text(svg, encoding="utf-8")
    (card / names[2]).write_text(_csv_text(rows, columns), encoding="utf-8", newline="")
    meta = _metadata(fig_id, caption, alt, sources, citation, edition, columns, len(rows),
                     _dataset_columns(spec))
    (card / names[3]).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    _zip_folder(card, Path(folder) / f"{fig_id}.zip", names)
    return card
