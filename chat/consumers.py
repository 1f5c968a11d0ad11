"""The /ws edge: accept, hand every raw frame to dispatch, relay backplane events."""
from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.consumer import get_handler_name

from chat.connection import Connection
from chat.handlers import dispatch


class ChatConsumer(AsyncJsonWebsocketConsumer):
    connection: Connection | None = None

    async def connect(self) -> None:
        self.connection = Connection.from_scope(
            self.scope, channel_name=self.channel_name, channel_layer=self.channel_layer, send=self.send_json
        )
        await self.accept()
        await self.connection.join_identity_groups()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # Overrides the JSON consumer's receive, which raises on binary or
        # non-JSON frames (and Daphne then closes the socket): every raw frame
        # goes to dispatch, which answers bad ones with VALIDATION_ERROR.
        await dispatch(self.connection, text_data, bytes_data)

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
        await self.send_json(message["event"])

    async def disconnect(self, code: int) -> None:
        if self.connection is not None:
            # Running turns carry on (their replies are stored); they stop sending.
            self.connection.closed = True
            await self.connection.leave_all()
