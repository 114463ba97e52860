"""Typed readers for environment variables.

Every setting Lindung takes from the environment goes through one of these helpers, so that a
typo or a bad value stops the process at start-up with a message that names the variable,
instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


class ConfigError(RuntimeError):
    """Raised when an environment variable is missing or malformed."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    """A string variable; without a default it is required."""
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean variable: accepts 1/0, true/false, yes/no, on/off."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(
        f"Environment variable {name}={value!r} is not a boolean (use 1/0, true/false)."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """An integer variable, optionally bounded below."""
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        raise ConfigError(f"Environment variable {name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"Environment variable {name}={number} must be at least {minimum}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_size(name: str, default: int, *, environ: Mapping[str, str] | None = None) -> int:
    """A size in bytes, written as a number with an optional K/M/G suffix (binary units)."""
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    factor = units.get(text[-1:], 1)
    digits = text[:-1] if text[-1:] in units else text
    try:
        size = int(float(digits) * factor)
    except ValueError:
        raise ConfigError(
            f"Environment variable {name}={value!r} is not a size (e.g. 200M)."
        ) from None
    if size <= 0:
        raise ConfigError(f"Environment variable {name}={value!r} must be a positive size.")
    return size
