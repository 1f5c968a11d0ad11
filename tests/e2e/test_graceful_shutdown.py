"""SIGTERM on a real `manage.py serve`: the listener closes at once, idle sockets
are closed with 1001, running turns finish and store their replies (then their
sockets close with 1001), and what outlives the deadline is cancelled cleanly."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid

import pytest
import websockets

from tests.e2e.live import WireClient, listening, start_server

pytestmark = pytest.mark.live

SLOW_REPLY = {"kind": "slow", "text": "Returns are accepted within 17 days of delivery, unused.", "delay": 0.25}  # about 2.5 s


def _serve(tmp_path, fake_gateway, deadline: int):
    return start_server(
        tmp_path / "smooth",
        SMOOAI_GATEWAY_URL=fake_gateway.url,
        SMOOAI_GATEWAY_KEY="test-key",
        SMOOTH_SHUTDOWN_DEADLINE_SECONDS=str(deadline),
    )


async def _session(client: WireClient) -> str:
    return (await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]


async def _turn_under_way(server) -> tuple[WireClient, str]:
    """A new client and session whose turn has begun streaming."""
    client = await WireClient.connect(server)
    session_id = await _session(client)
    await client.request({"action": "send_message", "requestId": "m1", "sessionId": session_id, "message": "How long do I have to return?"})
    assert (await client.receive())["type"] == "stream_token"
    return client, session_id


async def _closed_with(client: WireClient, timeout: float = 10) -> tuple[list[dict], int]:
    """Every event until the server closes the socket, and the close code."""
    events = []
    try:
        while True:
            events.append(json.loads(await asyncio.wait_for(client.socket.recv(), timeout)))
    except websockets.ConnectionClosed as closed:
        return events, closed.rcvd.code if closed.rcvd else None


def _stored(server, session_id: str) -> list[tuple[str, str]]:
    script = (
        "from chat.models import Message;"
        f"print(__import__('json').dumps([[m.direction, m.text] for m in Message.objects.filter(conversation__sessions__session_id='{session_id}').order_by('created_at')]))"
    )
    result = server.manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    return [tuple(row) for row in json.loads(result.stdout.strip().splitlines()[-1])]


async def test_sigterm_lets_running_turns_finish_then_closes_with_1001(tmp_path, fake_gateway):
    fake_gateway.push(SLOW_REPLY)
    server = _serve(tmp_path, fake_gateway, deadline=20)
    busy, idle, second_tab = await WireClient.connect(server), await WireClient.connect(server), await WireClient.connect(server)
    try:
        busy_session = await _session(busy)
        await _session(idle)
        attached = await second_tab.request({"action": "get_session", "requestId": "tab", "sessionId": busy_session})
        assert attached["status"] == 200
        ack = await busy.request(
            {"action": "send_message", "requestId": "m1", "sessionId": busy_session, "message": "How long do I have to return?"}
        )
        assert ack["status"] == 202
        first = await busy.receive()
        assert first["type"] == "stream_token"

        server.process.send_signal(signal.SIGTERM)

        # The idle socket goes at once, while the turn is still streaming.
        idle_events, idle_code = await _closed_with(idle, timeout=5)
        assert idle_code == 1001 and idle_events == []
        assert not await asyncio.to_thread(listening, server.port)

        # The busy socket gets the rest of its answer, then 1001.
        events, code = await _closed_with(busy)
        assert code == 1001
        assert [event["type"] for event in events][-1] == "eventual_response"
        streamed = first["token"] + "".join(event["token"] for event in events if event["type"] == "stream_token")
        assert streamed == SLOW_REPLY["text"]
        # So does every other socket of the session: the turn is the session's.
        tab_events, tab_code = await _closed_with(second_tab)
        assert tab_code == 1001
        assert [event["type"] for event in tab_events][-1] == "eventual_response"
        assert "".join(event["token"] for event in tab_events if event["type"] == "stream_token") == SLOW_REPLY["text"]
        assert await asyncio.to_thread(server.process.wait, 10) == 0
    finally:
        server.stop()

    assert _stored(server, busy_session) == [("inbound", "How long do I have to return?"), ("outbound", SLOW_REPLY["text"])]
    assert "Smooth stopped" in server.log()


async def test_a_turn_past_the_deadline_is_cancelled_with_one_error_and_no_reply(tmp_path, fake_gateway):
    fake_gateway.push({**SLOW_REPLY, "delay": 1.0})  # about 10 s, past a 1 s deadline
    server = _serve(tmp_path, fake_gateway, deadline=1)
    try:
        client, session_id = await _turn_under_way(server)
        server.process.send_signal(signal.SIGTERM)
        events, code = await _closed_with(client)
        assert code == 1001
        terminal = [event for event in events if event["type"] != "stream_token"]
        assert [(event["type"], event["error"]["code"]) for event in terminal] == [("error", "AGENT_ERROR")]
        assert "restarted" in terminal[0]["error"]["message"]
        assert await asyncio.to_thread(server.process.wait, 10) == 0
    finally:
        server.stop()

    assert _stored(server, session_id) == [("inbound", "How long do I have to return?")]


async def test_a_second_sigterm_stops_waiting_for_the_turns(tmp_path, fake_gateway):
    fake_gateway.push({**SLOW_REPLY, "delay": 1.0})  # about 10 s, well inside a 60 s deadline
    server = _serve(tmp_path, fake_gateway, deadline=60)
    try:
        client, _ = await _turn_under_way(server)
        server.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        assert server.process.poll() is None  # draining, waiting for the turn
        server.process.send_signal(signal.SIGTERM)
        events, code = await _closed_with(client, timeout=5)
        assert code == 1001
        assert [event["error"]["code"] for event in events if event["type"] == "error"] == ["AGENT_ERROR"]
        assert await asyncio.to_thread(server.process.wait, 5) == 0
    finally:
        server.stop()
    assert "signal again to stop now" in server.log()
