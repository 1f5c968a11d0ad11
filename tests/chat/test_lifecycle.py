"""chat.lifecycle on the in-process app: what a shutdown does to sockets (the
real SIGTERM path through Daphne is tests/e2e/test_graceful_shutdown.py)."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from chat import lifecycle
from smooth.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def restore_lifecycle(monkeypatch):
    monkeypatch.setattr(lifecycle, "_draining", False)
    monkeypatch.setattr(lifecycle, "_live", set())


async def test_shutdown_closes_an_idle_socket_with_1001_and_refuses_new_ones(ws, restore_lifecycle):
    client = await ws()
    await client.assert_open()
    assert len(lifecycle._live) == 1

    await lifecycle.shutdown(deadline_seconds=5)

    assert await client.communicator.receive_output(2) == {"type": "websocket.close", "code": 1001}
    late = WebsocketCommunicator(application, "/ws")
    connected, code = await late.connect()
    assert (connected, code) == (False, 1001)
    await late.disconnect()


async def test_a_socket_that_disconnects_leaves_the_live_set(ws, restore_lifecycle):
    client = await ws()
    await client.assert_open()
    await client.communicator.disconnect()
    assert lifecycle._live == set()
