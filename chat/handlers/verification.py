"""verify_otp: the one-time code a visitor was sent, checked by the OTP service."""

from __future__ import annotations

from channels.db import database_sync_to_async

from chat import binding, otp, protocol, services
from chat.frames import parse_verify_otp
from chat.turns import verification


async def verify_otp(conn, frame: dict, request_id: str | None) -> None:
    """`otp_verified` (the session's visitor is verified from now on) or `otp_invalid`.
    A session this connection may not use answers as one with no code sent."""
    request = parse_verify_otp(frame, request_id)
    session = await binding.bound_session_or_none(conn, request.session_id, request.credentials)
    outcome = otp.NOT_FOUND if session is None else await verification.verify(session.session_id, request.code)
    if isinstance(outcome, otp.Verified):
        assert session is not None  # a code verified for it
        if await database_sync_to_async(services.mark_visitor_verified)(session.session_id, channel=outcome.channel):
            await conn.send(protocol.otp_verified(request.request_id))
            return
        outcome = otp.NOT_FOUND  # the session went away meanwhile
    await conn.send(
        protocol.otp_invalid(
            request.request_id, error=outcome.error, attempts_remaining=outcome.attempts_remaining, message=outcome.message
        )
    )
