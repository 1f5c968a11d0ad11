"""send_message: validate, find the session, hand the turn to chat.turns."""
from __future__ import annotations

from chat import selectors, turns
from chat.frames import parse_send_message


async def send_message(conn, frame: dict, request_id: str | None) -> None:
    request = parse_send_message(frame, request_id)
    session = await selectors.session_for(request.session_id)
    await conn.attach_session(session)
    await turns.start_turn(conn, session, request)
