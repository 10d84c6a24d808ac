"""Full-text search of the HTML site, offline, both from a web server and from a folder.

Two indexes, one search box (`assets/book.js`):
- Pagefind (`pagefind[bin]`): a chunked index under `pagefind/`, loaded by the browser with
  `import()`/`fetch`, which browsers allow over http(s) only. It is run on the written site
  at the end of a render; its output is cached by the bytes of every page, so an unchanged
  site is not indexed again.
- `site_libs/search-index.js`: the text of every section as a plain script, which a `<script>`
  tag can load from `file://` too (a book opened from a folder or a zip). The page loads it
  only when Pagefind cannot load, and only once the reader types into the box.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from renderer.cache import OutputCache
from renderer.errors import RenderError
from renderer.html import page_label, plain_text

FALLBACK = "site_libs/search-index.js"
PAGEFIND_DIR = "pagefind"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SECTION = re.compile(r'(?=<h2 id="[^"]+")')
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_HIDDEN = re.compile(r"<(script|template|style)\b.*?</\1>", re.S)


def index_site(out: Path, pages: list, cache: OutputCache) -> None:
    """Write both search indexes of the site in `out` (its pages already written)."""
    (out / FALLBACK).parent.mkdir(parents=True, exist_ok=True)
    (out / FALLBACK).write_bytes(fallback_index(pages))
    run_pagefind(out, cache)


def fallback_index(pages: list) -> bytes:
    """`window.bookSearchIndex = [...]`: one entry per page section (url, page, section, text)."""
    entries = []
    for page in pages:
        for chunk in _SECTION.split(_HIDDEN.sub(" ", page.body)):
            head = _H2.match(chunk)
            text = plain_text(_H2.sub(" ", chunk, count=1) if head else chunk)
            if not text:
                continue
            entries.append({"u": page.name + (f"#{head[1]}" if head else ""), "p": page_label(page),
                            "s": plain_text(head[2]) if head else "", "x": text})
    data = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    return ("window.bookSearchIndex=" + data.replace("</", "<\\/") + ";\n").encode()


def run_pagefind(out: Path, cache: OutputCache) -> None:
    """Index the site with Pagefind into `out/pagefind/`; reuse the last index if no page changed."""
    pages = sorted(p for p in out.rglob("*.html") if PAGEFIND_DIR not in p.relative_to(out).parts[:1])
    key = [importlib.metadata.version("pagefind-bin")]
    for page in pages:
        key += [page.relative_to(out).as_posix(), page.read_bytes()]
    archive = cache.get_or_make("pagefind", key, lambda: _pagefind_zip(out))
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        bundle.extractall(out / PAGEFIND_DIR)


def _pagefind_zip(site: Path) -> bytes:
    """Run the Pagefind binary on `site` into a scratch folder; its output as zip bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / PAGEFIND_DIR
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(target),
               "--keep-index-url", "--silent"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or not (target / "pagefind.js").is_file():
            raise RenderError(f"search index: pagefind failed ({done.returncode}): "
                              f"{(done.stderr or done.stdout).strip()[-2000:]}")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(p for p in target.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(target).as_posix(), _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, path.read_bytes())
        return buf.getvalue()
