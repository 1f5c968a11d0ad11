"""What a handler knows about its socket: the handshake facts, its groups, and send()."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from chat import backplane, protocol
from chat.i18n import socket_language
from core.asgitypes import header
from widget_auth.origins import normalize_origin

logger = logging.getLogger(__name__)

ENDED_REMEMBERED = 16
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class AttachedSession:
    """What a connection keeps of a session it attached: what starting a turn reads
    (chat.turns.start_turn and the stages' message windows: the id, the agent, the origin).
    Not the row itself: with its conversation, participants and their states that is
    some 4 KB an open socket, for fields nothing reads again."""

    session_id: Any
    agent_id: Any
    agent: Any
    origin: str | None

    @classmethod
    def of(cls, session) -> AttachedSession:
        return cls(session_id=session.session_id, agent_id=session.agent_id, agent=session.agent, origin=session.origin)


@dataclass(slots=True)  # one per open socket: no instance dict
class Connection:
    channel_name: str
    channel_layer: Any
    send: Send
    origin: str | None = None  # the handshake Origin, normalised (widget_auth.origins)
    user_agent: str | None = None
    principal: Any = None  # identity.principals.Principal, or None when anonymous
    client_ip: str = "unknown"  # the visitor's address (core.clientip), for the rate limits
    language: str = "en"  # what its refusals are worded in (chat.i18n.socket_language)
    groups: set[str] = field(default_factory=set)
    closed: bool = False
    # Sessions this connection created or re-attached (read from the database then):
    # it proved what chat.binding asks of a new connection, and need not again.
    sessions: dict[str, AttachedSession] = field(default_factory=dict)
    # Turns whose events this socket already has up to a number, so that their copies
    # from the session's group are dropped: requestId -> the number of the next event
    # it needs. A turn it re-attached to mid-stream (the journal gave it the earlier
    # ones), and a turn it asked for (its events come straight from the turn: had()).
    resumed: dict = field(default_factory=dict)
    # The last ENDED_REMEMBERED turns whose terminal event this socket was sent, oldest
    # first, and who waits for one (a shutdown closes the socket only once it has its
    # turns' ends: chat.lifecycle). A list, not a deque: a deque's first block is 600 bytes.
    ended: list = field(default_factory=list)
    _end_waiters: dict = field(default_factory=dict)

    @classmethod
    def from_scope(cls, scope: dict, *, channel_name: str, channel_layer: Any, send: Send) -> Connection:
        return cls(
            channel_name=channel_name,
            channel_layer=channel_layer,
            send=send,
            origin=normalize_origin(header(scope, b"origin")),
            user_agent=header(scope, b"user-agent"),
            principal=scope.get("principal"),
            client_ip=scope.get("client_ip", "unknown"),
            language=socket_language(scope),
        )

    async def join_identity_groups(self) -> None:
        if self.principal:
            await self.join("user", self.principal.user_id)
            await self.join("org", self.principal.organization_id)

    @property
    def browser_info(self) -> dict[str, str] | None:
        return protocol.browser_info(user_agent=self.user_agent, origin=self.origin)

    async def join(self, kind: str, ident: str) -> None:
        name = backplane.group_name(kind, ident)
        if name not in self.groups:
            self.groups.add(name)
            try:
                await self.channel_layer.group_add(name, self.channel_name)
            except Exception as exc:  # the backplane pauses; the socket keeps serving
                logger.warning("could not join %s (%s); will retry when the channel layer is back", name, type(exc).__name__)

    def resume(self, request_id: str, start: int, missed: list[dict]) -> list[dict]:
        """Note that the socket now has a turn's events up to `start + len(missed)`;
        return the missed ones, to send before any live event of that turn."""
        if missed and protocol.ends_turn(missed[-1]):
            self.resumed.pop(request_id, None)  # the whole turn: nothing live is left
        else:
            self.resumed[request_id] = start + len(missed)
        return missed

    def had(self, request_id: str, index: int) -> None:
        """Note that the socket was sent a turn's event `index` directly, before its
        copy from the group (chat.turns.events): the copy is dropped."""
        self.resumed[request_id] = index + 1

    def wants(self, request_id: str, index: int, event: dict) -> bool:
        """Whether a live event of a turn is new to this socket (the journal, or the
        turn itself, may have given it the event already)."""
        expected = self.resumed.get(request_id)
        if expected is None:
            return True
        if index < expected:
            if protocol.ends_turn(event):  # the turn's last copy: nothing more to drop
                del self.resumed[request_id]
            return False
        if protocol.ends_turn(event):
            del self.resumed[request_id]
        else:
            self.resumed[request_id] = index + 1
        return True

    def relayed(self, event: dict) -> None:
        """Note that the socket has been sent a turn's event (or had it already)."""
        if protocol.ends_turn(event):
            request_id = protocol.request_id_of(event)
            if request_id in self.ended:  # sent directly, then its group copy dropped
                return
            self.ended.append(request_id)
            del self.ended[:-ENDED_REMEMBERED]
            waiter = self._end_waiters.pop(request_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    def turn_end(self, request_id: str) -> asyncio.Future:
        """Done once the socket has been sent the turn's terminal event."""
        waiter = self._end_waiters.get(request_id)
        if waiter is None:
            waiter = asyncio.get_running_loop().create_future()
            if request_id in self.ended:
                waiter.set_result(None)
            else:
                self._end_waiters[request_id] = waiter
        return waiter

    def attached(self, session_id) -> bool:
        return str(session_id) in self.sessions

    async def attach_session(self, session) -> None:
        """Join the session's and its agent's groups (on create and on re-attach)."""
        self.sessions[str(session.session_id)] = AttachedSession.of(session)
        await self.join("session", str(session.session_id))
        if session.agent_id is not None:
            await self.join("agent", str(session.agent_id))

    async def detach_session(self, session_id) -> None:
        """Forget a session this connection may no longer use, and stop its events
        (it can only re-attach from scratch). The agent's group stays: other sessions
        of the connection may share it, and it carries nothing of this session."""
        if self.sessions.pop(str(session_id), None) is None:
            return
        name = backplane.group_name("session", str(session_id))
        self.groups.discard(name)
        try:
            await self.channel_layer.group_discard(name, self.channel_name)
        except Exception as exc:  # membership expires on its own (channels-redis group_expiry)
            logger.warning("could not leave %s (%s)", name, type(exc).__name__)

    async def leave_all(self) -> None:
        for name in list(self.groups):
            try:
                await self.channel_layer.group_discard(name, self.channel_name)
            except Exception as exc:  # membership expires on its own (channels-redis group_expiry)
                logger.warning("could not leave %s (%s)", name, type(exc).__name__)
        self.groups.clear()
