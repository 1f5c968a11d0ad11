"""The /ws edge: accept, hand every raw frame to dispatch, relay backplane events."""
from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from chat.connection import Connection
from chat.handlers import dispatch


class ChatConsumer(AsyncJsonWebsocketConsumer):
    connection: Connection | None = None

    async def connect(self) -> None:
        self.connection = Connection.from_scope(
            self.scope, channel_name=self.channel_name, channel_layer=self.channel_layer, send=self.send_json
        )
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # Overrides the JSON consumer's receive, which raises on binary or
        # non-JSON frames (and Daphne then closes the socket): every raw frame
        # goes to dispatch, which answers bad ones with VALIDATION_ERROR.
        await dispatch(self.connection, text_data, bytes_data)

    async def backplane_event(self, message: dict) -> None:
        await self.send_json(message["event"])

    async def disconnect(self, code: int) -> None:
        if self.connection is not None:
            # Running turns carry on (their replies are stored); they stop sending.
            self.connection.closed = True
            await self.connection.leave_all()
