"""Official letters at scale: one batch of 5,000 teguran letters, timed end to end.

    .venv/bin/python bench/letters.py                 # SQLite file var/bench-letters.sqlite3
    .venv/bin/python bench/letters.py --pg            # PostgreSQL database lindung_bench_letters
    .venv/bin/python bench/letters.py --letters 500 --workers 1

Times ``generate_batch`` (check template → reserve numbers → Typst compile per chunk of 250
letters → split into one PDF per letter → ZIP → merged print PDF → register rows → audit
entry). Target: 5,000 letters in ≤ 60 s. Files go to a temporary MEDIA_ROOT, removed after.
Prints the machine's load average: it may be shared with other work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0, help="0 = one per CPU (max 4)")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--kind", default="teguran_1")
    args = parser.parse_args()
    if args.pg:
        name = "lindung_bench_letters"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-letters.sqlite3'}"
    media = Path(tempfile.mkdtemp(prefix="lindung-bench-letters-"))
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from lindung.letters.data import LetterData
    from lindung.letters.models import OutgoingLetter
    from lindung.letters.services import generate_batch

    places = ["Samarinda", "Balikpapan", "Bontang", "Kutai Kartanegara", "Berau", "Paser"]
    items = [
        LetterData(
            nama_perusahaan=f"PT Contoh Usaha Kaltim {i:05d}",
            alamat=f"Jalan Contoh Nomor {i % 200 + 1}",
            kabkota=f"Kota {places[i % 6]}",
            di=places[i % 6],
            npwp="" if i % 7 == 0 else f"01{i:013d}",
            nib="" if i % 5 == 0 else f"91{i:011d}",
            pekerja_dilaporkan=20 + i % 300,
            pekerja_terdaftar=(20 + i % 300) // 2,
            upah_rata_rata=2_500_000 + (i % 50) * 10_000,
            umk=3_579_313,
            program_belum=("JP",) if i % 2 else ("JHT", "JP"),
        )
        for i in range(args.letters)
    ]
    before = _load()
    t0 = time.perf_counter()
    batch = generate_batch(items, args.kind, None, workers=args.workers or None)
    seconds = time.perf_counter() - t0
    registered = OutgoingLetter.objects.filter(batch=batch).count()
    zip_mb = Path(batch.zip_file.path).stat().st_size / 1024**2
    pdf_mb = Path(batch.pdf_file.path).stat().st_size / 1024**2
    print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}; CPUs {os.cpu_count()}")
    print(f"load average before {before}, after {_load()}")
    print(f"letters {args.letters}, pages {batch.counts['pages']}, registered {registered}")
    print(
        f"time {seconds:.1f} s, {seconds * 1000 / args.letters:.1f} ms per letter "
        f"(target ≤ 60 s for 5,000)"
    )
    print(f"ZIP {zip_mb:.1f} MB, print PDF {pdf_mb:.1f} MB; {batch.message}")
    shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
