"""``lindung link LEFT RIGHT --out OUT.csv [--config FILE] [--engine duckdb]``.

Which proposed workers are already participants.

LEFT (proposals) and RIGHT (BPJS TK participants): CSV, XLSX or Parquet with an ``id`` column and
the worker/participant columns under any of the import header aliases (NIK, Nama, Tgl. Lahir,
JK, Kode Wilayah…). OUT gets one row per link: left_id, right_id, match_probability, reason.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lindung.core.formats import thousands
from lindung.imports.reading import FileRefused
from lindung.matching.linkage.config import load_settings
from lindung.matching.linkage.engine import LinkSettings, link
from lindung.matching.linkage.io import read_for_link


class Command(BaseCommand):
    help = "Cocokkan daftar usulan (LEFT) dengan peserta BPJS TK (RIGHT)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path)
        parser.add_argument("--out", type=Path, required=True)
        # Not "--settings": Django's own --settings (the settings module) is parsed before any
        # command sees its arguments, so a command cannot reuse that option name.
        parser.add_argument(
            "--config",
            "--link-settings",
            dest="config",
            type=Path,
            help="File TOML/JSON: pengaturan pencocokan, atau kolom dan perbandingan skema lain.",
        )
        parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])

    def handle(self, *args: Any, left: Path, right: Path, out: Path, **opts: Any) -> None:
        started = time.perf_counter()
        left, right = Path(left), Path(right)
        for path in (left, right):
            if not path.is_file():
                raise CommandError(f"File tidak ditemukan: {path}")
        settings = LinkSettings()
        if opts.get("config"):
            try:
                settings = load_settings(opts["config"])
            except (OSError, ValueError) as exc:
                raise CommandError(
                    f"Pengaturan {opts['config']} tidak dapat dibaca: {exc}"
                ) from exc
        bar = tqdm(total=100, desc="Membaca", unit="%", file=sys.stderr, leave=True)
        try:
            left_df = read_for_link(left, "workers", settings)
            bar.update(10)
            right_df = read_for_link(right, "participants", settings)
            bar.update(10)
        except (FileRefused, ValueError) as exc:
            bar.close()
            raise CommandError(str(exc)) from exc

        def progress(step: str, fraction: float) -> None:
            bar.set_description(step)
            bar.update(max(0, 20 + round(fraction * 80) - bar.n))

        try:
            result = link(left_df, right_df, settings=settings, engine=opts["engine"],
                          progress=progress)  # fmt: skip
        except ValueError as exc:
            bar.close()
            raise CommandError(str(exc)) from exc
        bar.close()
        result.pairs.write_csv(Path(out))
        s = result.summary
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Usulan: {thousands(s['left'])} | Peserta: {thousands(s['right'])} | "
            f"Tautan: {thousands(s['links'])} | Usulan sudah peserta: {thousands(s['left_linked'])}"
            f" | Belum terdaftar: {thousands(s['left_not_linked'])} | "
            f"Waktu: {thousands(elapsed, 1)} detik"
        )
        self.stdout.write(f"Hasil ditulis ke {out}")
