"""How a gateway call fails, in two registers: a fixed sentence per kind of
failure for the visitor, and the detail for the server log, with anything that
looks like a key taken out (the configured key first of all). The gateway's own
words never reach a visitor: a gateway may echo the key or its internals."""

from __future__ import annotations

import re
from enum import StrEnum

from django.conf import settings

REDACTED = "[redacted]"
MAX_DETAIL = 300
_KEY_LIKE = [
    re.compile(r"(?i)\bbearer\s+[^\s\"',}]+"),
    re.compile(r"(?i)\b(api[_-]?key|access[_-]?token|token|secret|password|authorization)(\"?\s*[:=]\s*\"?)[^\s\"',}]+"),
    re.compile(r"\b(?:sk|pk|rk|key|tok)[-_][A-Za-z0-9_\-]{6,}"),
    re.compile(r"[A-Za-z0-9_\-+/=]{32,}"),  # long opaque strings: keys, JWTs, hashes
]


class Failure(StrEnum):
    UNREACHABLE = "its model service could not be reached"
    TIMEOUT = "its model service took too long to answer"
    REJECTED = "its model service refused the request"
    BUSY = "its model service is busy or failing"
    MALFORMED = "its model service sent an answer it could not read"
    UPSTREAM = "its model service reported an error"
    CUT_OFF = "its model service stopped before the answer was complete"
    EMPTY = "its model service returned no answer"


class GatewayError(Exception):
    """A failed gateway call. str() is the redacted detail, for logs; `public_message`
    is the fixed sentence a visitor may see."""

    def __init__(self, failure: Failure, detail: str):
        self.failure = failure
        self.detail = redact(detail)
        super().__init__(self.detail)

    @property
    def public_message(self) -> str:
        return f"the agent could not answer: {self.failure.value}; please try again"


def redact(text: str) -> str:
    """`text` without the configured gateway key or anything key-like, cut to a log line."""
    key = settings.SMOOAI_GATEWAY_KEY
    if key and len(key) >= 4:
        text = text.replace(key, REDACTED)
    for pattern in _KEY_LIKE:
        text = pattern.sub(lambda match: match.group(1) + match.group(2) + REDACTED if match.re.groups == 2 else REDACTED, text)
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + "…"
