"""A real `manage.py serve` with OTEL_EXPORTER_OTLP_ENDPOINT set, as an operator runs it:
tracing starts with the process (smooth.asgi), HTTP requests are traced by their route
(probes are not), and what is still batched when it is stopped is exported before it exits."""

from __future__ import annotations

import asyncio

import httpx

from tests.e2e.live import WireClient, start_server
from tests.factories import AGENT_ID
from tests.observability.otlp_receiver import OtlpReceiver


def test_a_served_process_exports_its_turns_and_requests_and_flushes_them_when_stopped(tmp_path):
    receiver = OtlpReceiver().start()
    server = start_server(
        tmp_path,
        SMOOTH_AGENT_LLM="offline",
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        OTEL_BSP_SCHEDULE_DELAY="600000",  # nothing leaves before the process stops: its exit must flush
    )
    try:

        async def one_turn() -> dict:
            client = await WireClient.connect(server)
            session_id = (await client.request({"action": "create_conversation_session", "agentId": AGENT_ID}))["data"]["sessionId"]
            _, terminal = await client.turn(session_id, "how do I reset my password?")
            await client.close()
            return terminal

        assert asyncio.run(one_turn())["type"] == "eventual_response"
        base = f"http://127.0.0.1:{server.port}"
        assert httpx.get(f"{base}/embed").status_code == 200
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert receiver.received() == []  # still batched
    finally:
        server.stop()
        receiver.stop()
    assert server.process.returncode == 0, server.log()

    spans = receiver.received()
    assert {span.resource.get("service.name") for span in spans} == {"smooth"}
    (turn,) = [span for span in spans if span.name.startswith("invoke_agent")]
    expected = {"smooth.outcome": "answered", "smooth.agent.id": AGENT_ID, "smooth.request.id": "m"}
    assert {name: turn.attributes.get(name) for name in expected} == expected
    assert "gen_ai.request.model" not in turn.attributes  # offline: no model
    assert any(span.parent_id == turn.span_id and span.name == "stage knowledge.context" for span in spans)
    (page,) = [span for span in spans if span.name == "GET embed"]
    assert page.attributes["http.route"] == "embed" and page.parent_id is None
    assert not [span for span in spans if "healthz" in span.name]
