"""Configuration helpers fail loudly; production settings pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lindung.config import ConfigError, env_bool, env_int, env_list, env_size, env_str


def test_typed_helpers_parse_and_default():
    env = {"A": "yes", "N": "1_000", "L": "a.example, b.example,", "S": "200M"}
    assert env_bool("A", False, environ=env) is True
    assert env_bool("MISSING", True, environ=env) is True
    assert env_int("N", 5, environ=env) == 1000
    assert env_list("L", [], environ=env) == ["a.example", "b.example"]
    assert env_size("S", 1, environ=env) == 200 * 1024**2
    assert env_str("MISSING", "d", environ=env) == "d"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: env_bool("X", False, environ={"X": "maybe"}), "X='maybe' is not a boolean"),
        (lambda: env_int("X", 1, environ={"X": "ten"}), "X='ten' is not an integer"),
        (lambda: env_int("X", 1, minimum=2, environ={"X": "1"}), "must be at least 2"),
        (lambda: env_size("X", 1, environ={"X": "lots"}), "is not a size"),
        (lambda: env_str("X", environ={}), "X is required"),
    ],
)
def test_bad_values_name_the_variable(call, message):
    with pytest.raises(ConfigError, match=message):
        call()


def _run_lindung(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    ignored = {"LINDUNG_DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "-m", "lindung.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_requires_secret_key(tmp_path):
    result = _run_lindung(["check"], {"LINDUNG_DEBUG": "0", "LINDUNG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        "LINDUNG_DEBUG": "0",
        "SECRET_KEY": "k3y-" + "x9Qz!" * 12,
        "ALLOWED_HOSTS": "lindung.kaltimprov.go.id",
        "LINDUNG_VAR_DIR": str(tmp_path),
    }
    result = _run_lindung(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
