"""Agent turns: the one entry point send_message calls.

Agent turns (the gateway client, the tool loop, streaming) are not built yet;
until they are, every turn is refused with LLM_UNAVAILABLE before anything is
acknowledged or stored, so a client never sees a 202 without a terminal event.
"""
from __future__ import annotations

from django.conf import settings

from chat.protocol import ErrorCode, ProtocolError


async def start_turn(conn, session, request) -> None:
    if not settings.SMOOAI_GATEWAY_KEY:
        raise ProtocolError(
            ErrorCode.LLM_UNAVAILABLE,
            "this server cannot run agent turns: SMOOAI_GATEWAY_KEY is not set",
        )
    raise ProtocolError(ErrorCode.LLM_UNAVAILABLE, "this server does not run agent turns yet")
