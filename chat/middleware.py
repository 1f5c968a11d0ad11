"""Puts the /ws caller's principal on the scope, from `?token=<JWT>`.

Browsers cannot set headers on a WebSocket handshake, so the token rides on the
query string. A missing or refused token leaves the connection anonymous; a
refusal is logged with its reason, never with the token.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from identity.tokens import InvalidToken, principal_for_token

logger = logging.getLogger(__name__)


class TokenPrincipalMiddleware:
    """Returns the inner app's awaitable rather than awaiting it (as core.clientip's
    middleware does): nothing of it stays alive while the socket is open."""

    _asgi_single_callable = True

    def __init__(self, inner):
        self.inner = inner

    def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [None])[0]
        try:
            principal = principal_for_token(token)
        except InvalidToken as exc:
            logger.warning("a /ws connection offered a token that was refused (%s); it is anonymous", exc)
            principal = None
        return self.inner({**scope, "principal": principal}, receive, send)
