"""The ``lindung`` console command runs Django commands, accepting hyphenated names."""

from __future__ import annotations

import subprocess
import sys


def test_hyphenated_project_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "lindung.cli", "demo-logins"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "op.samarinda" in result.stdout and "Operator Kabupaten/Kota" in result.stdout


def test_django_commands_are_available():
    result = subprocess.run(
        [sys.executable, "-m", "lindung.cli", "help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in (
        "migrate",
        "runserver",
        "createsuperuser",
        "worker",
        "demo_data",
        "load_regions",
    ):
        assert command in result.stdout
