"""Turns of a session, on real `manage.py serve` processes with the fake gateway in
its slow mode: every socket live, one turn at a time, cancel from any socket, streams
that resume after a reconnect (on the same process, and on another one), and a
session freed when the process holding its turn is killed."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid

import psycopg
import pytest

from tests.e2e.live import WireClient, listening, service_missing, start_server
from tests.fakegateway import FakeGateway
from tests.helpers import send, text_of, until_terminal

pytestmark = pytest.mark.live
REPLY = "Returns are accepted within seventeen days of delivery, for a full refund, no questions asked."


@pytest.fixture(scope="module")
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


def gateway_env(gateway) -> dict:
    return {"SMOOAI_GATEWAY_URL": gateway.url, "SMOOAI_GATEWAY_KEY": "sk-session-turns"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, gateway):
    live = start_server(tmp_path_factory.mktemp("turns"), **gateway_env(gateway))
    yield live
    live.stop()


def replies_stored(server) -> list[str]:
    database = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT json_extract(content, '$.text') FROM chat_message WHERE direction = 'outbound' ORDER BY created_at"
            )
        ]


async def session_on(server) -> tuple[WireClient, str]:
    client = await WireClient.connect(server)
    created = await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())})
    return client, created["data"]["sessionId"]


async def attach(server, session_id: str, **extra) -> WireClient:
    client = await WireClient.connect(server)
    found = await client.request({"action": "get_session", "requestId": "attach", "sessionId": session_id, **extra})
    assert found["type"] == "immediate_response", found
    return client


async def silent(client, seconds: float = 1.0) -> bool:
    try:
        await asyncio.wait_for(client.socket.recv(), seconds)
    except TimeoutError:
        return True
    return False


async def test_two_sockets_on_one_session_get_the_same_tokens_in_the_same_order(server, gateway):
    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.03})
    first, session_id = await session_on(server)
    second = await attach(server, session_id)
    assert (await first.request(send(session_id, "t-1")))["status"] == 202
    here, there = await until_terminal(first, "t-1"), await until_terminal(second, "t-1")
    assert here == there and text_of(here) == REPLY and here[-1]["type"] == "eventual_response"


async def test_a_second_message_during_a_turn_from_either_socket_is_turn_in_progress(server, gateway):
    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.05})
    first, session_id = await session_on(server)
    second = await attach(server, session_id)
    assert (await first.request(send(session_id, "t-1")))["status"] == 202
    for client, request_id in ((first, "t-same"), (second, "t-other")):
        await client.socket.send(json.dumps(send(session_id, request_id, "and another thing")))
    for client, request_id in ((first, "t-same"), (second, "t-other")):
        events = await until_terminal(client, "t-1")
        (refused,) = [event for event in events if event.get("requestId") == request_id]
        assert refused["error"]["code"] == "TURN_IN_PROGRESS"
        assert text_of(events) == REPLY  # the running turn untouched


@pytest.mark.parametrize("canceller", ["sender", "other"])
async def test_cancel_from_either_socket_is_cancelled_on_both_and_stores_no_reply(server, gateway, canceller):
    before = replies_stored(server)
    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.2}, {"kind": "text", "text": "A fresh answer."})
    first, session_id = await session_on(server)
    second = await attach(server, session_id)
    assert (await first.request(send(session_id, "t-1")))["status"] == 202
    assert (await second.receive())["type"] == "stream_token"
    stopper = first if canceller == "sender" else second
    await stopper.socket.send(json.dumps({"action": "cancel", "requestId": "t-1", "sessionId": session_id}))
    for client in (first, second):
        events = await until_terminal(client, "t-1")
        assert (events[-1]["type"], events[-1]["status"], events[-1]["data"]) == ("cancelled", 499, {"requestId": "t-1", "status": 499})
        assert "eventual_response" not in [event["type"] for event in events]
    assert replies_stored(server) == before
    text, final = await first.turn(session_id, "Try again?", "t-2")
    assert (text, final["type"]) == ("A fresh answer.", "eventual_response")  # the next turn is accepted at once


async def test_a_stray_cancel_sends_nothing_and_the_socket_goes_on(server):
    client, session_id = await session_on(server)
    await client.socket.send('{"action": "cancel", "requestId": "nothing-runs"}')
    await client.socket.send('{"action": "cancel", "requestId": "nothing-runs", "sessionId": "%s"}' % session_id)
    assert await silent(client, 1.0)
    assert (await client.request({"action": "ping", "requestId": "p"}))["type"] == "pong"


async def kill_then_resume(server_of_turn, server_of_resume, gateway, after: int) -> None:
    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.05})
    client, session_id = await session_on(server_of_turn)
    assert (await client.request(send(session_id, "t-1")))["status"] == 202
    seen = [await client.receive() for _ in range(after)]
    await client.socket.close()  # the tab's connection drops mid-answer
    await asyncio.sleep(0.3)
    back = await attach(server_of_resume, session_id, resume={"requestId": "t-1", "eventsReceived": len(seen)})
    rest = await until_terminal(back, "t-1")
    return seen, rest, session_id


async def test_a_socket_killed_mid_answer_resumes_on_a_new_socket_with_nothing_twice(server, gateway):
    seen, rest, _ = await kill_then_resume(server, server, gateway, after=4)
    assert text_of(seen + rest) == REPLY == replies_stored(server)[-1]
    assert len({event["timestamp"] for event in seen + rest}) == len(seen + rest)  # no event seen twice
    assert rest[-1]["type"] == "eventual_response"


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory, gateway):
    if not (listening(5432) and listening(6379)):
        service_missing("PostgreSQL (5432) and Redis (6379) must run on 127.0.0.1")
    name = f"smooth_turns_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}", "REDIS_URL": "redis://127.0.0.1:6379/0", **gateway_env(gateway)}
    a, b = start_server(tmp_path_factory.mktemp("pa"), **env), start_server(tmp_path_factory.mktemp("pb"), **env)
    yield a, b
    a.stop()
    b.stop()
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.redis
async def test_the_new_socket_resumes_on_another_process(two_processes, gateway):
    a, b = two_processes
    seen, rest, _ = await kill_then_resume(a, b, gateway, after=3)
    assert text_of(seen + rest) == REPLY and rest[-1]["type"] == "eventual_response"
    assert len({event["timestamp"] for event in seen + rest}) == len(seen + rest)


@pytest.mark.redis
async def test_a_socket_on_another_process_cancels_the_turn(two_processes, gateway):
    a, b = two_processes
    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.2})
    on_a, session_id = await session_on(a)
    on_b = await attach(b, session_id)
    assert (await on_a.request(send(session_id, "t-x")))["status"] == 202
    assert (await on_b.receive())["type"] == "stream_token"  # the turn runs on A, B watches it live
    refused = await on_b.request(send(session_id, "t-y", "me too"))
    assert refused["error"]["code"] == "TURN_IN_PROGRESS"  # one turn per session, across processes
    await on_b.socket.send('{"action": "cancel", "requestId": "t-x", "sessionId": "%s"}' % session_id)
    for client in (on_a, on_b):
        assert (await until_terminal(client, "t-x"))[-1]["type"] == "cancelled"


@pytest.mark.redis
async def test_a_killed_process_frees_its_sessions_turn_once_the_lease_expires(tmp_path, gateway):
    if not listening(6379):
        service_missing("Redis (6379) must run on 127.0.0.1")
    env = {
        **gateway_env(gateway),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SMOOTH_TURN_LEASE_SECONDS": "3",
    }
    holder, other = start_server(tmp_path / "holder", **env), start_server(tmp_path / "other", **env)
    try:
        gateway.push({"kind": "slow", "text": REPLY, "delay": 1.0}, {"kind": "text", "text": "After the lease."})
        on_holder, session_id = await session_on(holder)
        assert (await on_holder.request(send(session_id, "t-held")))["status"] == 202
        assert (await on_holder.receive())["type"] == "stream_token"  # answering, lease held
        holder.process.kill()  # SIGKILL: no clean-up, the lease stays behind
        holder.process.wait()
        on_other = await attach(other, session_id)
        assert (await on_other.request(send(session_id, "t-early")))["error"]["code"] == "TURN_IN_PROGRESS"
        deadline = time.monotonic() + 10
        while True:
            ack = await on_other.request(send(session_id, "t-late"))
            if ack["type"] == "immediate_response":
                break
            assert ack["error"]["code"] == "TURN_IN_PROGRESS" and time.monotonic() < deadline, ack
            await asyncio.sleep(0.5)
        assert ack["status"] == 202
        assert text_of(await until_terminal(on_other, "t-late")) == "After the lease."
    finally:
        holder.stop()
        other.stop()


async def test_the_upstream_clients_cancel_settles_as_cancelled_with_nothing_after(server, gateway):
    from smooth_operator import SmoothAgentClient

    gateway.push({"kind": "slow", "text": REPLY, "delay": 0.1})
    client = SmoothAgentClient(server.ws_url, request_timeout=10, turn_timeout=30)
    unmatched = []
    client.on_event(unmatched.append)
    await client.connect()
    try:
        created = await client.create_conversation_session(agent_id=str(uuid.uuid4()))
        turn = client.send_message(session_id=str(created.session_id), message="Tell me about returns.")
        async for event in turn:
            if event.type == "stream_token":
                turn.cancel()
                break
        final = await turn
        assert turn.cancelled and final.type == "cancelled" and final.status == 499, final
        await asyncio.sleep(1.0)
        assert unmatched == []  # no token or eventual_response arrives after the stop
    finally:
        await client.disconnect()


async def test_a_raw_socket_with_a_bad_resume_gets_a_validation_error(server):
    client, session_id = await session_on(server)
    event = await client.request({"action": "get_session", "sessionId": session_id, "resume": {"requestId": "x", "eventsReceived": "all"}})
    assert event["error"]["code"] == "VALIDATION_ERROR"
