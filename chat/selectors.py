"""Reads of conversations, always from the database (never process memory), so any
server process can answer for any session. Who may read a session: chat.binding."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from chat.models import Conversation, Message


def recent_messages(conversation_id: uuid.UUID, *, limit: int = 50) -> list[Message]:
    """The conversation's last `limit` messages, oldest first (the turn's memory): their
    direction and content only, which is all the model is given of them."""
    newest_first = (
        Message.objects.filter(conversation_id=conversation_id).only("direction", "content").order_by("-created_at", "-id")[:limit]
    )
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


# How many of a caller's most recent conversations a listing looks through (a visitor
# has a handful; a principal with more sees its newest this many).
CONVERSATIONS_SCANNED = 1000
TITLE_CHARS = 80


@dataclass(frozen=True)
class ConversationEntry:
    conversation_id: uuid.UUID
    title: str
    updated_at: datetime.datetime
    message_count: int


def own_conversations(scope: Q, *, query: str | None) -> list[ConversationEntry]:
    """The conversations `scope` selects that have messages, most recently active first
    (ties by id), titled by their first inbound message; only those whose title holds
    `query` (case-insensitively) when one is given."""
    rows = list(
        Conversation.objects.filter(scope)
        .annotate(last_at=Max("messages__created_at"), count=Count("messages", distinct=True))
        .filter(count__gt=0)
        .order_by("-last_at", "-id")
        .values_list("id", "name", "last_at", "count")[:CONVERSATIONS_SCANNED]
    )
    firsts: dict = {}
    for conversation_id, content in (
        Message.objects.filter(conversation_id__in=[row[0] for row in rows], direction=Message.Direction.INBOUND)
        .order_by("conversation_id", "created_at", "id")
        .values_list("conversation_id", "content")
    ):
        firsts.setdefault(conversation_id, str((content or {}).get("text", "")))
    entries = [ConversationEntry(row[0], _title(firsts.get(row[0]), row[1]), row[2], row[3]) for row in rows]
    if query:
        needle = query.casefold()
        entries = [
            entry for entry in entries if needle in entry.title.casefold() or needle in firsts.get(entry.conversation_id, "").casefold()
        ]
    return entries


def _title(first_message: str | None, name: str) -> str:
    text = " ".join((first_message or "").split())
    if not text:
        return name
    if len(text) <= TITLE_CHARS:
        return text
    cut = text.rfind(" ", 0, TITLE_CHARS)
    return text[: cut if cut > 0 else TITLE_CHARS] + "…"


def transcript_messages(conversation_id: uuid.UUID, organization_id: str, *, limit: int) -> tuple[list[Message], int]:
    """The conversation's last `limit` messages, oldest first, with who sent each; and how
    many it holds in all. Only the conversation's own messages, in its own organisation."""
    messages = Message.objects.filter(conversation_id=conversation_id, organization_id=organization_id)
    newest_first = list(messages.select_related("from_participant").order_by("-created_at", "-id")[:limit])
    total = len(newest_first) if len(newest_first) < limit else messages.count()
    return list(reversed(newest_first)), total
