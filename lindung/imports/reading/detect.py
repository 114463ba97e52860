"""What kind of file this is, from its bytes (never its name), and the refusals that follows.

Users rename files, and an upload is untrusted: a PDF named ``.csv``, a legacy ``.xls``, a
password-protected workbook each get a sentence saying what they are and what to do instead.
"""

from __future__ import annotations

from pathlib import Path

from lindung.imports.reading.common import ASK_SAVE, FileRefused, size_text

#: Share of control characters (other than tab/CR/LF) from which text is called binary.
CONTROL_SHARE = 0.01

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_PARQUET = b"PAR1"
_OTHER_MAGIC = {
    b"%PDF": "dokumen PDF",
    b"\x89PNG": "gambar PNG",
    b"\xff\xd8\xff": "gambar JPEG",
    b"GIF8": "gambar GIF",
    b"Rar!": "arsip RAR",
    b"7z\xbc\xaf": "arsip 7-Zip",
    b"\x1f\x8b": "arsip gzip",
    b"MZ": "program Windows",
    b"\x7fELF": "program",
    b"SQLite format 3": "basis data SQLite",
}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a file that cannot be opened, is empty or is over the size limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused("File tidak dapat dibuka.", "tidak_terbuka") from exc
    if size == 0:
        raise FileRefused("File kosong: tidak ada isi sama sekali.", "kosong")
    if size > max_bytes:
        raise FileRefused(
            f"Ukuran file {size_text(size, max_bytes)} melebihi batas "
            f"{size_text(max_bytes, size)}. Bagi data menjadi beberapa file.",
            "terlalu_besar",
        )


def format_of(path: Path) -> str:
    """ "xlsx", "parquet" or "csv" (anything else is tried as text); refuses OLE2 files."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(_OLE2):
        _refuse_ole2(path)
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_PARQUET):
        return "parquet"
    return "csv"


def _refuse_ole2(path: Path) -> None:
    """OLE2 compound file: an encrypted .xlsx (password), a legacy .xls, or another Office file."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise FileRefused(
            "File Excel dilindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca. Buka "
            "file di Excel, hapus kata sandinya (File › Info › Lindungi Buku Kerja › Enkripsi "
            "dengan Kata Sandi, kosongkan isiannya), simpan, lalu unggah lagi.",
            "kata_sandi",
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise FileRefused(
            "File ini dokumen Word, bukan tabel. Unggah file Excel (.xlsx) atau CSV.", "bukan_tabel"
        )
    raise FileRefused(
        "Format Excel lama (.xls) tidak didukung. " + ASK_SAVE + " Kemudian unggah lagi.",
        "xls_lama",
    )


def refuse_binary(sample: bytes, name: str) -> None:
    """Refuse what would be read as text but is not: known formats, then control characters."""
    for magic, what in _OTHER_MAGIC.items():
        if sample.startswith(magic):
            raise FileRefused(
                f"File '{name}' berisi {what}, bukan tabel. Unggah file Excel (.xlsx) atau CSV.",
                "biner",
            )
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > max(2, CONTROL_SHARE * len(sample)):
        raise FileRefused(
            f"File '{name}' bukan file teks CSV: isinya data biner yang tidak dapat dibaca. "
            "Unggah file Excel (.xlsx) atau CSV.",
            "biner",
        )
