"""The smaller leaks found on the way, each as found and as refused now, on real
processes: a JSON number that overflows, gateway streams of the wrong shape, a gateway
that echoes its key, failing and slow embeddings, and server paths in citations."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.e2e.live import start_server
from tests.fakegateway import FakeGateway
from tests.security.conftest import ACME, connect, received, row_counts, said

pytestmark = pytest.mark.live

KEY = "sk-live-smaller-leaks-0123456789"


def toy_embeddings(body: dict) -> tuple[int, dict]:
    return 200, {"data": [{"index": i, "embedding": [float("return" in text.lower()), 1.0, 0.1]} for i, text in enumerate(body["input"])]}


@pytest.fixture(scope="module")
def gateway():
    fake = FakeGateway().start()
    fake.routes["/embeddings"] = toy_embeddings
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def gateway_server(tmp_path_factory, gateway):
    workdir = tmp_path_factory.mktemp("gateway-server")
    server = start_server(
        workdir,
        SMOOAI_GATEWAY_URL=gateway.url,
        SMOOAI_GATEWAY_KEY=KEY,
        SMOOTH_AGENT_EMBEDDER="gateway",
        SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS="1",
        SMOOTH_AGENT_GATEWAY_RETRIES="0",
    )
    (workdir / "kb").mkdir()
    (workdir / "kb" / "returns.md").write_text("# Returns\n\nReturns are accepted within 17 days.")
    ingested = server.manage("kb_ingest", str(workdir / "kb"))
    assert ingested.returncode == 0, ingested.stderr
    yield server
    server.stop()


async def open_session(server, origin=None):
    client = await connect(server, origin=origin)
    return client, (await client.request({"action": "create_conversation_session", "agentId": ACME.agent}))["data"]["sessionId"]


async def test_a_number_that_overflows_to_infinity_is_a_validation_error(two_orgs):
    client = await connect(two_orgs, origin=ACME.site)
    before = row_counts(two_orgs)
    # Valid JSON (no NaN or Infinity token): Python reads it as infinity, which no database stores.
    event = await client.request(
        '{"action": "create_conversation_session", "requestId": "big", "agentId": "%s", "metadata": {"big": 1e400}}' % ACME.agent
    )
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": "frame holds a number too large to store (1e400)"}
    assert row_counts(two_orgs) == before
    assert (await client.request({"action": "ping"}))["type"] == "pong"
    assert "IntegrityError" not in two_orgs.log()


async def test_citations_name_sources_relative_to_the_ingested_folder_never_server_paths(two_orgs):
    client = await connect(two_orgs, origin=ACME.site)
    session_id = (await client.request({"action": "create_conversation_session", "agentId": ACME.agent}))["data"]["sessionId"]
    text, final = await client.turn(session_id, "when does the escalation desk open?")
    citations = final["data"]["data"]["citations"]
    assert [(citation["id"], citation["title"]) for citation in citations] == [("acme-hours.md", "Opening hours and escalation (acme)")]
    history = await client.request({"action": "get_conversation_messages", "sessionId": session_id})
    assert str(two_orgs.log_path.parent) not in said([text, final, history])  # the server's folders stay on the server


@pytest.mark.parametrize(
    "events",
    [
        [{"choices": [{"index": 0, "delta": ["not", "an", "object"]}]}],
        [{"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": "many"}}],
        [{"choices": "none"}],
    ],
    ids=["a malformed delta", "a non-numeric usage", "choices that are not a list"],
)
async def test_a_gateway_stream_of_the_wrong_shape_is_an_agent_error_not_an_internal_one(gateway_server, gateway, events):
    gateway.push({"kind": "raw", "events": [*events, "[DONE]"]})
    client, session_id = await open_session(gateway_server)
    _, final = await client.turn(session_id, "hello?")
    assert final["error"] == {
        "code": "AGENT_ERROR",
        "message": "the agent could not answer: its model service sent an answer it could not read; please try again",
    }
    assert (await client.request({"action": "ping"}))["type"] == "pong"
    assert "Traceback" not in gateway_server.log() and "INTERNAL_ERROR" not in said(final)


async def test_a_gateway_that_echoes_its_key_never_shows_it_to_the_visitor_or_the_log(gateway_server, gateway):
    gateway.push(
        {
            "kind": "raw",
            "events": [{"error": {"message": f"Incorrect API key provided: {KEY}. Find yours at example.com", "code": "invalid_api_key"}}],
        }
    )
    client, session_id = await open_session(gateway_server)
    _, final = await client.turn(session_id, "hello?")
    assert final["error"]["message"] == "the agent could not answer: its model service reported an error; please try again"
    assert "Incorrect API key provided: [redacted]" in gateway_server.log()
    assert KEY not in said(final) + gateway_server.log()


async def test_a_failing_embeddings_call_costs_the_ranking_not_the_turn(gateway_server, gateway):
    gateway.routes["/embeddings"] = lambda body: (500, {"error": {"message": f"boom {KEY}"}})
    try:
        gateway.push({"kind": "text", "text": "Within 17 days."})
        client, session_id = await open_session(gateway_server)
        _, final = await client.turn(session_id, "how long do I have for returns?")
    finally:
        gateway.routes["/embeddings"] = toy_embeddings
    assert final["type"] == "eventual_response", final
    assert [citation["id"] for citation in final["data"]["data"]["citations"]] == ["returns.md"]  # found by full text
    assert "query embedding failed (the gateway answered HTTP 500); ranking by full text alone" in gateway_server.log()
    assert KEY not in gateway_server.log()


async def test_a_slow_embeddings_call_stalls_no_other_socket(gateway_server, gateway):
    release, arrived = threading.Event(), threading.Event()

    def held(body):
        arrived.set()
        release.wait(10)
        return toy_embeddings(body)

    gateway.routes["/embeddings"] = held
    gateway.push({"kind": "text", "text": "Within 17 days."})
    try:
        client, session_id = await open_session(gateway_server)
        await client.socket.send('{"action": "send_message", "requestId": "slow", "sessionId": "%s", "message": "returns?"}' % session_id)
        assert (await client.receive())["status"] == 202
        assert await asyncio.to_thread(arrived.wait, 5)
        other = await connect(gateway_server)
        created = await other.request({"action": "create_conversation_session", "agentId": ACME.agent}, timeout=0.8)
        assert created["status"] == 200  # its database work did not wait behind the embedding
        final = [event for event in await received(client, 5) if event["type"] != "stream_token"]
    finally:
        release.set()
        gateway.routes["/embeddings"] = toy_embeddings
    assert [event["type"] for event in final] == ["eventual_response"]  # after the 1 s timeout, by full text
    assert "the gateway's /embeddings took longer than 1 s" in gateway_server.log()
