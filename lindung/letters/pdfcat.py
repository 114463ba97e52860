"""Concatenate Typst's chunk PDFs into one print-ready PDF without parsing their content.

Typst writes plain PDFs: numbered objects, one xref table, a flat page tree, one outline item
per letter (the layout's invisible bookmark) pointing at the letter's first page. So the chunks
can be joined at the byte level: every object is copied as is (streams untouched) with its
object numbers shifted, each chunk's page tree becomes a child of one new page tree, and the
chunks' outline items are chained under one new outline. Anything unexpected raises
:class:`Unsupported`, and the caller falls back to pypdf (slower: it re-parses every page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import BinaryIO


class Unsupported(ValueError):
    """The PDF is not laid out as this module expects."""


_OBJ = re.compile(rb"(\d+) 0 obj\s*")
# a literal string (skipped, so its text is never renumbered) or an indirect reference
_TOKEN = re.compile(rb"\((?:[^()\\]|\\.)*\)|(\d+) 0 R", re.S)
_REF = rb"(\d+) 0 R"
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n)")


@dataclass
class Chunk:
    objects: dict[int, bytes]  # number → what is between "N 0 obj" and "endobj"
    root_pages: int
    kids: list[int]
    outline_root: int
    items: list[int]  # outline items in order
    starts: list[int]  # per outline item: index of its page in ``kids``
    dropped: set[int]


def _split(body: bytes) -> tuple[bytes, bytes]:
    """An object's dictionary (or other value) and its stream, if any, kept byte for byte."""
    m = _STREAM.search(body)
    return (body, b"") if m is None else (body[: m.start() + 2], body[m.start() + 2 :])


def _dict_part(body: bytes) -> bytes:
    return _split(body)[0]


def _ref(text: bytes, key: bytes) -> int | None:
    m = re.search(rb"/" + key + rb"\s*" + _REF, text)
    return int(m.group(1)) if m else None


def parse(pdf: bytes) -> Chunk:
    if b"/ObjStm" in pdf or b"/XRef" in pdf or b"/Encrypt" in pdf:
        raise Unsupported("object or xref streams")
    tail = pdf[pdf.rfind(b"trailer") :]
    root, info = _ref(tail, b"Root"), _ref(tail, b"Info")
    xref_at = pdf.rfind(b"\nxref")
    if root is None or xref_at < 0:
        raise Unsupported("no classic trailer")
    marks = [(int(m.group(1)), m.start(), m.end()) for m in _OBJ.finditer(pdf, 0, xref_at)]
    objects: dict[int, bytes] = {}
    for i, (num, _start, body_at) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else xref_at
        body = pdf[body_at:end].rstrip()
        if not body.endswith(b"endobj"):
            raise Unsupported(f"object {num} not closed")
        objects[num] = body[: -len(b"endobj")].rstrip() + b"\n"
    catalog = _dict_part(objects[root])
    pages, outlines = _ref(catalog, b"Pages"), _ref(catalog, b"Outlines")
    if pages is None or outlines is None:
        raise Unsupported("no page tree or outline")
    tree = objects[pages]
    if not tree.startswith(b"<<"):
        raise Unsupported("page tree is not a dictionary")
    kids_m = re.search(rb"/Kids\s*\[([^\]]*)\]", tree)
    if kids_m is None:
        raise Unsupported("no kids")
    kids = [int(k) for k in re.findall(_REF, kids_m.group(1))]
    position = {k: i for i, k in enumerate(kids)}
    if any(b"/Type/Page" not in objects[k] or b"/Type/Pages" in objects[k] for k in kids):
        raise Unsupported("nested page tree")
    items: list[int] = []
    starts: list[int] = []
    item = _ref(objects[outlines], b"First")
    while item is not None:
        text = _dict_part(objects[item])
        if not text.startswith(b"<<"):
            raise Unsupported("outline item is not a dictionary")
        if _ref(text, b"First") is not None:
            raise Unsupported("nested outline")
        dest = re.search(rb"/Dest\s*(\[\s*(\d+) 0 R|(\d+) 0 R)", text)
        if dest is None:
            raise Unsupported("outline item without explicit destination")
        if dest.group(2):
            page = int(dest.group(2))
        else:
            target = re.match(rb"\s*\[\s*" + _REF, objects[int(dest.group(3))])
            if target is None:
                raise Unsupported("destination is not an array")
            page = int(target.group(1))
        if page not in position:
            raise Unsupported("destination outside the page tree")
        items.append(item)
        starts.append(position[page])
        item = _ref(text, b"Next")
    dropped = {root, outlines} | ({info} if info is not None else set())
    metadata = _ref(catalog, b"Metadata")
    if metadata is not None:
        dropped.add(metadata)
    return Chunk(objects, pages, kids, outlines, items, starts, dropped)


def _pdf_text(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def concat(
    pdfs: Sequence[bytes], out: BinaryIO, *, title: str, author: str = ""
) -> list[tuple[list[int], int]]:
    """Write the concatenation of ``pdfs`` to ``out``.

    Returns, per input, the page index (0-based, within that input) of each outline item, i.e.
    where each letter starts, and the input's page count.

    The outline (one bookmark per letter) is kept. Raises :class:`Unsupported` before
    writing anything if an input is not laid out as expected.
    """
    chunks = [parse(pdf) for pdf in pdfs]
    # numbering: 1 catalog, 2 page tree, 3 outline, 4 info, then the chunks' objects
    catalog, tree, outline, info = 1, 2, 3, 4
    next_num = 5
    maps: list[dict[int, int]] = []
    for chunk in chunks:
        mapping = {chunk.outline_root: outline}
        for num in sorted(chunk.objects):
            if num not in chunk.dropped:
                mapping[num] = next_num
                next_num += 1
        maps.append(mapping)
    items = [(i, item) for i, chunk in enumerate(chunks) for item in chunk.items]
    extra: dict[tuple[int, int], bytes] = {}  # links added to a chunk's object

    def link(key: tuple[int, int], entry: bytes) -> None:
        extra[key] = extra.get(key, b"") + entry

    for (ia, a), (ib, b) in pairwise(items):
        if ia != ib:
            link((ia, a), b"/Next %d 0 R" % maps[ib][b])
            link((ib, b), b"/Prev %d 0 R" % maps[ia][a])
    for i, chunk in enumerate(chunks):
        link((i, chunk.root_pages), b"/Parent %d 0 R" % tree)

    offsets: dict[int, int] = {}
    pos = 0

    def write(data: bytes) -> None:
        nonlocal pos
        out.write(data)
        pos += len(data)

    def obj(num: int, body: bytes) -> None:
        offsets[num] = pos
        write(b"%d 0 obj\n" % num + body + b"endobj\n")

    write(b"%PDF-1.7\n%\x80\x80\x80\x80\n")
    obj(
        catalog,
        b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R/Lang(id)"
        b"/ViewerPreferences<</Direction/L2R>>>>\n" % (tree, outline),
    )
    kids = b" ".join(b"%d 0 R" % maps[i][c.root_pages] for i, c in enumerate(chunks))
    total = sum(len(c.kids) for c in chunks)
    obj(tree, b"<</Type/Pages/Count %d/Kids[%s]>>\n" % (total, kids))
    if items:
        first, last = items[0], items[-1]
        obj(
            outline,
            b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>\n"
            % (maps[first[0]][first[1]], maps[last[0]][last[1]], len(items)),
        )
    else:
        obj(outline, b"<</Type/Outlines/Count 0>>\n")
    info_body = b"<</Title" + _pdf_text(title)
    if author:
        info_body += b"/Author" + _pdf_text(author)
    obj(info, info_body + b"/Creator(Typst)/Producer(Lindung)>>\n")
    for i, chunk in enumerate(chunks):
        mapping = maps[i]

        def renumber(m: re.Match[bytes], mapping: dict[int, int] = mapping) -> bytes:
            if m.group(1) is None:
                return m.group(0)
            return b"%d 0 R" % mapping[int(m.group(1))]

        for num in sorted(chunk.objects):
            if num in chunk.dropped:
                continue
            head, rest = _split(chunk.objects[num])
            head = _TOKEN.sub(renumber, head)
            add = extra.get((i, num))
            if add is not None:  # checked in parse(): a dictionary
                head = b"<<" + add + head[2:]
            obj(mapping[num], head + rest)
    size = next_num
    xref_at = pos
    rows = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
    rows += [b"%010d 00000 n \n" % offsets[n] for n in range(1, size)]
    write(b"".join(rows))
    write(
        b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
        % (size, catalog, info, xref_at)
    )
    return [(c.starts, len(c.kids)) for c in chunks]
