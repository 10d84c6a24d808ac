"""The files a reader can download from the HTML book's sidebar, and the zips made for it.

Why: readers re-use the book's numbers; the PDF, the claims ledger, the data the book was
computed from and the executed notebooks are all in the output folder, and the sidebar links
each one. The data package is the data folder given to the render, zipped as it was read
(a Frictionless `datapackage.json` in it describes the tables); zips are deterministic (sorted
members, fixed times), so an unchanged folder gives the same bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

DATA_ZIP = "data-package.zip"
NOTEBOOKS_ZIP = "notebooks.zip"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_downloads(out: Path, slug: str, formats, data_package: Path | None) -> list[tuple[str, str]]:
    """Zip the data folder and the notebooks into `out`; return the sidebar's (path, label) list.

    Call after the notebooks are written; the PDF and the ledger are written later by the
    render, and are linked only if this render writes them.
    """
    links = [(f"{slug}.pdf", "The book (PDF)")] if "pdf" in formats else []
    links += [("claims.csv", "Claims ledger (CSV)"), ("claims.json", "Claims ledger (JSON)")]
    if data_package is not None:
        zip_folder(Path(data_package), out / DATA_ZIP, "data")
        links.append((DATA_ZIP, "Data package (zip)"))
    if (out / "notebooks").is_dir():
        zip_folder(out / "notebooks", out / NOTEBOOKS_ZIP, "notebooks")
        links.append((NOTEBOOKS_ZIP, "All notebooks (zip)"))
    return links


def zip_folder(folder: Path, target: Path, prefix: str) -> None:
    """Every file under `folder` (hidden files and caches left out) as `prefix/...` in a zip."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder)))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def _hidden(rel: Path) -> bool:
    """Dot-files, dot-folders and __pycache__ are not part of a data package."""
    return any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
