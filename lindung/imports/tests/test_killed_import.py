"""A worker killed in the middle of storing an import leaves the database exactly as before.

The import runs in a separate process against its own database (a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL); once it reports that it is writing, it
is killed with SIGKILL, and the registry must hold exactly the rows it held before.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from lindung.demo.files import workers_import_frame
from lindung.demo.generator import generate_workers

ROWS = 200_000
STORING = b"Menyimpan ke basis data"


def _run(args: list[str], env: dict[str, str], **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "lindung.cli", *args], env=env, **kw)  # type: ignore[call-overload]


@pytest.fixture
def separate_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "LINDUNG_VAR_DIR": str(tmp_path / "var")}
    name = f"lindung_kill_{os.getpid()}"
    pg = connection.vendor == "postgresql"
    if pg:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    assert _run(["migrate", "--no-input", "-v", "0"], env).wait(timeout=300) == 0
    yield env
    if pg:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )


def _count(env: dict[str, str]) -> str:
    code = (
        "from lindung.registry.models import Worker; "
        "first = Worker.objects.order_by('id').values_list('name', flat=True).first(); "
        "print(Worker.objects.count(), first)"
    )
    out = subprocess.run(
        [sys.executable, "-m", "lindung.cli", "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        timeout=120,
    )
    return out.stdout.decode().strip().splitlines()[-1]


def _wait_for(process: subprocess.Popen[bytes], marker: bytes, timeout: float) -> None:
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, f"import never reached {marker!r}: {seen[-500:]!r}"
        chunk = os.read(process.stderr.fileno(), 4096)
        assert chunk, f"import ended before {marker!r}: {seen[-500:]!r}"
        seen += chunk


@pytest.mark.django_db
def test_killing_the_import_mid_write_changes_nothing(separate_database, tmp_path):
    env = separate_database
    first = tmp_path / "first.csv"
    workers_import_frame(generate_workers(500, seed=1, damage=False)).write_csv(first)
    assert (
        _run(
            ["import", "workers", str(first), "--proposer", "64"], env, stdout=subprocess.DEVNULL
        ).wait(timeout=300)
        == 0
    )
    before = _count(env)
    assert int(before.split()[0]) > 400

    big = tmp_path / "big.csv"
    workers_import_frame(generate_workers(ROWS, seed=2)).write_csv(big)
    process = _run(
        ["import", "workers", str(big), "--proposer", "64"],
        env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(process, STORING, timeout=240)
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert _count(env) == before
