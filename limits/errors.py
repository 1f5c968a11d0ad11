"""What limits refuses with: its own exceptions, which the edge (chat.errors) turns into
the protocol's error codes. No models here, so the edge can name them whatever is installed.

Their words are for visitors, marked for translation: `str()` of a refusal speaks the
active language (the edge activates the socket's own, `?lang=`), English by default."""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _

# Each rate's refusal, by what was counted; the wait comes from the counter (wait_words).
TOO_MANY = {
    "messages": _("too many messages: try again in %(wait)s"),
    "frames": _("too many messages on this connection: try again in %(wait)s"),
    "sessions": _("too many new conversations from your address: try again in %(wait)s"),
    "connections": _("too many new connections from your address: try again in %(wait)s"),
    "sockets": _("too many open connections from your address: try again in %(wait)s, or once one of them has closed"),
}

# Each budget's refusal, in words for the visitor (no figures), by scope.
EXCEEDED = {
    "session": _("this conversation has used all it may: start a new conversation to go on"),
    "visitor": _("you have reached today's limit for this assistant: please come back tomorrow"),
    "agent": _("this assistant has reached its limit for today: please try again later"),
    "organization": _("this assistant has reached its limit for this month"),
}


def wait_words(seconds: int) -> str:
    """A wait as a visitor reads it, rounded up: "13 s", "60 min", "24 h" (a rate's window
    is at most 7 days)."""
    if seconds < 120:
        return _("%(count)d s") % {"count": seconds}
    if seconds < 120 * 60:
        return _("%(count)d min") % {"count": math.ceil(seconds / 60)}
    return _("%(count)d h") % {"count": math.ceil(seconds / 3600)}


class RateLimited(Exception):
    """Over a rate: what was counted (a key of TOO_MANY), and when to try again."""

    def __init__(self, limit: str, retry_after: float):
        self.limit = limit
        self.seconds = max(1, math.ceil(retry_after))
        super().__init__(limit, self.seconds)

    def __str__(self) -> str:
        return TOO_MANY[self.limit] % {"wait": wait_words(self.seconds)}


class BudgetExceeded(Exception):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__(scope)

    def __str__(self) -> str:
        return str(EXCEEDED[self.scope])
