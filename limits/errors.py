"""What limits refuses with: its own exceptions, which the edge (chat.errors) turns into
the protocol's error codes. No models here, so the edge can name them whatever is installed."""

from __future__ import annotations

import math

# Each budget's refusal, in words for the visitor (no figures), by scope.
EXCEEDED = {
    "session": "this conversation has used all it may: start a new conversation to go on",
    "visitor": "you have reached today's limit for this assistant: please come back tomorrow",
    "agent": "this assistant has reached its limit for today: please try again later",
    "organization": "this assistant has reached its limit for this month",
}


class RateLimited(Exception):
    """Over a rate: the message says what and when to try again."""

    @classmethod
    def retry_in(cls, what: str, retry_after: float) -> RateLimited:
        return cls(f"too many {what}: try again in {max(1, math.ceil(retry_after))} s")


class BudgetExceeded(Exception):
    def __init__(self, scope: str):
        super().__init__(EXCEEDED[scope])
        self.scope = scope
