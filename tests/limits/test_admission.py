"""Admission at the socket (limits.admission, ASGI middleware around /ws), in process."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from core.shared import reset_process_state
from smooth.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_counters():
    reset_process_state()
    yield
    reset_process_state()


async def test_a_refused_socket_is_told_closed_and_its_late_frames_are_dropped(settings):
    settings.SMOOTH_LIMIT_SOCKETS_PER_IP = 1
    first = WebsocketCommunicator(application, "/ws")
    assert (await first.connect())[0]
    refused = WebsocketCommunicator(application, "/ws")
    assert (await refused.connect())[0]  # accepted, to be told why
    error = await refused.receive_json_from()
    assert error["type"] == "error" and error["error"]["code"] == "RATE_LIMITED", error
    assert (await refused.receive_output())["code"] == 1008
    await refused.send_json_to({"action": "ping", "requestId": "late"})  # already in flight when it closed
    assert await refused.receive_nothing(0.2)
    await refused.disconnect()  # raises if the consumer failed on the late frame
    await first.disconnect()

    again = WebsocketCommunicator(application, "/ws")  # the refused socket was never counted, the first one is gone
    assert (await again.connect())[0]
    await again.send_json_to({"action": "ping", "requestId": "p"})
    assert (await again.receive_json_from())["type"] == "pong"
    await again.disconnect()
