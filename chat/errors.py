"""The one table from each app's own exceptions to the protocol's error codes: apps
below the edge raise what they mean (limits: RateLimited, BudgetExceeded), and the edge
answers with the code and their message, which is written for visitors."""

from __future__ import annotations

from chat.protocol import ErrorCode, ProtocolError
from limits.errors import BudgetExceeded, RateLimited

CODES: dict[type[Exception], ErrorCode] = {
    RateLimited: ErrorCode.RATE_LIMITED,
    BudgetExceeded: ErrorCode.BUDGET_EXCEEDED,
}


def protocol_error(exc: BaseException) -> ProtocolError | None:
    """`exc` as the error event's code and message; None for an exception no table names
    (a bug: the caller answers INTERNAL_ERROR and logs it)."""
    if isinstance(exc, ProtocolError):
        return exc
    for kind, code in CODES.items():
        if isinstance(exc, kind):
            return ProtocolError(code, str(exc))
    return None
