"""Headless Chromium for end-to-end tests (Debian's ``chromium`` driven by Playwright).

Playwright never downloads a browser here: it launches the system Chromium through
``executable_path``. On a laptop without Chromium the tests skip with a clear message; CI sets
``LINDUNG_REQUIRE_BROWSER=1`` so that a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(os.environ.get("LINDUNG_E2E_ARTIFACTS", "test-artifacts"))


def _chromium_path() -> str | None:
    configured = os.environ.get("LINDUNG_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = _chromium_path()
    if path is None:
        message = "Chromium tidak ditemukan (apt-get install chromium, atau set LINDUNG_CHROMIUM)"
        if os.environ.get("LINDUNG_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " — LINDUNG_REQUIRE_BROWSER=1 membuat ini gagal.")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # htmx swaps on a loaded CI machine (default 5 s)

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, request):  # type: ignore[no-untyped-def]
    """A fresh page that fails the test on any server error or uncaught script error."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    # Generous waits: CI shares two cores between the live server, the browser and the suite.
    context.set_default_timeout(60_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JS error: {exc}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None,
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, problems


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")
