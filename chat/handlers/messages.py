"""send_message: validate, find the session, hand the turn to chat.turns."""

from __future__ import annotations

from chat import binding, turns
from chat.frames import parse_send_message


async def send_message(conn, frame: dict, request_id: str | None) -> None:
    request = parse_send_message(frame, request_id)
    # A session this connection created or re-attached was read from the database
    # then: the ack need not wait for another read. The turn's opening hop checks
    # the binding again before it stores anything.
    session = conn.sessions.get(str(request.session_id))
    if session is None:
        session = await binding.bound_session(conn, request.session_id, request.credentials)
        await conn.attach_session(session)
    await turns.start_turn(conn, session, request)
