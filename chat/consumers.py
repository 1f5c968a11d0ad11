"""The /ws edge: accept, hand every raw frame to dispatch, relay backplane events.

Admission (connection and frame limits) is ASGI middleware of the limits app, around
this consumer (chat.routing), and the client's address comes with the scope
(core.clientip); a Redis outage is waited out by the channel layer (core.layers).
"""

from __future__ import annotations

import logging

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from chat import lifecycle, protocol
from chat.connection import Connection
from chat.errors import protocol_error
from chat.handlers import dispatch
from chat.i18n import socket_language

logger = logging.getLogger(__name__)
POLICY_VIOLATION = 1008


class ChatConsumer(AsyncJsonWebsocketConsumer):
    connection: Connection | None = None

    @property
    def live(self) -> Connection:
        """The connection, once `connect` made it (every frame and event comes after)."""
        assert self.connection is not None, "a frame before connect"
        return self.connection

    async def connect(self) -> None:
        if lifecycle.draining():  # a handshake that slipped in as the listener closed
            await self.close(code=lifecycle.GOING_AWAY)
            return
        refusal = self.scope.get("refusal")  # admission refused the handshake (limits.admission)
        if refusal is not None:
            await self.accept()
            await self._refuse(refusal, socket_language(self.scope))
            await self.close(code=POLICY_VIOLATION)
            return
        self.connection = Connection.from_scope(
            self.scope, channel_name=self.channel_name, channel_layer=self.channel_layer, send=self.send_json
        )
        await self.accept()
        lifecycle.opened(self)
        await self.connection.join_identity_groups()

    async def _refuse(self, refusal: Exception, language: str) -> None:
        """The refusal as its error event (chat.errors' table), correlated with no request."""
        error = protocol_error(refusal, language)
        assert error is not None
        await self.send_json(protocol.error(None, error.code, error.message))

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # Overrides the JSON consumer's receive, which raises on binary or
        # non-JSON frames (and Daphne then closes the socket): every raw frame
        # goes to dispatch, which answers bad ones with VALIDATION_ERROR.
        if self.connection is None:  # a refused handshake's frames, still in flight after its close
            return
        await dispatch(self.connection, text_data, bytes_data)

    async def admission_refused(self, message: dict) -> None:
        await self._refuse(message["refusal"], self.live.language)

    async def admission_closed(self, message: dict) -> None:
        await self.close(code=POLICY_VIOLATION)

    async def dispatch(self, message: dict) -> None:
        # Channels' dispatch first closes stale database connections on its one
        # ORM thread, for every message. That thread also runs every turn's
        # queries, so under load each frame (a ping included) waited behind them:
        # 400 ms at 200 busy sessions. Our handlers reach the database only through
        # database_sync_to_async, which closes stale connections around each call.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def backplane_event(self, message: dict) -> None:
        request_id = message.get("request_id")  # with the event's index, on a turn's events (chat.turns.events)
        if request_id is None or self.live.wants(request_id, message["index"], message["event"]):
            await self.send_json(message["event"])
        if request_id is not None:
            self.live.relayed(message["event"])

    async def disconnect(self, code: int) -> None:
        lifecycle.closed(self)
        if self.connection is not None:
            # Running turns carry on (their replies are stored); they stop sending.
            self.connection.closed = True
            await self.connection.leave_all()
