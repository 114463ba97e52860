"""Many letters at once: compile in chunks, split into one PDF per letter, merge for print.

Django-free on purpose, so chunks can run in worker processes (``spawn``) that only need the
layout, the fonts and the JSON. Each chunk is one Typst compile of up to ``CHUNK`` letters (fonts
and logo embedded once per chunk); the chunk PDF is split at the invisible per-letter bookmarks
into the individual files; the chunk PDFs are then concatenated into the print-ready PDF.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from lindung.letters.rendering import Kop, renderer

CHUNK = 250


@dataclass(frozen=True)
class Produced:
    files: list[Path]  # one PDF per letter, in input order
    pages: int
    zip_path: Path
    pdf_path: Path


def _split(pdf: bytes, expected: int) -> list[bytes]:
    reader = PdfReader(io.BytesIO(pdf))
    starts = [reader.get_destination_page_number(o) for o in reader.outline]  # type: ignore[arg-type]
    if len(starts) != expected:
        raise RuntimeError(f"expected {expected} letters in the chunk, found {len(starts)}")
    ends = [*starts[1:], len(reader.pages)]
    out: list[bytes] = []
    for start, end in zip(starts, ends, strict=True):
        writer = PdfWriter()
        for page in reader.pages[start:end]:
            writer.add_page(page)
        buf = io.BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out


def render_chunk(
    kop: Kop, letters: list[dict[str, Any]], names: list[str], folder: str, title: str
) -> tuple[str, int]:
    """Compile ``letters`` into one chunk PDF, write each letter to ``folder/name``."""
    pdf = renderer(kop).pdf(letters, title=title)
    for name, body in zip(names, _split(pdf, len(letters)), strict=True):
        Path(folder, name).write_bytes(body)
    chunk_path = Path(folder, f".chunk-{names[0]}")
    chunk_path.write_bytes(pdf)
    return str(chunk_path), len(PdfReader(io.BytesIO(pdf)).pages)


def default_workers(n_letters: int) -> int:
    wanted = int(os.environ.get("LINDUNG_LETTER_WORKERS", "0")) or (os.cpu_count() or 1)
    return max(1, min(wanted, 4, -(-n_letters // CHUNK)))


def produce(
    kop: Kop,
    letters: Sequence[dict[str, Any]],
    names: Sequence[str],
    folder: Path,
    *,
    title: str,
    stem: str,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Produced:
    """All the files of a batch under ``folder``: ``names[i]`` for letter i, a ZIP, a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [
        (list(letters[i : i + CHUNK]), list(names[i : i + CHUNK]))
        for i in range(0, len(letters), CHUNK)
    ]
    workers = workers or default_workers(len(letters))
    results: list[tuple[str, int]] = []
    done = 0
    if workers <= 1:
        for chunk_letters, chunk_names in chunks:
            results.append(render_chunk(kop, chunk_letters, chunk_names, str(folder), title))
            done += len(chunk_letters)
            if progress:
                progress(done)
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(render_chunk, kop, cl, cn, str(folder), title) for cl, cn in chunks
            ]
            for fut, (cl, _cn) in zip(futures, chunks, strict=True):
                results.append(fut.result())
                done += len(cl)
                if progress:
                    progress(done)
    files = [folder / n for n in names]
    zip_path = folder / f"{stem}.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED) as zf:
        for f in files:
            zf.write(f, arcname=f.name)
    pdf_path = folder / f"{stem}.pdf"
    merged = PdfWriter()
    for chunk_path, _pages in results:
        merged.append(PdfReader(chunk_path))
    merged.add_metadata({"/Title": title})
    with pdf_path.open("wb") as fh:
        merged.write(fh)
    for chunk_path, _pages in results:
        Path(chunk_path).unlink(missing_ok=True)
    return Produced(files, sum(p for _c, p in results), zip_path, pdf_path)
