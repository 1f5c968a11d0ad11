"""list_conversations: the caller's own conversations, most recently active first, paged.

Whose they are: a principal's (the sessions it owns, in its organisation); a verified
visitor's (the conversations of its host-verified user id, in the organisation of the
session that verified it); and the conversations of the sessions this socket holds,
which is all an anonymous visitor has. Every session is checked again as any action
would check it. Nobody else's conversation can appear, whatever the query or cursor.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import uuid

from channels.db import database_sync_to_async
from django.db.models import Q

from chat import binding, protocol, selectors
from chat.frames import invalid, parse_list_conversations
from chat.models import Participant, Session

BAD_CURSOR = "cursor is not one this server issued: pass a nextCursor back unchanged"


async def list_conversations(conn, frame: dict, request_id: str | None) -> None:
    request = parse_list_conversations(frame, request_id)
    after = _decoded(request.cursor) if request.cursor else None
    entries = await database_sync_to_async(_entries)(conn, request.query)
    entries.sort(key=lambda entry: (entry.updated_at, str(entry.conversation_id)), reverse=True)  # the cursor's own order
    if after is not None:
        entries = [entry for entry in entries if (entry.updated_at, str(entry.conversation_id)) < after]
    page, has_more = entries[: request.limit], len(entries) > request.limit
    data = {
        "conversations": [protocol.conversation_item(entry) for entry in page],
        "nextCursor": _encoded(page[-1]) if has_more else None,
        "hasMore": has_more,
    }
    await conn.send(protocol.immediate_response(request_id, status=200, message="Conversations found", data=data))


def _entries(conn, query: str | None) -> list[selectors.ConversationEntry]:
    ids: set = set()
    if conn.principal is not None:
        owned = Session.objects.filter(organization_id=conn.principal.organization_id, owner_id=conn.principal.user_id)
        ids.update(owned.values_list("conversation_id", flat=True))
    for session_id in list(conn.sessions):
        session = binding.load_session(uuid.UUID(session_id))
        try:
            if session is None:
                raise binding.BindingRefused("no such session")
            binding.check_binding(session, origin=conn.origin, principal=conn.principal, attached=True, credentials=binding.NO_CREDENTIALS)
        except binding.BindingRefused:
            continue
        ids.add(session.conversation_id)
        if session.verified_user_id:
            same_visitor = Participant.objects.filter(
                organization_id=session.organization_id, type=Participant.Type.USER, external_id=session.verified_user_id
            )
            ids.update(same_visitor.values_list("conversation_id", flat=True))
    return selectors.own_conversations(Q(id__in=ids), query=query) if ids else []


def _encoded(entry: selectors.ConversationEntry) -> str:
    raw = f"{entry.updated_at.isoformat()}|{entry.conversation_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decoded(cursor: str) -> tuple[datetime.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, conversation_id = raw.split("|")
        return datetime.datetime.fromisoformat(moment), str(uuid.UUID(conversation_id))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid(BAD_CURSOR) from None
