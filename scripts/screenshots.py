"""Screenshots of the main pages at laptop and phone widths, for the README and docs/.

Run against a running demo (``make demo`` in another terminal):

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --out docs/screenshots

It logs in as the demo personas and drives Debian's Chromium through Playwright. The programme,
enrolment and worker pages need the demo's database (same ``DATABASE_URL``) to find the latest
programme; a page whose record the demo does not have yet is skipped.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import django
from playwright.sync_api import Page, sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
django.setup()

from lindung.accounts.personas import DEMO_PASSWORD  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
WIDTHS = {"laptop": (1366, 860), "phone": (390, 844)}

# (file name, persona, path); a {placeholder} in the path is filled from demo_ids()
PAGES = [
    ("home", "admin", "/"),
    ("dashboard", "pimpinan", "/dasbor/"),
    ("dashboard-kabkota", "pimpinan", "/dasbor/?wilayah=64.02"),
    ("dashboard-operator", "op.samarinda", "/dasbor/"),
    ("worker-list", "admin", "/pekerja/"),
    ("worker-list-operator", "op.samarinda", "/pekerja/?occupation=nelayan"),
    ("imports", "op.samarinda", "/impor/"),
    ("coverage", "admin", "/cakupan/"),
    ("coverage-review", "admin", "/cakupan/tinjauan/"),
    ("compliance", "op.samarinda", "/kepatuhan/"),
    ("contributions", "pimpinan", "/iuran/"),
    ("audit-log", "admin", "/audit/"),
    ("reports", "pimpinan", "/dasbor/laporan/"),
    ("letters", "admin", "/surat/"),
    ("letters-register", "admin", "/surat/agenda/"),
    ("api-docs", "admin", "/api/v1/docs"),
    ("programme-list", "admin", "/program/"),
    ("programme-detail", "admin", "/program/{programme}/"),
    ("programme-operator", "op.samarinda", "/program/{programme}/"),
    ("programme-scenarios", "admin", "/program/{programme}/skenario/"),
    ("programme-worker", "op.samarinda", "/program/pekerja/{worker}/"),
    ("enrolment-programme", "admin", "/pendaftaran/program/{programme}/"),
    ("enrolment-programme-operator", "op.samarinda", "/pendaftaran/program/{programme}/"),
    ("enrolment-batch", "admin", "/pendaftaran/batch/{batch}/"),
    ("enrolment-reconciliation", "admin", "/pendaftaran/rekonsiliasi/{reconciliation}/"),
    ("enrolment-reconciliation-operator", "op.samarinda",
     "/pendaftaran/rekonsiliasi/{reconciliation}/?kind=semua"),
]  # fmt: skip
# pages drawn by JavaScript after load: wait for this element before the shot
WAIT_FOR = {"api-docs": ".swagger-ui .opblock"}


def demo_ids() -> dict[str, int]:
    """The programme to show (the latest reconciled one, else the latest), its latest batch and
    reconciliation, and a Samarinda worker it selected (read before the browser starts: the ORM
    refuses to run inside Playwright's event loop). A key is absent when the demo has no such
    record yet; the pages that need it are then skipped."""
    from lindung.enrolment.models import Reconciliation
    from lindung.programmes.models import Programme

    ids: dict[str, int] = {}
    rec = Reconciliation.objects.order_by("-pk").first()
    programme = rec.programme if rec else Programme.objects.order_by("-pk").first()
    if programme is None:
        return ids
    ids["programme"] = programme.pk
    if rec is not None:
        ids["reconciliation"] = rec.pk
    batch = programme.enrolment_batches.order_by("-pk").first()
    if batch is not None:
        ids["batch"] = batch.pk
    beneficiaries = programme.beneficiaries.filter(worker__kabkota__code="64.72").order_by("pk")
    worker = beneficiaries.values_list("worker_id", flat=True).first()
    if worker is not None:
        ids["worker"] = worker
    return ids


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)  # home, or the dashboard for leaders


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these pages (file names)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ids = demo_ids()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
        for name, persona, template in PAGES:
            if args.only and name not in args.only:
                continue
            try:
                path = template.format(**ids)
            except KeyError as missing:
                print(f"{name}: demo belum punya {missing}, dilewati")
                continue
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="id-ID"
                )
                page = context.new_page()
                login(page, args.base, persona)
                page.goto(args.base + path)
                if name in WAIT_FOR:
                    page.wait_for_selector(WAIT_FOR[name])
                page.screenshot(
                    path=str(out / f"{name}-{width_name}.png"), full_page=width_name == "phone"
                )
                context.close()
                print(out / f"{name}-{width_name}.png")
        browser.close()


if __name__ == "__main__":
    main()
