"""Rates such as "20/min": how many in how long. "0" (or an empty value) is no limit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError

UNITS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{0,6})\s*([a-z]*)\s*$")
MAX_WINDOW_SECONDS = 7 * 86400


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


@lru_cache(maxsize=256)  # read on every message: settings' and agents' few strings, parsed once
def parse_rate(text: str | None) -> Rate | None:
    """`"20/min"`, `"5/10s"`, `"100/h"`, `"2/2s"`; None for "0" or nothing (no limit)."""
    if text is None or str(text).strip() in ("", "0"):
        return None
    match = _RATE.match(str(text).lower())
    if not match or (match.group(3) and match.group(3) not in UNITS) or (not match.group(2) and not match.group(3)):
        raise ValidationError(f"{text!r} is not a rate: write it as a count per period, such as 20/min, 5/10s or 100/h (0: no limit)")
    count = int(match.group(1))
    seconds = int(match.group(2) or 1) * UNITS.get(match.group(3) or "s", 1)
    if count == 0:
        return None
    if not 1 <= seconds <= MAX_WINDOW_SECONDS:
        raise ValidationError(f"{text!r}: the period must be from 1 second to 7 days")
    return Rate(count, seconds)


def validate_rate(text) -> None:
    parse_rate(text)
