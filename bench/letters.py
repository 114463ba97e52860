"""Official letters at scale: one batch of 5,000 teguran letters, timed end to end.

    .venv/bin/python bench/letters.py                 # SQLite file var/bench-letters.sqlite3
    .venv/bin/python bench/letters.py --pg            # PostgreSQL database lindung_bench_letters
    .venv/bin/python bench/letters.py --letters 500 --workers 1
    .venv/bin/python bench/letters.py --zip           # also time the optional ZIP, separately

Times ``generate_batch`` (check template → reserve numbers → Typst compile per chunk of 100
letters in parallel processes → concatenated print-ready PDF → register rows with each letter's
snapshot and page range → case tracking → audit entry). Target: 5,000 letters in ≤ 60 s.
Then times a few single letters rendered on demand from the register, as the download does.
The ZIP of single-letter PDFs is optional and not part of the target (``--zip`` times it).
Files go to a temporary MEDIA_ROOT, removed after. Prints CPU time (this process and its
workers) and the machine's load average: it may be shared with other work.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    parser.add_argument("--zip", action="store_true", help="also time the optional ZIP")
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
    from lindung.letters.services import build_zip, generate_batch, letter_pdf

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

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    own0, kids0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    batch = generate_batch(items, args.kind, None, workers=args.workers or None)
    seconds = time.perf_counter() - t0
    own_s = cpu(resource.RUSAGE_SELF) - own0
    kids_s = cpu(resource.RUSAGE_CHILDREN) - kids0
    registered = OutgoingLetter.objects.filter(batch=batch).count()
    pdf_mb = Path(batch.pdf_file.path).stat().st_size / 1024**2
    print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}; CPUs {os.cpu_count()}")
    print(f"load average before {before}, after {_load()}")
    print(f"letters {args.letters}, pages {batch.counts['pages']}, registered {registered}")
    print(
        f"time {seconds:.1f} s, {seconds * 1000 / args.letters:.1f} ms per letter, "
        f"CPU {own_s + kids_s:.1f} s = main {own_s:.1f} + workers {kids_s:.1f} "
        f"(target ≤ 60 s for 5,000)"
    )
    print(f"print PDF {pdf_mb:.1f} MB; {batch.message}")
    sample = list(OutgoingLetter.objects.filter(batch=batch).select_related("batch")[:20])
    letter_pdf(sample[0])  # the web process's compiler, warm
    t1 = time.perf_counter()
    sizes = [len(letter_pdf(x) or b"") for x in sample]
    single_ms = (time.perf_counter() - t1) * 1000 / len(sample)
    print(f"single letter on demand: {single_ms:.1f} ms, {sum(sizes) / len(sizes) / 1024:.0f} KB")
    if args.zip:
        t2 = time.perf_counter()
        zip_path = build_zip(batch)
        zip_s = time.perf_counter() - t2
        zip_mb = zip_path.stat().st_size / 1024**2
        print(f"optional ZIP: {zip_s:.1f} s, {zip_mb:.1f} MB (not part of the target)")
    shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
