"""Typed readers for environment variables.

Only `smooth/settings.py` calls these. Each one fails loudly with
`ImproperlyConfigured` naming the variable, so a bad deployment stops at start
instead of misbehaving later. Values of variables marked secret never appear in
a message.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value in (None, "") else value


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}")
    return number


def env_fraction(name: str, default: float | None) -> float | None:
    """A number from 0 to 1."""
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, got {value!r}")
    return number


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false, yes/no, on/off), got {value!r}")


def env_list(name: str, default: Iterable[str] = ()) -> list[str]:
    value = _raw(name)
    if value in (None, ""):
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: Iterable[str], default: str) -> str:
    allowed = tuple(choices)
    value = _raw(name)
    if value in (None, ""):
        return default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def env_uuid(name: str, default: str) -> str:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a UUID; got {value!r}") from None


def env_secret(name: str) -> str | None:
    """A secret: returned as is, never echoed in any message."""
    return env_str(name)
