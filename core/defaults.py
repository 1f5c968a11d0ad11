"""The one rule for settings an agent (or an organisation) may set for itself: its own
value when it has one, else the server's setting of that name."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def own_or_server(own: Any, setting: str) -> Any:
    """`own` unless it is unset (None or blank), else `settings.<setting>`."""
    return own if own not in (None, "") else getattr(settings, setting)
