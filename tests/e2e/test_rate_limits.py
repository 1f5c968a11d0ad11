"""Rate limits against real `manage.py serve` processes: each limit reached and refused
with RATE_LIMITED and nothing stored, recovery after the window, a frame flood closed
with 1008, one limit shared by two processes through Redis, Redis stopped (fail open,
one warning), and X-Forwarded-For believed only from a trusted proxy."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid

import pytest
import websockets

from tests.e2e.live import WireClient, start_server
from tests.e2e.test_redis_faults import private_redis  # noqa: F401 - a fixture
from tests.e2e.test_two_processes import REDIS_URL

pytestmark = pytest.mark.live
AGENT = str(uuid.uuid4())


def offline(**limits) -> dict:
    return {"SMOOTH_AGENT_LLM": "offline", "SMOOTH_AGENT_SEED_KB": "1", **limits}


def rows(server, table: str) -> int:
    with sqlite3.connect(server.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def limited(event: dict, words: str) -> None:
    assert event["type"] == "error" and event["error"]["code"] == "RATE_LIMITED", event
    assert words in event["error"]["message"] and "try again in" in event["error"]["message"]


async def create(client, request_id="c") -> dict:
    return await client.request({"action": "create_conversation_session", "requestId": request_id, "agentId": AGENT})


async def message(client, session_id, request_id) -> dict:
    return await client.request({"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": "return window?"})


async def until_end(client) -> dict:
    event = await client.receive()
    while event["type"] not in ("eventual_response", "error"):
        event = await client.receive()
    return event


async def test_messages_per_session_are_refused_then_allowed_again(tmp_path):
    window = 6.0  # long enough for two offline turns on a loaded machine; the window opens at m-1
    server = start_server(tmp_path / "s", **offline(SMOOTH_LIMIT_MESSAGES_PER_SESSION=f"2/{window:g}s"))
    client = await WireClient.connect(server)
    try:
        session_id = (await create(client))["data"]["sessionId"]
        sent_first = time.monotonic()
        assert (await message(client, session_id, "m-1"))["status"] == 202
        window_ends_by = time.monotonic() + window  # m-1 was counted before its 202
        assert (await until_end(client))["type"] == "eventual_response"
        assert (await message(client, session_id, "m-2"))["status"] == 202
        assert (await until_end(client))["type"] == "eventual_response"
        refused = await message(client, session_id, "m-3")
        assert time.monotonic() - sent_first < window, "the machine was too slow to send three messages in one window"
        limited(refused, "too many messages")
        assert refused["requestId"] == "m-3" and rows(server, "chat_message") == 4  # two questions, two answers: m-3 not stored
        await asyncio.sleep(max(0.0, window_ends_by - time.monotonic()) + 0.1)  # the window ends
        assert (await message(client, session_id, "m-4"))["status"] == 202
        assert (await until_end(client))["type"] == "eventual_response"
    finally:
        await client.close()
        server.stop()


async def test_an_agents_own_limits_apply_to_its_sessions(tmp_path):
    server = start_server(tmp_path / "s", **offline())
    assert server.manage("agent", "create", "--org", "default", "--id", AGENT).returncode == 0
    set_limits = server.manage(
        "shell",
        "-c",
        f"from agents.models import Agent; Agent.objects.filter(id='{AGENT}').update(sessions_per_ip='2/h', messages_per_agent='1/h')",
    )
    assert set_limits.returncode == 0, set_limits.stderr
    client = await WireClient.connect(server)
    try:
        first, second = (await create(client, "c-1"))["data"]["sessionId"], (await create(client, "c-2"))["data"]["sessionId"]
        sessions = rows(server, "chat_session")
        limited(await create(client, "c-3"), "too many new conversations from your address")
        assert rows(server, "chat_session") == sessions == 2
        assert (await message(client, first, "m-1"))["status"] == 202
        await until_end(client)
        limited(await message(client, second, "m-2"), "too many messages")  # the agent's, across its sessions
    finally:
        await client.close()
        server.stop()


async def test_connections_and_open_sockets_per_address(tmp_path):
    server = start_server(tmp_path / "s", **offline(SMOOTH_LIMIT_SOCKETS_PER_IP="2", SMOOTH_LIMIT_CONNECTIONS_PER_IP="4/min"))
    try:
        first, second = await WireClient.connect(server), await WireClient.connect(server)
        third = await websockets.connect(server.ws_url)
        limited(json.loads(await asyncio.wait_for(third.recv(), 10)), "too many open connections")
        await asyncio.wait_for(third.wait_closed(), 10)
        assert third.close_code == 1008
        await first.close()
        await asyncio.sleep(0.3)
        fourth = await WireClient.connect(server)  # a socket closed frees its place
        assert (await fourth.request({"action": "ping", "requestId": "p"}))["type"] == "pong"
        fifth = await websockets.connect(server.ws_url)  # the fifth connection this minute
        limited(json.loads(await asyncio.wait_for(fifth.recv(), 10)), "too many new connections")
        await second.close()
        await fourth.close()
    finally:
        server.stop()


async def test_a_frame_flood_is_answered_once_a_window_then_closed_with_1008(tmp_path):
    server = start_server(tmp_path / "s", **offline(SMOOTH_LIMIT_FRAMES_PER_SOCKET="5/s", SMOOTH_FLOOD_CLOSE_AFTER="3"))
    client = await WireClient.connect(server)
    try:
        for index in range(40):
            await client.socket.send(json.dumps({"action": "ping", "requestId": f"p-{index}"}))
        answers = []
        while True:
            try:
                answers.append(json.loads(await asyncio.wait_for(client.socket.recv(), 2)))
            except TimeoutError:
                break
        assert [event["type"] for event in answers].count("pong") == 5
        assert [event.get("error", {}).get("code") for event in answers].count("RATE_LIMITED") == 1  # one, not one per frame
        await asyncio.sleep(1.1)
        assert (await client.request({"action": "ping", "requestId": "calm"}))["type"] == "pong"  # still open

        with pytest.raises(websockets.ConnectionClosed) as closed:  # the flood goes on, window after window
            for _ in range(60):
                for index in range(20):
                    await client.socket.send(json.dumps({"action": "ping", "requestId": f"f-{index}"}))
                await asyncio.sleep(0.2)
                while True:
                    try:
                        await asyncio.wait_for(client.socket.recv(), 0.01)
                    except TimeoutError:
                        break
        assert closed.value.rcvd.code == 1008
    finally:
        server.stop()


@pytest.mark.redis
async def test_two_processes_share_one_limit_through_redis(tmp_path):
    env = offline(REDIS_URL=REDIS_URL, SMOOTH_LIMIT_SESSIONS_PER_IP="3/h", DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    a = start_server(tmp_path / "a", **env)
    b = start_server(tmp_path / "b", **env)
    agent = str(uuid.uuid4())  # a key of its own in the machine's Redis
    on_a, on_b = await WireClient.connect(a), await WireClient.connect(b)
    try:
        frame = {"action": "create_conversation_session", "agentId": agent}
        answers = [await on_a.request(frame), await on_b.request(frame), await on_a.request(frame), await on_b.request(frame)]
        assert [answer["type"] for answer in answers] == ["immediate_response"] * 3 + ["error"]
        limited(answers[3], "too many new conversations")
    finally:
        await on_a.close()
        await on_b.close()
        a.stop()
        b.stop()


@pytest.mark.redis
async def test_with_redis_stopped_limits_fail_open_with_one_warning(tmp_path, private_redis):  # noqa: F811
    server = start_server(
        tmp_path / "s", **offline(REDIS_URL=f"redis://127.0.0.1:{private_redis['port']}/0", SMOOTH_LIMIT_MESSAGES_PER_SESSION="1/h")
    )
    client = await WireClient.connect(server)
    try:
        session_id = (await create(client))["data"]["sessionId"]
        assert (await message(client, session_id, "m-1"))["status"] == 202
        await until_end(client)
        limited(await message(client, session_id, "m-2"), "too many messages")
        private_redis["process"].terminate()
        private_redis["process"].wait(10)
        for request_id in ("m-3", "m-4"):  # nothing is refused while the counters are away, and the turn runs
            assert (await message(client, session_id, request_id))["status"] == 202
            assert (await until_end(client))["type"] == "eventual_response"
        assert server.log().count("rate limits: Redis unreachable") == 1
    finally:
        await client.close()
        server.stop()


async def test_x_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path):
    server = start_server(tmp_path / "s", **offline(SMOOTH_LIMIT_SESSIONS_PER_IP="1/h", SMOOTH_TRUSTED_PROXIES="127.0.0.1"))
    untrusted = start_server(tmp_path / "u", **offline(SMOOTH_LIMIT_SESSIONS_PER_IP="1/h"))
    try:

        async def from_address(target, address):
            socket = await websockets.connect(target.ws_url, additional_headers={"X-Forwarded-For": f"{address}, 10.9.9.9"})
            client = WireClient(socket)
            try:
                return await create(client)
            finally:
                await client.close()

        # Behind the trusted proxy (127.0.0.1) each visitor is the address the proxy saw.
        socket = await websockets.connect(server.ws_url, additional_headers={"X-Forwarded-For": "203.0.113.7"})
        first = WireClient(socket)
        assert (await create(first))["type"] == "immediate_response"
        limited(await create(first, "again"), "too many new conversations")
        await first.close()
        socket = await websockets.connect(server.ws_url, additional_headers={"X-Forwarded-For": "203.0.113.8"})
        other = WireClient(socket)
        assert (await create(other))["type"] == "immediate_response"  # another visitor behind the same proxy
        await other.close()

        # No trusted proxy: the header is the client's own claim, and changes nothing.
        assert (await from_address(untrusted, "198.51.100.1"))["type"] == "immediate_response"
        limited(await from_address(untrusted, "198.51.100.2"), "too many new conversations")
    finally:
        server.stop()
        untrusted.stop()
