"""Reads of conversations and sessions, always from the database (never process
memory), so any server process can answer for any session."""
from __future__ import annotations

import uuid

from channels.db import database_sync_to_async

from chat.models import Message, Session
from chat.protocol import ErrorCode, ProtocolError


async def session_for(session_id: uuid.UUID) -> Session:
    session = await database_sync_to_async(Session.objects.filter(session_id=session_id).first)()
    if session is None:
        raise ProtocolError(ErrorCode.SESSION_NOT_FOUND, f"session {session_id} not found")
    return session


def recent_messages(conversation_id: uuid.UUID, *, limit: int = 50) -> list[Message]:
    """The conversation's last `limit` messages, oldest first (the turn's memory)."""
    newest_first = Message.objects.filter(conversation_id=conversation_id).order_by("-created_at", "-id")[:limit]
    return list(reversed(newest_first))
