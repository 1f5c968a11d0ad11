"""Chat is the turn engine, handoff one of its stages: a server whose INSTALLED_APPS leave
handoff out (and the admin API with it) migrates, starts and answers turns, model and
budgets included, and has no inbox."""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import pytest
import websockets

from tests.e2e.live import WireClient, start_server

pytestmark = pytest.mark.live
AGENT_ID = "5e0e7a1c-0000-4000-8000-000000000001"


@asynccontextmanager
async def session_on(tmp_path, fake_gateway, settings_module: str, **env: str):
    """A server on `settings_module` answering with the fake gateway, a client, and a session of it."""
    server = start_server(
        tmp_path / "s", DJANGO_SETTINGS_MODULE=settings_module, SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-alone", **env
    )
    client = await WireClient.connect(server)
    try:
        created = await client.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT_ID})
        yield server, client, created["data"]["sessionId"]
    finally:
        await client.close()
        server.stop()


async def test_a_server_without_handoff_serves_turns(tmp_path, fake_gateway):
    fake_gateway.push({"kind": "text", "text": "Returns are accepted within 30 days."})
    async with session_on(tmp_path, fake_gateway, "tests.e2e.settings_without_handoff", SMOOTH_BUDGET_PER_SESSION="40 tokens") as (
        server,
        client,
        session_id,
    ):
        text, final = await client.turn(session_id, "I want to talk to a human about returns", "m-1")
        # No handoff stage: the words that would ask for a person go to the model like any others.
        assert (text, final["type"]) == ("Returns are accepted within 30 days.", "eventual_response"), final
        assert final["data"]["data"]["needsEscalation"] is False
        tools = [tool["function"]["name"] for tool in fake_gateway.requests[0].get("tools", [])]
        assert "escalate_to_human" not in tools and "knowledge_search" in tools
        # The budgets stage still runs: the call's 15 tokens are counted.
        spent = server.manage("shell", "-v", "0", "-c", "from limits.models import Spend; print(Spend.objects.get(scope='session').tokens)")
        assert spent.stdout.strip() == "15", spent.stderr
        # No inbox, page or socket.
        assert httpx.get(f"http://127.0.0.1:{server.port}/inbox/").status_code == 404
        with pytest.raises(websockets.exceptions.InvalidStatus):
            await websockets.connect(f"ws://127.0.0.1:{server.port}/ws/inbox", origin=f"http://127.0.0.1:{server.port}")


async def test_a_server_without_handoff_and_limits_serves_turns(tmp_path, fake_gateway):
    fake_gateway.push({"kind": "text", "text": "Returns are accepted within 30 days."})
    fake_gateway.push({"kind": "text", "text": "Yes, with the receipt."})
    # What limits would refuse: the second message, and any call past one token.
    limits = {"SMOOTH_LIMIT_MESSAGES_PER_SESSION": "1/min", "SMOOTH_BUDGET_PER_SESSION": "1 tokens"}
    async with session_on(tmp_path, fake_gateway, "tests.e2e.settings_chat_alone", **limits) as (server, client, session_id):
        first, _ = await client.turn(session_id, "How long do I have to return a chair?", "m-1")
        second, final = await client.turn(session_id, "And in store?", "m-2")
        assert (first, second, final["type"]) == ("Returns are accepted within 30 days.", "Yes, with the receipt.", "eventual_response")
        # No limits tables: limits' migrations never ran.
        tables = server.manage(
            "shell", "-v", "0", "-c", "from django.db import connection; print(sorted(connection.introspection.table_names()))"
        )
        assert "'chat_session'" in tables.stdout and "limits_" not in tables.stdout, tables.stdout + tables.stderr
