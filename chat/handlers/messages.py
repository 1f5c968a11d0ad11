"""send_message, cancel, confirm_tool_action and submit_interaction: the turn actions."""

from __future__ import annotations

from chat import binding, turns
from chat.frames import parse_cancel, parse_confirm, parse_send_message, parse_submit_interaction


async def send_message(conn, frame: dict, request_id: str | None) -> None:
    request = parse_send_message(frame, request_id)
    # A session this connection created or re-attached was read from the database
    # then: the 202 need not wait for another read (acks wait behind every other
    # socket's queries on the one database thread). The turn's opening hop checks
    # the binding again before it stores anything.
    session = conn.sessions.get(str(request.session_id))
    if session is None:
        session = await binding.bound_session(conn, request.session_id, request.credentials)
        await conn.attach_session(session)
    await turns.start_turn(conn, session, request)


async def cancel(conn, frame: dict, request_id: str | None) -> None:
    """Stop a running turn of a session this connection may use. Nothing is sent back:
    the turn's own `cancelled` reaches every socket of the session, and a cancel that
    finds no such turn is silent (the protocol's no-op)."""
    request = parse_cancel(frame, request_id)
    if request.session_id is not None:
        candidates = [(await binding.bound_session(conn, request.session_id, request.credentials)).session_id]
    else:  # upstream clients may name only the turn: look in the sessions this socket holds
        candidates = [session.session_id for session in conn.sessions.values()]
    for session_id in candidates:
        if await turns.cancel_turn(session_id, request.request_id):
            return


async def confirm_tool_action(conn, frame: dict, request_id: str | None) -> None:
    """Approve or refuse the tool call a parked turn of the session waits on. A session
    this connection may not use answers as one with nothing pending."""
    request = parse_confirm(frame, request_id)
    session = await _answering(conn, request, turns.no_pending_confirmation)
    await turns.confirm(conn, session, request)


async def submit_interaction(conn, frame: dict, request_id: str | None) -> None:
    """Answer (or decline) the card a parked turn of the session waits on."""
    request = parse_submit_interaction(frame, request_id)
    session = await _answering(conn, request, turns.no_pending_interaction)
    await turns.submit_interaction(conn, session, request)


async def _answering(conn, request, nothing_pending):
    """The session a visitor's answer is for, attached to this socket (the rest of the turn
    goes to the session's sockets: this one too); one it may not use is "nothing pending"."""
    session = await binding.bound_session_or_none(conn, request.session_id, request.credentials)
    if session is None:
        raise nothing_pending()
    await conn.attach_session(session)
    return session
