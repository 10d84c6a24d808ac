"""render_book: the whole pipeline, from `_quarto.yml` to `_book/`.

parse every chapter (refusing unsupported syntax before any kernel starts) -> reuse or
execute each chapter (two kernels at a time) -> Markdown with outputs -> pandoc AST ->
book-wide numbering -> HTML pages and/or the PDF -> claims ledger -> swap into out_dir.

Output is written to `<out_dir>.tmp-<random>` beside out_dir and swapped in only when all of
it succeeded; a failed or interrupted render leaves the previous out_dir untouched, and a
render refuses an out_dir that is not safely its own (renderer/outdir.py). A lock (flock,
released by the OS even on SIGKILL) keeps two renders of one project apart.
"""

from __future__ import annotations

import copy
import fcntl
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from renderer import html as html_site
from renderer import outdir
from renderer import pdf as pdf_book
from renderer import zygote
from renderer.downloads import write_downloads
from renderer.figures import link_cards, write_cards
from renderer.cache import ChapterCache, OutputCache, chapter_key, placed, write_atomic
from renderer.crossref import check_references, claim_sentences, number_book, walk
from renderer.errors import RenderError
from renderer.execute import execute_all
from renderer.notebook import RECORD_TAG, as_built_here, build_notebook, stdout, tags
from renderer.outputs import VEGALITE, assemble
from renderer.pandoc import markdown_to_ast
from renderer.project import load_project
from renderer.qmd import parse_qmd
from renderer.search import index_site
from renderer.spreadsheet import csv_text

LEDGER_FIELDS = ["id", "kind", "text", "value", "low", "high", "unit", "year", "sources", "branch",
                 "sentence", "chapter", "anchor", "expression", "line"]


@dataclass
class RenderResult:
    """What a render produced and did."""

    out_dir: Path
    html: Path | None = None                 # index.html
    pdf: Path | None = None
    executed: list[str] = field(default_factory=list)   # chapters run in a kernel
    reused: list[str] = field(default_factory=list)     # chapters taken from the cache
    seconds: dict[str, float] = field(default_factory=dict)
    claims: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)   # id, chapter, caption, alt, spec
    volatile: dict[str, list] = field(default_factory=dict)  # chapters never cached, and why
    forked: bool = False                    # kernels were forked from a preloaded zygote
    total_seconds: float = 0.0


def render_book(project_dir, out_dir=None, formats=("html", "pdf"), fresh=False, env=None,
                edition=None, progress=None, cache_dir=None, figure_citation="{caption}",
                setup=None, protect=(), data_package=None, sources=None, placeless=()) -> RenderResult:
    """Render the book in `project_dir` into `out_dir` (default `<project>/_book`).

    formats: any of "html", "pdf"; none (`()`): only what the book will say - the claims
    ledger (claims.json) and the kept notebooks, no pages, PDF or figure cards (what
    `paradox diff` and `paradox render --since` need to compare two renders). fresh: ignore
    every cache (stored executions and tool outputs: everything is made again). env: added to
    every chapter kernel's environment. edition: a dict; its "stamp" (one line of text) is shown in
    every HTML page's footer and on the PDF title page, every other key is added to each
    ledger entry (without a stamp, "key: value" pairs are shown). progress(event, name, seconds) is called with
    event "executed"/"reused" per chapter, "volatile" for a chapter that ran a subprocess or
    opened a network connection (it is re-executed every time), "html"/"pdf" per output and
    "waiting" when another render holds the lock. cache_dir: where the
    cache lives (default `<project>/.render-cache`; the benchmark uses an empty one).
    figure_citation: the suggested citation written into each figure card, a `str.format`
    template with {fig_id} and {caption} (every chart gets a card under figures/).
    setup: called with the render lock held, before any chapter runs - the place to write
    files the chapters read, so a second render waiting for the lock cannot change them
    under the first one's kernels. protect: folders (e.g. the data folder) that out_dir must
    not be, contain or lie inside; checked with the rest of `outdir.check_out_dir` before
    anything is written.
    data_package: a data folder, zipped into the HTML book as a download (data-package.zip).
    sources: source id -> {"name", "title", "url", "year"}, shown in each number's popover.
    placeless: names of `env` variables that give the chapters a file or folder (the data
    folder, say) whose content, not place, they depend on: the cache keys their runs on what
    they read there, so the same data in another folder reuses every run (renderer/cache.py).
    """
    start = time.perf_counter()
    project = load_project(Path(project_dir))
    out_dir = Path(out_dir).resolve() if out_dir else project.root / "_book"
    formats = tuple(formats)
    if set(formats) - {"html", "pdf"}:
        raise RenderError(f"formats must be 'html' and/or 'pdf' (or none: the ledger only), not {formats!r}")
    env = {str(k): str(v) for k, v in (env or {}).items()}
    notify = progress or (lambda *a: None)
    cache_root = Path(cache_dir).resolve() if cache_dir else project.root / ".render-cache"
    outdir.check_out_dir(out_dir, project.root, cache_root, tuple(protect))
    with _lock(cache_root, notify):
        if setup is not None:
            setup()
        outdir.recover(cache_root)
        outdir.check_out_dir(out_dir, project.root, cache_root, tuple(protect))  # recovery may restore it
        docs = [parse_qmd(ch.path) for ch in project.chapters]
        result = RenderResult(out_dir=out_dir)
        outputs = OutputCache(cache_root, fresh=fresh)
        with ThreadPoolExecutor(max_workers=1) as warm:
            def prefetch(nb):  # chart SVGs and the JS bundle, made while other chapters run
                warm.submit(_prefetch, nb, formats, outputs)
            notebooks = _execute(project, docs, env, fresh, ChapterCache(cache_root, project.root, placed(env, placeless)), result, notify, prefetch)
        swap = outdir.begin(cache_root, out_dir)
        try:
            _write_book(project, docs, notebooks, formats, edition, outputs, swap.tmp, result, notify,
                        figure_citation, web={"data_package": data_package, "sources": sources})
            outdir.write_marker(swap.tmp)
            outdir.finish(cache_root, swap)
        finally:
            outdir.abandon(cache_root, swap)
        outputs.prune()
    result.html = out_dir / "index.html" if "html" in formats else None
    result.pdf = out_dir / f"{project.slug}.pdf" if "pdf" in formats else None
    result.total_seconds = time.perf_counter() - start
    return result


def _prefetch(nb, formats, outputs) -> None:
    """Warm the output cache with what the writers will need from this chapter's charts."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, spec in output.get("data", {}).items():
                match = VEGALITE.fullmatch(mime)
                if match and "pdf" in formats:
                    pdf_book.chart_svg(spec, match.group(1), outputs)
                if match and "html" in formats:
                    html_site.js_bundle(match.group(1), outputs)


def _execute(project, docs, env, fresh, cache, result, notify, prefetch) -> dict:
    """Reuse or run every chapter; store fresh runs with what they read. Returns rel -> nb."""
    defaults = dict(project.execute)
    notebooks, jobs, keys = {}, [], {}
    for chapter, doc in zip(project.chapters, docs):
        source = chapter.path.read_text(encoding="utf-8")
        keys[chapter.rel] = key = chapter_key(chapter.rel, source, env, defaults, cache.places)
        stored = None if fresh else cache.lookup(chapter.rel, key)
        if stored is not None:
            notebooks[chapter.rel] = stored = as_built_here(stored, chapter.path.parent, env, project.root)
            prefetch(stored)
            result.reused.append(chapter.rel)
            notify("reused", chapter.rel, 0.0)
            continue
        nb = build_notebook(doc, chapter.path.parent, env, project.root)
        jobs.append((chapter.rel, nb, chapter.path.parent, env, chapter.rel))

    def done(rel, nb, seconds):
        record = _record(nb)
        if record.get("volatile"):  # inputs we cannot see: never reuse this run
            result.volatile[rel] = record["volatile"]
            cache.forget(rel, keys[rel])
        else:
            cache.store(rel, keys[rel], nb, record)  # now: a later failure keeps this work
        notebooks[rel] = nb
        prefetch(nb)
        result.executed.append(rel)
        result.seconds[rel] = seconds
        notify("executed", rel, seconds)
        if rel in result.volatile:
            notify("volatile", f"{rel}: {result.volatile[rel][0]}", 0.0)

    forked = False
    if len(jobs) >= ZYGOTE_MIN_JOBS:
        code = [(c.text, doc.path.parent) for doc in docs for c in doc.cells if c.kind == "code"]
        forked = result.forked = zygote.start(zygote.preload_list(cache.dir.parent, project.root, code))
    try:
        execute_all(jobs, on_done=done)
    finally:
        if forked:
            zygote.stop()
    _save_preload(cache.dir.parent, notebooks, project)
    order = [c.rel for c in project.chapters]
    result.executed.sort(key=order.index)
    return notebooks


ZYGOTE_MIN_JOBS = 3  # below this, warming a zygote costs more than the forks save


def _save_preload(cache_root: Path, notebooks: dict, project) -> None:
    """Remember which libraries the chapters imported, for the next render's zygote."""
    names = set()
    for chapter in project.chapters:
        nb = notebooks.get(chapter.rel)
        if nb is not None:
            names.update(_record(nb).get("third_party", []))
    if names:
        write_atomic(cache_root / "preload.json", json.dumps(sorted(names)).encode())


def _record(nb) -> dict:
    """The files and directories the chapter read, printed by the final renderer cell."""
    for cell in nb.cells:
        if RECORD_TAG in tags(cell) and stdout(cell):
            return json.loads(stdout(cell))
    raise RenderError("internal: the record cell printed nothing")


def _write_book(project, docs, notebooks, formats, edition, outputs, tmp, result, notify,
                figure_citation="{caption}", web=None) -> None:
    """Everything after execution, written into the temporary folder `tmp`."""
    claim_ids: set = set()
    parts = [assemble(doc, notebooks[ch.rel], ch, project.execute, claim_ids)
             for ch, doc in zip(project.chapters, docs)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        asts = list(pool.map(lambda pc: markdown_to_ast(pc[0].markdown, outputs, pc[1].rel),
                             zip(parts, project.chapters)))
    for ast in asts:
        _mark_callout_headings(ast)
    images = _local_images(project, asts)
    labels = number_book(list(zip(project.chapters, asts)))
    keys: list[str] = []
    for chapter, ast in zip(project.chapters, asts):
        keys += [k for k in check_references(chapter, ast, labels) if k not in keys]
    if keys and not project.bibliography:
        raise RenderError(f"citations [@{keys[0]}] but no bibliography in _quarto.yml")
    claims = _claims(parts, asts, labels, edition)
    tmp.mkdir(parents=True)
    _write_notebooks(tmp, project, notebooks)
    for part in parts:
        for name, data in part.images.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
    for name, source in images.items():  # images the chapters' Markdown links to
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp / name)
    charts = [c for part in parts for c in part.charts]
    result.figures = [{"id": c.id, "chapter": c.chapter, "caption": c.caption, "alt": c.alt, "spec": c.spec}
                      for c in charts]
    t = time.perf_counter()
    card_ids = set(write_cards(tmp, charts, figure_citation, edition_fields(edition), outputs)) if formats else set()
    if card_ids:
        notify("cards", f"figures/ ({len(card_ids)} cards)", time.perf_counter() - t)
    if "html" in formats:
        t = time.perf_counter()
        site = html_site.Site(write_downloads(tmp, project.slug, formats, (web or {}).get("data_package")),
                              (web or {}).get("sources") or {})
        _write_html(project, asts, parts, labels, keys, edition, outputs, tmp, set(images), card_ids, site)
        notify("html", "index.html", time.perf_counter() - t)
    if "pdf" in formats:
        t = time.perf_counter()
        _write_pdf(project, asts, parts, labels, edition, outputs, tmp, images)
        notify("pdf", f"{project.slug}.pdf", time.perf_counter() - t)
    _write_ledger(tmp, claims)
    result.claims = claims


def _local_images(project, asts) -> dict[str, Path]:
    """Images linked from chapter Markdown: checked, and their paths made book-relative.

    A chapter's `![](figs/a.png)` is relative to the chapter's folder. The HTML page sits in
    the same relative folder of the site, so the link stays; the file is copied there. The PDF
    is one document at the site root, so the AST gets the book-relative path (the HTML writer
    is given `relative()` of it back by the page's depth). Returns {book path: source file}.
    """
    found: dict[str, Path] = {}
    for chapter, ast in zip(project.chapters, asts):
        folder = Path(chapter.rel).parent

        def visit(node, chapter=chapter, folder=folder):
            if node["t"] != "Image":
                return
            url = node["c"][2][0]
            if not url or "://" in url or url.startswith(("/", "data:", "#")):
                return
            source = (chapter.path.parent / url).resolve()
            if not source.is_file():
                raise RenderError(f"{chapter.rel}: image {url} not found")
            book_path = (folder / url).as_posix()
            found[book_path] = source
            node["c"][2][0] = book_path

        walk(ast["blocks"], visit)
    return found


def _mark_callout_headings(ast: dict) -> None:
    """A heading that opens a callout is its title, not a numbered section."""
    def visit(node):
        if node["t"] == "Div" and any(c.startswith("callout-") for c in node["c"][0][1]):
            first = node["c"][1][0] if node["c"][1] else None
            if first and first["t"] == "Header":
                first["c"][1][1] += ["unnumbered", "callout-heading"]

    walk(ast["blocks"], visit)


def edition_fields(edition) -> dict:
    """The edition's data fields (everything but the display stamp): what each ledger entry and
    figure card records. Public because the render command gives the same fields to the
    figure citation it builds."""
    return {k: v for k, v in (edition or {}).items() if k != "stamp"}


def _claims(parts, asts, labels, edition) -> list[dict]:
    """Ledger entries in book order, each with its sentence and the edition fields."""
    claims = []
    for part, ast in zip(parts, asts):
        sentences = claim_sentences(ast, labels)
        for claim in part.claims:
            entry = {**claim, "sentence": sentences.get(claim["id"], claim["text"])}
            fields = edition_fields(edition)
            entry.update({f"edition_{k}" if k in entry else k: v for k, v in fields.items()})
            claims.append(entry)
    return claims


def _write_notebooks(tmp: Path, project, notebooks) -> None:
    """Keep each executed notebook (for nbval and debugging) under notebooks/, normalised."""
    folder = tmp / "notebooks"
    folder.mkdir()
    for chapter in project.chapters:
        nbformat.write(_normalised(notebooks[chapter.rel]), folder / f"{chapter.stem}.ipynb")


def _normalised(nb) -> nbformat.NotebookNode:
    """A copy of an executed notebook without what differs between two runs of it.

    Why: two renders of the same inputs must give the same bytes. nbformat gives each cell a
    random id and nbclient records when each cell ran (metadata.execution); here a cell's id
    is its position ("cell-0", ...) and the timings are dropped. The record cell's list of
    libraries in memory depends on what a forked kernel had preloaded (renderer.zygote), not
    on the chapter, and is dropped too (the record is kept as one stdout output, however
    many pieces the kernel sent it in); the chapter's own outputs are left as they are.
    """
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
        cell.get("metadata", {}).pop("execution", None)
        if RECORD_TAG in tags(cell) and stdout(cell):
            record = json.loads(stdout(cell))
            record.pop("third_party", None)
            cell["outputs"] = [nbformat.v4.new_output("stream", name="stdout", text=json.dumps(record) + "\n")]
    return nb


def _write_html(project, asts, parts, labels, keys, edition, outputs, tmp, images: set,
                card_ids: set = frozenset(), site=None) -> None:
    """The HTML site: pages (chart captions linking to their figure cards), references, assets."""
    pages = [html_site.page_from_chapter(
                 ch, link_cards(html_site.relink_images(ast, ch.html_name, images), ch.html_name, card_ids),
                 bool(part.charts), part.claims)
             for ch, ast, part in zip(project.chapters, asts, parts)]
    refs_page = next((p.name for p in pages if _has_refs(p.ast)), "")
    if keys and not refs_page:
        pages.append(html_site.references_page(project, keys, outputs))
        refs_page = pages[-1].name
    with ThreadPoolExecutor(max_workers=4) as pool:
        bodies = list(pool.map(
            lambda p: html_site.render_fragment(p, project, labels, keys, refs_page, outputs), pages))
    for page, body in zip(pages, bodies):
        page.body = body
    html_site.write_pages(tmp, pages, project, edition, site)
    majors = sorted({c.major for part in parts for c in part.charts})
    html_site.write_assets(tmp, bool(majors), majors[-1] if majors else "", outputs)
    index_site(tmp, pages, outputs)


def _has_refs(ast: dict) -> bool:
    """True if the document holds the `::: {#refs}` div (where the bibliography goes)."""
    found = []
    walk(ast["blocks"], lambda n: found.append(1) if n["t"] == "Div" and n["c"][0][0] == "refs" else None)
    return bool(found)


def _write_pdf(project, asts, parts, labels, edition, outputs, tmp, local_images: dict) -> None:
    """The PDF, its Typst source, and the charts' SVG files under figures/."""
    svgs = pdf_book.chart_svgs([c for part in parts for c in part.charts], outputs)
    images = {name: data for part in parts for name, data in part.images.items()}
    images.update({name: path.read_bytes() for name, path in local_images.items()})
    source = pdf_book.to_typst(project, pdf_book.book_ast(project, asts, labels, edition), outputs)
    pdf = pdf_book.compile_pdf(source, {**svgs, **images}, outputs)
    for name, data in svgs.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(data)
    (tmp / f"{project.slug}.typ").write_text(source, encoding="utf-8")
    (tmp / f"{project.slug}.pdf").write_bytes(pdf)


def _write_ledger(tmp: Path, claims: list[dict]) -> None:
    """claims.json (list of entries, raw values) and claims.csv (sources joined with ';').

    claims.csv is for spreadsheets: every cell is neutralised against formula injection
    (renderer.spreadsheet), e.g. a claim text "=HYPERLINK(...)" is written "'=HYPERLINK(...)".
    """
    (tmp / "claims.json").write_text(json.dumps(claims, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    extra = [k for c in claims for k in c if k not in LEDGER_FIELDS]
    fields = LEDGER_FIELDS + sorted(set(extra), key=extra.index)
    rows = []
    for claim in claims:
        row = {k: ("" if claim.get(k) is None else str(claim.get(k))) for k in fields}
        row["sources"] = ";".join(claim.get("sources") or [])
        rows.append([row[k] for k in fields])
    (tmp / "claims.csv").write_text(csv_text([fields, *rows]), encoding="utf-8", newline="")


LOCK_WAIT = 900  # seconds to wait for another render of the same project to finish


@contextmanager
def _lock(cache_root: Path, notify):
    """An exclusive flock on <cache>/lock (the OS drops it if its holder dies, even on SIGKILL).

    A second render of the same project waits for the first (reporting "waiting"), since both
    would write the same cache; it gives up with a RenderError after LOCK_WAIT seconds.
    """
    cache_root.mkdir(parents=True, exist_ok=True)
    with open(cache_root / "lock", "w") as fh:
        deadline = time.monotonic() + LOCK_WAIT
        waiting = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    notify("waiting", str(cache_root / "lock"), 0.0)
                    waiting = True
                if time.monotonic() > deadline:
                    raise RenderError(f"another render of this project is still running (lock: {cache_root / 'lock'})") from None
                time.sleep(0.2)
        yield
