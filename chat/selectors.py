"""Reads of conversations, always from the database (never process memory), so any
server process can answer for any session. Who may read a session: chat.binding."""

from __future__ import annotations

import uuid

from django.db.models import Q

from chat.models import Message


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
        messages = messages.filter(Q(created_at__lt=anchor["created_at"]) | Q(created_at=anchor["created_at"], id__lt=anchor["id"]))
    page = list(messages.select_related("from_participant", "to_participant").order_by("-created_at", "-id")[: limit + 1])
    return page[:limit], len(page) > limit
