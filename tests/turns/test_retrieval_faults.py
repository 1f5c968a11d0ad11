"""The gateway's /embeddings and /rerank at turn time: a failure only costs the ranking,
never the turn. (A slow /embeddings holding no other socket is tests/security/test_smaller_leaks.py.)"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.helpers import turn
from tests.httpserver import Reply
from tests.knowledge.kb import add
from tests.turns.test_turns import open_session

pytestmark = pytest.mark.django_db(transaction=True)


def toy_embeddings(request) -> Reply:
    texts = request.json()["input"]
    return Reply(
        200,
        {"data": [{"index": i, "embedding": [float("return" in t.lower()), float("ship" in t.lower()), 0.1]} for i, t in enumerate(texts)]},
    )


@pytest.fixture
def gateway_embedder(settings, http_server):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = http_server.url, "sk-embed-secret"
    settings.SMOOTH_AGENT_EMBEDDER, settings.SMOOTH_AGENT_LLM = "gateway", "offline"
    settings.SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS = 1
    http_server.routes["/embeddings"] = toy_embeddings
    return http_server


async def knowledge():
    await database_sync_to_async(add)("default", "returns.md", "# Returns\n\nReturns are accepted within 17 days of delivery.")
    await database_sync_to_async(add)("default", "shipping.md", "# Shipping\n\nWe ship to 40 countries.")


@pytest.mark.parametrize(
    "reply",
    [Reply(500, "boom"), Reply(200, "not json"), Reply(200, {"data": [{"index": 0, "embedding": "x"}]})],
    ids=["500", "not JSON", "not vectors"],
)
async def test_a_failing_embeddings_call_falls_back_to_full_text_and_the_turn_goes_on(ws, gateway_embedder, caplog, reply):
    await knowledge()
    gateway_embedder.routes["/embeddings"] = reply
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "how many days for returns?")
    final = events[-1]
    assert final["type"] == "eventual_response", final
    assert "17 days" in final["data"]["data"]["response"]["responseParts"][0]
    assert [citation["id"] for citation in final["data"]["data"]["citations"]] == ["returns.md"]
    assert "query embedding failed" in caplog.text and "ranking by full text alone" in caplog.text
    assert "sk-embed-secret" not in caplog.text


async def test_a_failing_rerank_keeps_the_fused_order_in_a_turn(ws, gateway_embedder, settings, caplog):
    settings.SMOOTH_AGENT_RERANK = "gateway"
    await knowledge()
    gateway_embedder.routes["/rerank"] = Reply(503, "busy")
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "how many days for returns?")
    assert events[-1]["type"] == "eventual_response"
    assert "gateway rerank failed (the gateway answered HTTP 503); keeping the fused order" in caplog.text
