"""Screenshots of the main pages at laptop and phone widths, for the README and docs/.

Run against a running demo (``make demo`` in another terminal):

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --out docs/screenshots

It logs in as the demo personas and drives Debian's Chromium through Playwright. The enrolment
pages need the demo's database (same ``DATABASE_URL``) to find the latest reconciled programme.
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

# (file name, persona, path)
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
    # enrolment pages of the latest reconciled programme (see enrolment_ids)
    ("enrolment-programme", "admin", "/pendaftaran/program/{programme}/"),
    ("enrolment-programme-operator", "op.samarinda", "/pendaftaran/program/{programme}/"),
    ("enrolment-batch", "admin", "/pendaftaran/batch/{batch}/"),
    ("enrolment-reconciliation", "admin", "/pendaftaran/rekonsiliasi/{reconciliation}/"),
    ("enrolment-reconciliation-operator", "op.samarinda",
     "/pendaftaran/rekonsiliasi/{reconciliation}/?kind=semua"),
]  # fmt: skip


def enrolment_ids() -> dict[str, int]:
    """The latest reconciliation, its programme and that programme's latest batch (read before
    the browser starts: the ORM refuses to run inside Playwright's event loop). Empty when the
    demo has not been through enrolment yet; those pages are then skipped."""
    from lindung.enrolment.models import Reconciliation

    rec = Reconciliation.objects.select_related("programme").order_by("-pk").first()
    if rec is None:
        return {}
    batch = rec.programme.enrolment_batches.order_by("-pk").first()
    return {
        "programme": rec.programme_id,
        "reconciliation": rec.pk,
        "batch": batch.pk if batch else 0,
    }


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
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ids = enrolment_ids()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
        for name, persona, template in PAGES:
            if "{" in template and not ids:
                print(f"{name}: belum ada rekonsiliasi di demo, dilewati")
                continue
            path = template.format(**ids)
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="id-ID"
                )
                page = context.new_page()
                login(page, args.base, persona)
                page.goto(args.base + path)
                page.screenshot(
                    path=str(out / f"{name}-{width_name}.png"), full_page=width_name == "phone"
                )
                context.close()
                print(out / f"{name}-{width_name}.png")
        browser.close()


if __name__ == "__main__":
    main()
