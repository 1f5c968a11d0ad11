"""Spend caps such as "50000 tokens", "$2.50" or "50000 tokens, $2.50": at most that many
model tokens and that much cost, whichever comes first. "0" (or an empty value) is no cap.

Cost is kept in nano-dollars (integers): a token at $0.15 per million is 150 of them, so
sums stay exact in both databases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError

NANO = 1_000_000_000
MAX_TOKENS = 10**15
MAX_USD = Decimal(10**9)
_TOKENS = re.compile(r"^(\d{1,16})\s*(k|m)?\s*tokens?$")
_USD = re.compile(r"^\$\s*(\d{1,12}(?:\.\d{1,9})?)$")
_MULTIPLIERS = {None: 1, "k": 1_000, "m": 1_000_000}


@dataclass(frozen=True)
class Cap:
    tokens: int | None = None  # model tokens (prompt and completion) at most
    nano_usd: int | None = None  # cost at most, in nano-dollars

    def exceeded_by(self, tokens: int, nano_usd: int) -> bool:
        """Spent up to it or past it: no further model call fits."""
        return (self.tokens is not None and tokens >= self.tokens) or (self.nano_usd is not None and nano_usd >= self.nano_usd)

    def __str__(self) -> str:
        parts = [f"{self.tokens} tokens"] if self.tokens is not None else []
        if self.nano_usd is not None:
            parts.append(f"${format_usd(self.nano_usd)}")
        return ", ".join(parts) or "0"


def format_usd(nano_usd: int) -> str:
    """Dollars with as many decimals as matter (2 at least)."""
    text = f"{Decimal(nano_usd) / NANO:.9f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def describe_standing(standing) -> str:
    """'1,234 tokens, $0.01 of 50,000 tokens' (a limits.budgets.Standing), for people."""
    spent = f"{standing.spent_tokens:,} tokens, ${format_usd(standing.spent_nano_usd)}"
    cap = standing.cap
    if cap is None:
        return f"{spent} (no cap)"
    limits = [
        f"{cap.tokens:,} tokens" if cap.tokens is not None else "",
        f"${format_usd(cap.nano_usd)}" if cap.nano_usd is not None else "",
    ]
    return f"{spent} of {' and '.join(part for part in limits if part)}"


@lru_cache(maxsize=256)  # read on every turn: settings' and agents' few strings, parsed once
def parse_cap(text: str | None) -> Cap | None:
    """None for "0" or nothing (no cap)."""
    if text is None or str(text).strip() in ("", "0"):
        return None
    tokens = nano_usd = None
    for part in str(text).lower().split(","):
        part = part.strip()
        if (match := _TOKENS.match(part)) and tokens is None:
            tokens = int(match.group(1)) * _MULTIPLIERS[match.group(2)]
        elif (match := _USD.match(part)) and nano_usd is None:
            try:
                usd = Decimal(match.group(1))
            except InvalidOperation:  # the pattern admits none; kept for safety
                usd = MAX_USD + 1
            if usd > MAX_USD:
                raise ValidationError(f"{text!r}: a cost cap is at most ${MAX_USD}")
            nano_usd = int(usd * NANO)
        else:
            raise ValidationError(
                f"{text!r} is not a budget: write tokens, a cost or both, such as 50000 tokens, 50k tokens, $2.50 "
                "or 50000 tokens, $2.50 (0: no cap)"
            )
    if (tokens is not None and tokens > MAX_TOKENS) or (tokens == 0 and nano_usd is None) or (nano_usd == 0 and tokens is None):
        raise ValidationError(f"{text!r}: a token cap is from 1 to {MAX_TOKENS} (write 0 alone for no cap)")
    return Cap(tokens or None, nano_usd or None) if (tokens or nano_usd) else None


def validate_cap(text) -> None:
    parse_cap(text)


def nano_usd(usage, model: str) -> int:
    """What `usage` (prompt and completion tokens) of `model` cost, in billionths of a dollar
    (SMOOTH_AGENT_PRICES is USD per million tokens: 1000 of them a token; a model not listed costs 0)."""
    prompt_price, completion_price = settings.SMOOTH_AGENT_PRICES.get(model, (0.0, 0.0))
    return round(usage.prompt_tokens * prompt_price * 1000 + usage.completion_tokens * completion_price * 1000)
