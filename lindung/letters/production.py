"""Many letters at once: compile in chunks (in parallel), concatenate into one print-ready PDF.

Django-free on purpose, so chunks can run in worker processes (``spawn``) that only need the
layout, the fonts and the JSON. Each chunk is one Typst compile of up to ``CHUNK`` letters (fonts
and logo embedded once per chunk); the page where each letter starts is read from the chunk's
invisible per-letter bookmarks, and the chunk PDFs are concatenated at the byte level into the
print-ready PDF (:mod:`lindung.letters.pdfcat`; pypdf only as a fallback). Individual letter
PDFs are *not* made here: the register renders one on demand from its snapshot
(:func:`single`), and a ZIP of them is a separate, slower action (:func:`write_zip`).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from lindung.letters import pdfcat
from lindung.letters.rendering import Kop, renderer

CHUNK = 100  # letters per Typst compile: larger chunks cost more per letter


@dataclass(frozen=True)
class Produced:
    pdf_path: Path
    pages: int
    page_ranges: list[tuple[int, int]]  # per letter, in input order: (first page 1-based, count)


def render_chunk(kop: Kop, letters: list[dict[str, Any]], path: str, title: str) -> str:
    """Compile ``letters`` into one PDF written to ``path`` (runs in a worker process)."""
    Path(path).write_bytes(renderer(kop).pdf(letters, title=title))
    return path


def default_workers(n_letters: int) -> int:
    wanted = int(os.environ.get("LINDUNG_LETTER_WORKERS", "0")) or (os.cpu_count() or 1)
    return max(1, min(wanted, 4, -(-n_letters // CHUNK)))


def produce(
    kop: Kop,
    letters: Sequence[dict[str, Any]],
    folder: Path,
    *,
    title: str,
    stem: str,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Produced:
    """The print-ready PDF of a batch (``folder/stem.pdf``) and each letter's page range."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [list(letters[i : i + CHUNK]) for i in range(0, len(letters), CHUNK)]
    paths = [str(folder / f".chunk-{stem}-{n:04d}.pdf") for n in range(len(chunks))]
    workers = workers or default_workers(len(letters))
    done = 0

    def ready(chunk_letters: list[dict[str, Any]]) -> None:
        nonlocal done
        done += len(chunk_letters)
        if progress:
            progress(done)

    pdf_path = folder / f"{stem}.pdf"
    try:
        if workers <= 1 or len(chunks) <= 1:
            for chunk_letters, path in zip(chunks, paths, strict=True):
                render_chunk(kop, chunk_letters, path, title)
                ready(chunk_letters)
        else:
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                futures: list[Future[str]] = [
                    pool.submit(render_chunk, kop, cl, p, title)
                    for cl, p in zip(chunks, paths, strict=True)
                ]
                for fut, chunk_letters in zip(futures, chunks, strict=True):
                    fut.result()
                    ready(chunk_letters)
        try:
            with pdf_path.open("wb") as fh:
                found = pdfcat.concat(
                    [Path(p).read_bytes() for p in paths], fh, title=title, author=kop.instansi
                )
        except pdfcat.Unsupported:  # not Typst's usual layout: slower, page by page
            found = _merge_pypdf(paths, chunks, pdf_path, title)
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
    ranges: list[tuple[int, int]] = []
    offset = 0
    for chunk_letters, (chunk_starts, count) in zip(chunks, found, strict=True):
        if len(chunk_starts) != len(chunk_letters):
            raise RuntimeError(
                f"expected {len(chunk_letters)} letters in a chunk, found {len(chunk_starts)}"
            )
        ends = [*chunk_starts[1:], count]
        ranges += [(offset + a + 1, b - a) for a, b in zip(chunk_starts, ends, strict=True)]
        offset += count
    return Produced(pdf_path, offset, ranges)


def _merge_pypdf(
    paths: list[str], chunks: list[list[dict[str, Any]]], pdf_path: Path, title: str
) -> list[tuple[list[int], int]]:
    merged = PdfWriter()
    found: list[tuple[list[int], int]] = []
    for path, chunk_letters in zip(paths, chunks, strict=True):
        reader = PdfReader(path)
        dests = [reader.get_destination_page_number(o) for o in reader.outline]  # type: ignore[arg-type]
        starts = [n for n in dests if n is not None]
        offset = len(merged.pages)
        for page in reader.pages:
            merged.add_page(page)
        for letter, n in zip(chunk_letters, starts, strict=False):
            merged.add_outline_item(title=letter["nomor"], page_number=offset + n)
        found.append((starts, len(reader.pages)))
    merged.add_metadata({"/Title": title})
    with pdf_path.open("wb") as fh:
        merged.write(fh)
    return found


def single(kop: Kop, letter: dict[str, Any], title: str) -> bytes:
    """One letter's own PDF, from the same layout input as its pages in the batch PDF."""
    return renderer(kop).pdf([letter], title=title)


def write_zip(kop: Kop, items: Iterable[tuple[str, dict[str, Any], str]], path: Path) -> Path:
    """A ZIP of single-letter PDFs: ``items`` are (file name, layout input, PDF title)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, letter, title in items:
            zf.writestr(name, single(kop, letter, title))
    partial.replace(path)
    return path
