"""The upstream Python client (PyPI smooai-smooth-operator 1.66.0), unchanged, against a
real Smooth: it knows only `sessionId`, and a new connection of it re-attaches its session
(the same origin: it sends none), while one with another origin finds nothing."""

from __future__ import annotations

import pytest
from smooth_operator import ProtocolError, SmoothAgentClient

from tests.e2e.live import WireClient, start_server

pytestmark = pytest.mark.live
AGENT = "5e0e7a1c-0000-4000-8000-00000000abcd"


@pytest.fixture(scope="module")
def offline_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("upstream"), SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1")
    yield server
    server.stop()


async def test_the_upstream_client_re_attaches_from_a_new_connection_and_carries_on(offline_server):
    first = SmoothAgentClient(offline_server.ws_url, request_timeout=10, turn_timeout=30)
    await first.connect()
    created = await first.create_conversation_session(agent_id=AGENT, user_name="Upstream")
    final = await first.send_message(session_id=str(created.session_id), message="How long is the return window?")
    assert "17" in final.data.data.response["responseParts"][0]
    await first.disconnect()

    again = SmoothAgentClient(offline_server.ws_url, request_timeout=10, turn_timeout=30)
    await again.connect()
    try:
        found = await again.get_session(session_id=str(created.session_id))
        assert (found.session_id, found.agent_name) == (created.session_id, "Smooth")
        page = await again.get_messages(session_id=str(created.session_id))
        assert [message.direction for message in page.messages] == ["outbound", "inbound"]
        second = await again.send_message(session_id=str(created.session_id), message="And the shipping time?")
        assert second.data.status == 200
    finally:
        await again.disconnect()


async def test_from_another_origin_the_same_id_is_not_found_for_the_upstream_client_too(offline_server):
    client = SmoothAgentClient(offline_server.ws_url, request_timeout=10)
    await client.connect()
    created = await client.create_conversation_session(agent_id=AGENT)
    await client.disconnect()
    browser = await WireClient.connect(offline_server, origin="https://elsewhere.example")
    refused = await browser.request({"action": "get_session", "sessionId": str(created.session_id)})
    assert refused["error"]["code"] == "SESSION_NOT_FOUND"
    await browser.close()

    client = SmoothAgentClient(offline_server.ws_url, request_timeout=10)
    await client.connect()
    try:
        with pytest.raises(ProtocolError) as error:
            await client.get_session(session_id="00000000-0000-4000-8000-000000000000")
        assert error.value.code == "SESSION_NOT_FOUND"
    finally:
        await client.disconnect()
