"""The network path of `paradox update`: the World Bank API, served from recorded responses by a
local HTTP server on 127.0.0.1 (no test needs the internet), with paging and server errors."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from analysis.data import DataValidationError
from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
from analysis.data.publishers import NameMap, wdi_api
from paradox.cli import main as cli

PUB = DEFAULT_SOURCES / "publisher"
RECORDED = json.loads((PUB / "worldbank_api_v2" / "SP.POP.TOTL.json").read_text(encoding="utf-8"))


def peru_homicide_records() -> list[dict]:
    """VC.IHR.PSRC.P5 records in the API's record shape, values from the WDI bulk file's Peru line."""
    text = (PUB / "worldbank_wdi_bulk" / "API_VC.IHR.PSRC.P5_DS2_en_csv_v2_6299884.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, peru = rows[4], next(r for r in rows if r[:2] == ["Peru", "PER"])
    return [{"indicator": {"id": "VC.IHR.PSRC.P5", "value": "Intentional homicides (per 100,000 people)"},
             "country": {"id": "PE", "value": "Peru"}, "countryiso3code": "PER", "date": year,
             "value": float(value) if value else None, "unit": "", "obs_status": "", "decimal": 1}
            for year, value in reversed(list(zip(header[4:], peru[4:]))) if year.isdigit()]


def pages(records: list[dict], per_page: int, lastupdated: str) -> list[bytes]:
    """A response split into pages, each `[metadata, records]` as the API writes them (compact JSON)."""
    count = -(-len(records) // per_page)
    return [json.dumps([{"page": k + 1, "pages": count, "per_page": per_page, "total": len(records), "sourceid": "2",
                         "lastupdated": lastupdated}, records[k * per_page:(k + 1) * per_page]], separators=(",", ":")).encode()
            for k in range(count)]


class Recorded:
    """What the local server answers: pages per indicator, and HTTP 500s to give first."""

    def __init__(self, failures: int = 0, fail_always: bool = False):
        self.pages = {
            # India's recorded population response (63 records), split over two pages
            "SP.POP.TOTL": pages(RECORDED[1], 40, RECORDED[0]["lastupdated"]),
            # Peru's homicide series; dated 2025-12-18 so it counts as newer than data/'s 2025 vintage
            "VC.IHR.PSRC.P5": pages(peru_homicide_records(), 1000, "2025-12-18"),
        }
        self.failures, self.fail_always, self.requests = failures, fail_always, []


@pytest.fixture
def api():
    """Start a server on 127.0.0.1 (a free port); yields (base URL, Recorded)."""
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            url = urlparse(self.path)
            recorded.requests.append(self.path)
            code = url.path.rstrip("/").split("/")[-1]
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            if recorded.fail_always or (page == 2 and recorded.failures > 0):
                recorded.failures -= 1
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"Internal Server Error")
                return
            if code not in recorded.pages:
                body = b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'
            else:
                body = recorded.pages[code][page - 1]
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    wdi_api_wait, wdi_api.WAIT = wdi_api.WAIT, 0.0
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorded
    finally:
        wdi_api.WAIT = wdi_api_wait
        server.shutdown()
        server.server_close()


def test_fetch_saves_every_page_with_its_url_date_size_and_sha256(api, tmp_path):
    base, recorded = api
    recorded.failures = 1  # page 2 of SP.POP.TOTL fails once with HTTP 500, then succeeds
    manifest = wdi_api.fetch(["SP.POP.TOTL"], tmp_path / "raw", api=base, per_page=40, today=dt.date(2026, 3, 1))
    assert [e["file"] for e in manifest] == ["SP.POP.TOTL.page1.json", "SP.POP.TOTL.page2.json"]
    for entry, served in zip(manifest, recorded.pages["SP.POP.TOTL"]):
        saved = (tmp_path / "raw" / entry["file"]).read_bytes()
        assert saved == served and entry["bytes"] == len(served)
        assert entry["sha256"] == hashlib.sha256(served).hexdigest() and entry["retrieved"] == "2026-03-01"
    assert manifest[1]["url"] == f"{base}/v2/country/all/indicator/SP.POP.TOTL?format=json&per_page=40&page=2"
    assert sum("page=2" in r for r in recorded.requests) == 2  # the retry
    assert json.loads((tmp_path / "raw" / "fetch.json").read_text()) == manifest
    # both pages read together give the recorded response's 63 records
    [ed] = wdi_api.read(sorted((tmp_path / "raw").glob("*.page*.json")), NameMap(DEFAULT_DATA / "countries.csv"))
    assert len(ed.rows) == 63 and ed.rows.set_index("year").loc[2022, "population"] == 1417173173
    assert ed.accessed == "2026-03-01" and ed.url.endswith("page=1")


def test_a_persistent_server_error_stops_the_update_and_writes_nothing(api, tmp_path, capsys):
    base, recorded = api
    recorded.fail_always = True
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, data)
    before = {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    code = cli(["update", "--api", base, "--raw", str(tmp_path / "raw"), "--data", str(data), "--no-render"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert "HTTP 500 Internal Server Error (after 3 attempt(s)); nothing was written." in err[0]
    assert not (tmp_path / "raw").exists() and not (tmp_path / "raw.partial").exists()
    assert {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_update_from_the_api_adopts_the_series_and_records_where_it_came_from(api, tmp_path, capsys):
    base, _ = api
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, data)
    assert cli(["update", "--api", base, "--raw", str(tmp_path / "raw"), "--data", str(data), "--no-render"]) == 0
    out = capsys.readouterr().out
    assert "SP.POP.TOTL.page1.json: no rows for the report's countries; nothing adopted" in out  # India only
    homicide = list(csv.DictReader(open(data / "homicide.csv", encoding="utf-8")))
    peru = {r["year"]: r["rate_per_100k"] for r in homicide if r["iso3"] == "PER" and r["source_id"] == "wdi_homicide"}
    assert peru["2020"] == "5.71389863958169"  # the bulk file's Peru 2020, served as the API's number
    [source] = [r for r in csv.DictReader(open(data / "sources.csv", encoding="utf-8")) if r["source_id"] == "wdi_homicide"]
    page = tmp_path / "raw" / "VC.IHR.PSRC.P5.page1.json"
    assert source["raw_file"] == "VC.IHR.PSRC.P5.page1.json" and source["raw_sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert source["url"].startswith(f"{base}/v2/country/all/indicator/VC.IHR.PSRC.P5?") and source["year"] == "2025"
    assert source["accessed"] == dt.date.today().isoformat()


def test_incomplete_pages_and_api_errors_are_refused(tmp_path):
    names = NameMap(DEFAULT_DATA / "countries.csv")
    first = pages(RECORDED[1], 40, "2023-06-29")[0]
    (tmp_path / "SP.POP.TOTL.page1.json").write_bytes(first)
    with pytest.raises(DataValidationError) as err:
        wdi_api.read([tmp_path / "SP.POP.TOTL.page1.json"], names)
    assert str(err.value) == "SP.POP.TOTL.page1.json: pages [1] saved, the response has pages 1-2"
    (tmp_path / "VC.IHR.PSRC.P5.json").write_bytes(b'[{"message":[{"id":"120","key":"Invalid value"}]}]')
    with pytest.raises(DataValidationError) as err:
        wdi_api.read([tmp_path / "VC.IHR.PSRC.P5.json"], names)
    assert str(err.value).startswith("VC.IHR.PSRC.P5.json: the API answered with an error")
