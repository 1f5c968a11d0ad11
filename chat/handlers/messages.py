"""send_message: validate, find the session, hand the turn to chat.turns."""
from __future__ import annotations

from chat import selectors, turns
from chat.frames import parse_send_message


async def send_message(conn, frame: dict, request_id: str | None) -> None:
    request = parse_send_message(frame, request_id)
    # A session this connection created or re-attached was read from the database
    # then: the ack need not wait for another read (the turn's write reads it again).
    session = conn.sessions.get(str(request.session_id))
    if session is None:
        session = await selectors.session_for(request.session_id, conn.principal)
        await conn.attach_session(session)
    await turns.start_turn(conn, session, request)
