"""Test clients that speak the protocol and check every event against the spec."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

from channels.testing import WebsocketCommunicator

from smooth.asgi import application
from tests.spec import validate_event


class ProtocolClient:
    """A WebsocketCommunicator with JSON in and validated JSON out."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator

    async def send(self, frame: Any) -> None:
        # Raw ASGI messages: send_to() refuses an empty text frame.
        if isinstance(frame, bytes):
            message = {"type": "websocket.receive", "bytes": frame}
        else:
            message = {"type": "websocket.receive", "text": frame if isinstance(frame, str) else json.dumps(frame)}
        await self.communicator.send_input(message)

    async def receive(self, timeout: float = 5) -> dict:
        output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.send", f"socket did not send an event but {output}"
        event = json.loads(output["text"])
        validate_event(event)
        return event

    async def request(self, frame: Any, timeout: float = 5) -> dict:
        await self.send(frame)
        return await self.receive(timeout)

    async def assert_silent(self, timeout: float = 0.2) -> None:
        assert await self.communicator.receive_nothing(timeout), "an unexpected event arrived"

    async def assert_open(self) -> None:
        """The socket still answers: a ping gets its pong."""
        pong = await self.request({"action": "ping", "requestId": "still-open"})
        assert pong["type"] == "pong" and pong["requestId"] == "still-open"

    async def create_session(self, agent_id: str, **fields) -> dict:
        event = await self.request({"action": "create_conversation_session", "agentId": agent_id, **fields})
        assert event["type"] == "immediate_response", event
        return event["data"]


async def connect(
    origin: str | None = None, user_agent: str | None = None, token: str | None = None, lang: str | None = None
) -> ProtocolClient:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode("latin-1")))
    if user_agent is not None:
        headers.append((b"user-agent", user_agent.encode("latin-1")))
    query = urlencode({name: value for name, value in (("token", token), ("lang", lang)) if value is not None})
    path = f"/ws?{query}" if query else "/ws"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return ProtocolClient(communicator)


async def close_all(clients: list[ProtocolClient]) -> None:
    await asyncio.gather(*(client.communicator.disconnect() for client in clients), return_exceptions=True)
