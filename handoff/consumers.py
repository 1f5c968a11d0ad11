"""The operators' inbox socket (/ws/inbox): Django staff, signed in, of the organisations
they belong to (identity.staff), from this site's own pages only.

Frames are {"action": ...}: `list`; `open` {conversationId} (its history, then its turns
live, token by token: the socket joins the conversation's session groups); `take_over`
{conversationId, takeFrom}; `reply` {conversationId, text}; `hand_back` {conversationId}.
The organisation's inbox group brings escalations, visitor messages and every operator's
steps. A conversation of another organisation answers exactly as an unknown one. Every
frame it sends is built by handoff.inbox_protocol.
"""

from __future__ import annotations

import json
import logging
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from chat import backplane
from chat.models import Conversation, Session
from core import clientip
from handoff import inbox_protocol as wire
from handoff import live, notify, selectors, services
from handoff.inbox_protocol import InboxErrorCode
from identity.staff import organizations_of

logger = logging.getLogger(__name__)
MAX_REPLY = 10_000
MAX_FRAME = 64 * 1024
FORBIDDEN = 4403


def operator_id(user) -> str:
    """Django staff and API principals (adminapi.handoffs) never share an operator id."""
    return f"staff:{user.pk}"


def operator_name(user) -> str:
    return (user.get_full_name() or user.get_username())[:255]


class InboxConsumer(AsyncJsonWebsocketConsumer):
    organizations: set[str] | None = None
    open_conversation: str | None = None
    watching: tuple[str, ...] = ()  # the session groups of the open conversation

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or not same_site(self.scope):
            await self.close(code=FORBIDDEN)
            return
        self.user = user
        organizations = await database_sync_to_async(organizations_of)(user)
        # A superuser works for every organisation: the inbox shows the default one's.
        self.organizations = organizations if organizations is not None else {settings.SMOOTH_DEFAULT_ORG_ID}
        for organization_id in self.organizations:
            await self.channel_layer.group_add(notify.inbox_group(organization_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        for organization_id in self.organizations or ():
            await self.channel_layer.group_discard(notify.inbox_group(organization_id), self.channel_name)
        await self._stop_watching()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """JSON objects only; anything else is answered, and the socket goes on."""
        try:
            frame = json.loads(text_data) if text_data is not None and len(text_data) <= MAX_FRAME else None
        except ValueError:
            frame = None
        if not isinstance(frame, dict):
            await self._error(InboxErrorCode.VALIDATION_ERROR, f"send one JSON object of at most {MAX_FRAME} characters")
            return
        await self.receive_json(frame)

    async def receive_json(self, frame, **kwargs) -> None:
        action = frame.get("action")
        handler = getattr(self, f"do_{action}", None) if action in wire.ACTIONS else None
        if handler is None:
            await self._error(InboxErrorCode.VALIDATION_ERROR, f"action must be one of {', '.join(wire.ACTIONS)}")
            return
        try:
            await handler(frame)
        except Conversation.DoesNotExist:
            await self._error(InboxErrorCode.NOT_FOUND, "no such conversation")
        except services.NotYours as exc:
            await self._error(InboxErrorCode.HELD_BY_OTHER, f"{exc.holder_name} holds this conversation: take it over from them to answer")
        except services.NotHolding:
            await self._error(InboxErrorCode.NOT_HOLDING, "take the conversation over first")
        except services.AlreadyHolding:
            await self._error(InboxErrorCode.ALREADY_HOLDING, "you hold this conversation already")

    async def do_list(self, frame) -> None:
        rows = await database_sync_to_async(selectors.inbox)(self.organizations)
        await self.send_json(wire.conversations(rows))

    async def do_open(self, frame) -> None:
        conversation = await self._conversation(frame)
        history, handoff, sessions = await database_sync_to_async(_opened)(conversation)
        await self._stop_watching()
        self.watching = tuple(backplane.group_name("session", session_id) for session_id in sessions)
        for group in self.watching:
            await self.channel_layer.group_add(group, self.channel_name)
        self.open_conversation = str(conversation.id)
        await self.send_json(wire.opened(str(conversation.id), history, handoff))

    async def do_take_over(self, frame) -> None:
        conversation = await self._conversation(frame)
        await live.take_over(
            conversation, user_id=operator_id(self.user), name=operator_name(self.user), take_from=frame.get("takeFrom") is True
        )
        await self.send_json(wire.done("take_over", str(conversation.id)))

    async def do_reply(self, frame) -> None:
        text = frame.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_REPLY:
            await self._error(InboxErrorCode.VALIDATION_ERROR, f"text must be a non-empty string of at most {MAX_REPLY} characters")
            return
        conversation = await self._conversation(frame)
        step = await live.reply(conversation, user_id=operator_id(self.user), text=text.strip())
        await self.send_json(wire.done("reply", str(conversation.id), step.message_id))

    async def do_hand_back(self, frame) -> None:
        conversation = await self._conversation(frame)
        await live.hand_back(conversation, user_id=operator_id(self.user))
        await self.send_json(wire.done("hand_back", str(conversation.id)))

    async def inbox_event(self, message) -> None:
        await self.send_json(wire.inbox(message["event"]))

    async def backplane_event(self, message) -> None:
        """The open conversation's turn events and operators' messages, as the visitor gets them."""
        await self.send_json(wire.stream(self.open_conversation, message["event"]))

    async def _conversation(self, frame) -> Conversation:
        try:
            conversation_id = uuid.UUID(str(frame.get("conversationId")))
        except ValueError:
            raise Conversation.DoesNotExist from None
        return await database_sync_to_async(services.conversation_of)(conversation_id, self.organizations)

    async def _stop_watching(self) -> None:
        for group in self.watching:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.watching = ()

    async def _error(self, code: InboxErrorCode, message: str) -> None:
        await self.send_json(wire.error(code, message))


def _opened(conversation):
    sessions = [str(session_id) for session_id in Session.objects.filter(conversation=conversation).values_list("session_id", flat=True)]
    return selectors.history(conversation), selectors.handoff_of(conversation), sessions


def same_site(scope) -> bool:
    """The handshake comes from this server's own pages: its Origin names the scheme and the
    Host it was sent to (an https page opens wss; behind a trusted proxy, X-Forwarded-Proto
    says which). A session cookie rides along on any site's WebSocket, so without this any
    page could drive a signed-in operator's inbox."""
    headers = dict(scope.get("headers") or [])
    origin = headers.get(b"origin", b"").decode("latin-1").rstrip("/").lower()
    host = headers.get(b"host", b"").decode("latin-1").lower()
    if not origin or not host:
        return False
    own = f"{'https' if clientip.secure(scope) else 'http'}://{host}"  # scheme, host and port
    return origin == own or origin in (trusted.lower() for trusted in getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
