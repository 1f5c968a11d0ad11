"""The one table from each app's own exceptions to the protocol's error codes: apps
below the edge raise what they mean (limits: RateLimited, BudgetExceeded), and the edge
answers with the code and their message, which is written for visitors: in the socket's
language (`?lang=`, chat.i18n.socket_language), English by default."""

from __future__ import annotations

from django.utils import translation

from chat.protocol import ErrorCode, ProtocolError
from limits.errors import BudgetExceeded, RateLimited

CODES: dict[type[Exception], ErrorCode] = {
    RateLimited: ErrorCode.RATE_LIMITED,
    BudgetExceeded: ErrorCode.BUDGET_EXCEEDED,
}


def protocol_error(exc: BaseException, language: str | None = None) -> ProtocolError | None:
    """`exc` as the error event's code and message (its words in `language`); None for an
    exception no table names (a bug: the caller answers INTERNAL_ERROR and logs it)."""
    if isinstance(exc, ProtocolError):
        return exc
    for kind, code in CODES.items():
        if isinstance(exc, kind):
            with translation.override(language):
                return ProtocolError(code, str(exc))
    return None
