"""What a turn's model calls cost: USD per million tokens from SMOOTH_AGENT_PRICES
(prompt, completion; a model not listed costs 0)."""

from __future__ import annotations

from django.conf import settings

from chat import protocol
from smooth.gateway import Usage


def nano_usd(usage: Usage, model: str) -> int:
    """The cost in billionths of a dollar (USD per million tokens is 1000 of them a token)."""
    prompt_price, completion_price = settings.SMOOTH_AGENT_PRICES.get(model, (0.0, 0.0))
    return round(usage.prompt_tokens * prompt_price * 1000 + usage.completion_tokens * completion_price * 1000)


def usage_event(usage: Usage | None, model: str) -> dict | None:
    if usage is None:
        return None
    cost = nano_usd(usage, model) / 1_000_000_000
    return protocol.usage(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens, cost_usd=round(cost, 8))


def total_tokens(usage: Usage | None) -> int:
    return usage.prompt_tokens + usage.completion_tokens if usage else 0
