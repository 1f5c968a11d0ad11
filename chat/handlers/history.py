"""get_conversation_messages: a page of the session's conversation, newest first."""

from __future__ import annotations

from channels.db import database_sync_to_async

from chat import binding, protocol, selectors
from chat.frames import invalid, parse_get_messages


async def get_conversation_messages(conn, frame: dict, request_id: str | None) -> None:
    request = parse_get_messages(frame, request_id)
    session = await binding.bound_session(conn, request.session_id, request.credentials)
    page = await database_sync_to_async(selectors.message_page)(session.conversation_id, limit=request.limit, before=request.cursor)
    if page is None:
        raise invalid("cursor is not one this server issued for this session: pass a nextCursor back unchanged")
    messages, has_more = page
    await conn.attach_session(session)
    await conn.send(
        protocol.immediate_response(request_id, status=200, message="Messages found", data=protocol.message_page(messages, has_more))
    )
