"""Reads of conversations and sessions, always from the database (never process
memory), so any server process can answer for any session."""
from __future__ import annotations

import uuid

from django.db.models import Q

from channels.db import database_sync_to_async

from chat.models import Message, Session
from chat.protocol import ErrorCode, ProtocolError


async def session_for(session_id: uuid.UUID, principal=None) -> Session:
    """The session, if it exists and `principal` may use it. A principal's session
    is its own: for anyone else it does not exist, exactly like an unknown id."""
    session = await database_sync_to_async(Session.objects.filter(session_id=session_id).first)()
    if session is None or not may_use(session, principal):
        raise ProtocolError(ErrorCode.SESSION_NOT_FOUND, f"session {session_id} not found")
    return session


def may_use(session: Session, principal) -> bool:
    if session.owner_id is None:
        return True  # anonymous sessions work by session id
    return principal is not None and (principal.user_id, principal.organization_id) == (session.owner_id, session.organization_id)


def recent_messages(conversation_id: uuid.UUID, *, limit: int = 50) -> list[Message]:
    """The conversation's last `limit` messages, oldest first (the turn's memory)."""
    newest_first = Message.objects.filter(conversation_id=conversation_id).order_by("-created_at", "-id")[:limit]
    return list(reversed(newest_first))


def message_page(conversation_id: uuid.UUID, *, limit: int, before: uuid.UUID | None) -> tuple[list[Message], bool] | None:
    """Up to `limit` messages newest first, older than message `before` in the
    (created_at, id) order; and whether older ones remain. None when `before`
    is not a message of this conversation. Ordering on the id as well means two
    messages with one timestamp are never dropped or repeated between pages."""
    messages = Message.objects.filter(conversation_id=conversation_id)
    if before is not None:
        anchor = messages.filter(id=before).values("created_at", "id").first()
        if anchor is None:
            return None
        messages = messages.filter(
            Q(created_at__lt=anchor["created_at"]) | Q(created_at=anchor["created_at"], id__lt=anchor["id"])
        )
    page = list(messages.select_related("from_participant", "to_participant").order_by("-created_at", "-id")[: limit + 1])
    return page[:limit], len(page) > limit
