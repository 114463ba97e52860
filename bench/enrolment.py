"""Enrolment with BPJS TK at Kab. Penajam Paser Utara's size (20,614 people).

    .venv/bin/python bench/enrolment.py                  # 20,614 beneficiaries, SQLite
    .venv/bin/python bench/enrolment.py --rows 5000      # smaller
    DATABASE_URL=postgres://…/lindung_bench .venv/bin/python bench/enrolment.py

Builds a throw-away database (``var/bench-enrolment.sqlite3`` unless ``DATABASE_URL`` is set),
loads the demo registry, makes one programme whose beneficiaries are the first ``--rows``
distinct valid NIKs, then times: creating the batch (frozen rows, status change, one audit entry
per person), the XLSX and CSV downloads, applying a BPJS answer (1% rejected) and reconciling
an invoice with one person missing and one person who is not ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import load_average  # noqa: E402


def _timed(label: str, run):  # type: ignore[no-untyped-def]
    before = load_average()
    started = time.perf_counter()
    result = run()
    print(f"{label:<28} {time.perf_counter() - started:7.2f} s   load {before} → {load_average()}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_614)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        path = ROOT / "var" / "bench-enrolment.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_data", workers=int(args.rows * 1.25), seed=7)

    from lindung.accounts.personas import PERSONAS, ensure_persona
    from lindung.audit.services import acting_as
    from lindung.enrolment import answers, batches, bills
    from lindung.programmes.models import Beneficiary, Programme
    from lindung.registry.models import Worker

    admin = ensure_persona(PERSONAS["admin"], "bench-pass-Lindung-1")
    programme = Programme.objects.create(
        name="Bench", funder="apbd_kabkota", budget=10**10, period_start=dt.date(2026, 1, 1),
        months=12,
    )  # fmt: skip
    people: dict[str, tuple[int, str, str]] = {}
    for worker in Worker.objects.filter(nik_status="valid").values_list("id", "nik", "kabkota_id"):
        people.setdefault(worker[1], worker)
    chosen = list(people.values())[: args.rows]
    Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                programme=programme, worker_id=w, person_key=n, kabkota_id=k, rank=i, reason="bench"
            )
            for i, (w, n, k) in enumerate(chosen, 1)
        ],
        batch_size=2_000,
    )
    print(f"{len(chosen):,} beneficiaries, {os.environ['DATABASE_URL'].split(':')[0]}")
    rng = random.Random(1)
    answer, kpj = ["NIK;Status;KPJ;Tanggal Mulai;Alasan"], []
    for i, (_, nik, _) in enumerate(chosen):
        if rng.random() < 0.01:
            answer.append(f"{nik};ditolak;;;NIK tidak padan Dukcapil")
        else:
            kpj.append(f"26{i:09d}")
            answer.append(f"{nik};terdaftar;{kpj[-1]};01-01-2026;")
    invoice = ["KPJ;Iuran", *(f"{k};16800" for k in kpj[:-1]), "99999999999;16800"]
    with tempfile.TemporaryDirectory() as tmp, acting_as(admin):
        answer_path, invoice_path = Path(tmp, "jawaban.csv"), Path(tmp, "tagihan.csv")
        answer_path.write_text("\n".join(answer) + "\n")
        invoice_path.write_text("\n".join(invoice) + "\n")
        batch = _timed(
            "batch (rows, status, audit)",
            lambda: batches.create_batch(programme, admin, dt.date(2025, 12, 1)),
        )
        _timed("download XLSX", lambda: batches.export_xlsx(batch))
        _timed("download CSV", lambda: "".join(batches.export_csv(batch)))
        done = _timed(
            "BPJS answer",
            lambda: answers.import_answer(programme, answer_path, "jawaban.csv", admin),
        )
        rec = _timed(
            "invoice reconciliation",
            lambda: bills.reconcile(
                programme, dt.date(2026, 3, 1), invoice_path, "tagihan.csv", admin
            ),
        )
    print(
        f"answer: {done.registered:,} terdaftar, {done.rejected:,} ditolak; "
        f"invoice: {rec.differences} differences, billed {rec.billed_total:,}, "
        f"expected {rec.expected_total:,}"
    )


if __name__ == "__main__":
    main()
