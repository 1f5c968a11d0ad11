"""A turn waiting on a tool or on a person keeps its sockets alive; a configured
preamble line goes out before a turn's tools, never into its answer."""

from __future__ import annotations

import time

import pytest

from chat.turns.tools import BaseTool
from tests.factories import AGENT_ID
from tests.helpers import send, text_of, until_terminal

pytestmark = pytest.mark.django_db(transaction=True)
SLOW_CALL = {"kind": "toolCall", "name": "slow_lookup", "arguments": "{}"}


class SlowLookup(BaseTool):
    name = "slow_lookup"
    description = "Takes a while."

    def call(self, arguments, context):
        time.sleep(0.45)
        return "found it"


slow_lookup = SlowLookup()


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-keepalive"
    settings.SMOOTH_AGENT_TOOLS = [f"{__name__}.slow_lookup"]
    settings.SMOOTH_KEEPALIVE_SECONDS = 0.1
    return fake_gateway


async def test_a_slow_tool_gets_keepalives_and_a_quick_answer_none(ws, gateway):
    gateway.push(SLOW_CALL, {"kind": "text", "text": "Here it is."}, {"kind": "text", "text": "Quick."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    events = await until_terminal(client)
    kinds = [event["type"] for event in events]
    call, result = kinds.index("stream_chunk"), len(kinds) - 1 - kinds[::-1].index("stream_chunk")
    keepalives = [event for event in events if event["type"] == "keepalive"]
    positions = [index for index, kind in enumerate(kinds) if kind == "keepalive"]
    assert len(positions) >= 2 and all(call < position < result for position in positions)  # only while the tool ran
    assert keepalives[0]["requestId"] == "m-1" and keepalives[0]["data"] == {"requestId": "m-1"}
    assert events[-1]["type"] == "eventual_response" and text_of(events) == "Here it is."

    await client.request(send(session_id, "m-2"))
    assert "keepalive" not in [event["type"] for event in await until_terminal(client)]


async def test_a_parked_turn_keeps_every_socket_alive_until_it_is_answered(ws, gateway, settings):
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["slow_*"]
    gateway.push(SLOW_CALL, {"kind": "text", "text": "Done."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    assert (await client.receive())["type"] == "write_confirmation_required"
    await client.receive()  # the call's chunk
    for _ in range(2):
        assert (await client.receive(timeout=2))["type"] == "keepalive"
    await client.request({"action": "confirm_tool_action", "requestId": "c", "sessionId": session_id, "approved": False})
    await until_terminal(client)
    if not await client.communicator.receive_nothing(0.15):  # one keepalive may have been on its way as the answer came
        assert (await client.receive())["type"] == "keepalive"
    await client.assert_silent(0.4)  # answered: no more keepalives


async def test_the_preamble_is_off_unless_configured_and_comes_before_the_tools(ws, gateway, settings):
    gateway.push(SLOW_CALL, {"kind": "text", "text": "Found it."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    assert "stream_preamble" not in [event["type"] for event in await until_terminal(client)]

    settings.SMOOTH_AGENT_PREAMBLE = "One moment, I am looking that up."
    gateway.push(SLOW_CALL, {"kind": "text", "text": "Found it again."}, {"kind": "text", "text": "No tools needed."})
    await client.request(send(session_id, "m-2"))
    events = [event for event in await until_terminal(client) if event["type"] != "keepalive"]
    assert [event["type"] for event in events[:2]] == ["stream_preamble", "stream_chunk"]
    assert events[0]["token"] == events[0]["data"]["token"] == "One moment, I am looking that up."
    assert events[-1]["data"]["data"]["response"]["responseParts"] == ["Found it again."]  # never part of the answer

    await client.request(send(session_id, "m-3"))
    assert "stream_preamble" not in [event["type"] for event in await until_terminal(client)]  # a plain answer needs none
