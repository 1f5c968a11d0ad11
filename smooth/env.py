"""Typed readers for environment variables, and the one declaration of each.

Only `smooth/settings.py` calls these. Each one fails loudly with
`ImproperlyConfigured` naming the variable, so a bad deployment stops at start
instead of misbehaving later. Values of variables marked secret never appear in
a message.

Each call is also the variable's declaration: name, kind, default, bounds and a
sentence (`doc`), kept in DECLARED in the order settings read them. From it come
`.env.example` and the settings table of docs/CONFIGURATION.md (`manage.py settings_doc`), and a
test fails when they disagree with it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import overload

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Declared:
    name: str
    kind: str  # what a value must be, in words
    default: str | None  # as written in the environment; None: unset
    doc: str
    secret: bool = False


DECLARED: dict[str, Declared] = {}


def _declare(name: str, kind: str, default, doc: str, *, secret: bool = False) -> None:
    if not doc:
        raise ImproperlyConfigured(f"{name} is read without a sentence saying what it is (doc=)")
    shown: str | None
    if isinstance(default, bool):
        shown = "1" if default else "0"
    elif isinstance(default, (list, tuple)):
        shown = ",".join(default) or None
    elif default in (None, ""):
        shown = None
    else:
        shown = str(default)
    DECLARED.setdefault(name, Declared(name, kind, shown, doc, secret))


def _bounds(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    return f" from {minimum}" if minimum is not None else f" up to {maximum}" if maximum is not None else ""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


@overload
def env_str(name: str, default: str, *, doc: str, kind: str = "text") -> str: ...
@overload
def env_str(name: str, default: None = None, *, doc: str, kind: str = "text") -> str | None: ...
def env_str(name: str, default: str | None = None, *, doc: str, kind: str = "text") -> str | None:
    _declare(name, kind, default, doc)
    value = _raw(name)
    return default if value in (None, "") else value


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None, doc: str) -> int:
    _declare(name, "a whole number" + _bounds(minimum, maximum), default, doc)
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


def env_fraction(name: str, default: float | None, *, doc: str) -> float | None:
    """A number from 0 to 1."""
    _declare(name, "a number from 0 to 1", default, doc)
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


def env_bool(name: str, default: bool = False, *, doc: str) -> bool:
    _declare(name, "1 or 0", default, doc)
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false, yes/no, on/off), got {value!r}")


def env_list(name: str, default: Iterable[str] = (), *, doc: str) -> list[str]:
    default = list(default)
    _declare(name, "a comma-separated list", default, doc)
    value = _raw(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: Iterable[str], default: str, *, doc: str) -> str:
    allowed = tuple(choices)
    _declare(name, "one of " + ", ".join(allowed), default, doc)
    value = _raw(name)
    if value in (None, ""):
        return default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def env_uuid(name: str, default: str, *, doc: str) -> str:
    _declare(name, "a UUID", default, doc)
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a UUID; got {value!r}") from None


def env_secret(name: str, *, doc: str) -> str | None:
    """A secret: returned as is, never echoed in any message, never given a default."""
    _declare(name, "a secret", None, doc, secret=True)
    value = _raw(name)
    return None if value in (None, "") else value
