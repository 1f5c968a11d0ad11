"""Any process serves any session: two Daphne processes sharing PostgreSQL and
Redis, and a publish from a third process reaching sockets on both."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import time
import uuid

import psycopg
import pytest
import redis

from chat.backplane import group_name
from tests.e2e.live import (
    REPO,
    WireClient,
    free_port,
    listening,
    service_missing,
    start_server,
)
from tests.fakegateway import FakeGateway

pytestmark = [pytest.mark.live, pytest.mark.redis]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _subscribed_processes(group: str) -> int:
    # The pub/sub layer (the default) subscribes each process once to "asgi__group__<name>".
    return dict(redis.Redis.from_url(REDIS_URL).pubsub_numsub(f"asgi__group__{group}"))[f"asgi__group__{group}".encode()]


@pytest.fixture(scope="module")
def shared_database():
    if not (listening(5432) and listening(6379)):
        service_missing("PostgreSQL (5432) and Redis (6379) must run on 127.0.0.1")
    name = f"smooth_e2e_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def two_servers(shared_database, gateway, tmp_path_factory):
    env = {
        "DATABASE_URL": shared_database,
        "REDIS_URL": REDIS_URL,
        "SMOOAI_GATEWAY_URL": gateway.url,
        "SMOOAI_GATEWAY_KEY": "sk-two",
        "SMOOTH_AGENT_TOOLS": "tests.turns.scenario_tools.delete_record",
        "SMOOTH_AGENT_CONFIRM_TOOLS": "delete_*",
    }
    a = start_server(tmp_path_factory.mktemp("a"), **env)
    b = start_server(tmp_path_factory.mktemp("b"), **env)
    yield a, b
    a.stop()
    b.stop()


async def test_a_session_from_a_is_served_by_b_and_a_publish_reaches_both(two_servers, gateway):
    a, b = two_servers
    on_a = await WireClient.connect(a)
    on_b = await WireClient.connect(b)
    try:
        session_id = (await on_a.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]

        found = await on_b.request({"action": "get_session", "requestId": "g", "sessionId": session_id})
        assert (found["type"], found["data"]["sessionId"]) == ("immediate_response", session_id)

        gateway.push({"kind": "text", "text": "Answered by process B."})
        text, event = await on_b.turn(session_id, "hello")
        assert event["type"] == "eventual_response" and text == "Answered by process B."
        # The turn ran on B; its events reached A's socket too, the same ones (how many
        # token events the text came in depends on the coalescer's timing).
        watched = [await on_a.receive()]
        while watched[-1]["type"] == "stream_token":
            watched.append(await on_a.receive())
        assert "".join(e["token"] for e in watched[:-1]) == text and watched[-1] == event

        # on_a joined the session's group when it created it, on_b when it re-attached.
        note = {"type": "operator_note", "data": {"text": "from a third process"}}
        result = a.manage("chat_publish", "session", session_id, json.dumps(note))
        assert result.returncode == 0, result.stderr
        assert json.loads(await asyncio.wait_for(on_a.socket.recv(), 10)) == note
        assert json.loads(await asyncio.wait_for(on_b.socket.recv(), 10)) == note

        await on_a.close()
        for _ in range(50):  # A handles the close asynchronously
            if _subscribed_processes(group_name("session", session_id)) == 1:
                break
            await asyncio.sleep(0.1)
        assert _subscribed_processes(group_name("session", session_id)) == 1  # A left the group
        again = {"type": "operator_note", "data": {"text": "only B is left"}}
        assert b.manage("chat_publish", "session", session_id, json.dumps(again)).returncode == 0
        assert json.loads(await asyncio.wait_for(on_b.socket.recv(), 10)) == again
    finally:
        await on_b.close()


async def test_a_turn_parked_on_a_is_approved_through_b_and_finishes_there(two_servers, gateway):
    a, b = two_servers
    on_a = await WireClient.connect(a)
    on_b = await WireClient.connect(b)
    try:
        session_id = (await on_a.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]
        gateway.push({"kind": "toolCall", "name": "delete_record", "arguments": '{"id": "42"}'}, {"kind": "text", "text": "Deleted on B."})
        asked = len(gateway.requests)
        accepted = await on_a.request({"action": "send_message", "requestId": "p-1", "sessionId": session_id, "message": "delete 42"})
        assert accepted["status"] == 202
        prompt, call = await on_a.receive(), await on_a.receive()
        assert (prompt["type"], prompt["data"]["data"]["toolId"]) == ("write_confirmation_required", "delete_record")
        assert call["data"]["state"]["rawResponse"]["toolCall"]["name"] == "delete_record"
        await on_a.close()  # the visitor's tab on A is gone; nothing of the turn is held there

        found = await on_b.request({"action": "get_session", "requestId": "g", "sessionId": session_id})
        assert found["type"] == "immediate_response"
        busy = await on_b.request({"action": "send_message", "requestId": "p-2", "sessionId": session_id, "message": "hello?"})
        assert busy["error"]["code"] == "TURN_IN_PROGRESS"  # the parked turn holds the session in every process
        ack = await on_b.request({"action": "confirm_tool_action", "requestId": "c", "sessionId": session_id, "approved": True})
        assert (ack["status"], ack["data"]["approved"]) == (200, True)
        events = [await on_b.receive()]
        while events[-1]["type"] not in ("eventual_response", "error"):
            events.append(await on_b.receive())
        assert events[0]["data"]["state"]["rawResponse"]["toolResult"] == {
            "name": "delete_record",
            "isError": False,
            "result": "Record 42 deleted.",
        }
        assert events[-1]["type"] == "eventual_response" and events[-1]["requestId"] == "p-1"
        assert "".join(e["token"] for e in events if e["type"] == "stream_token") == "Deleted on B."
        assert len(gateway.requests) == asked + 2  # one call before parking, one after
    finally:
        await on_b.close()


async def test_readyz_reports_both_shared_services(two_servers):
    import httpx

    for server in two_servers:
        response = httpx.get(f"http://127.0.0.1:{server.port}/readyz")
        assert (response.status_code, response.json()["checks"]) == (200, {"database": "ok", "channelLayer": "ok"})


@pytest.fixture(scope="module")
def nginx(two_servers, tmp_path_factory):
    """deploy/nginx-smooth.conf in front of A and B, with only its ports changed."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which(binary):
        service_missing("nginx is not installed (apt install nginx-light)")
    a, b = two_servers
    port = free_port()
    workdir = tmp_path_factory.mktemp("nginx")
    site = (REPO / "deploy" / "nginx-smooth.conf").read_text()
    site = site.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{a.port};").replace(
        "server 127.0.0.1:8002;", f"server 127.0.0.1:{b.port};"
    )
    site = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", site)
    (workdir / "smooth.conf").write_text(site)
    temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    (workdir / "nginx.conf").write_text(
        f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log warn;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};"
        f" fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']}; scgi_temp_path {temp['scgi']};"
        f" include {workdir}/smooth.conf; }}\n"
    )
    process = subprocess.Popen([binary, "-c", str(workdir / "nginx.conf"), "-p", str(workdir)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while not listening(port):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "nginx did not listen"
        time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(10)


async def test_behind_the_readme_nginx_a_reconnect_on_the_other_process_carries_on(two_servers, nginx, gateway):
    import httpx
    import websockets

    a, b = two_servers
    shop = "https://shop.example.com"
    agent = str(uuid.uuid4())
    assert a.manage("widget_policy", "set", "--agent", agent, "--origin", shop).returncode == 0
    connects = [server.log().count("WSCONNECT /ws") for server in (a, b)]

    url = f"ws://127.0.0.1:{nginx}/ws"
    first = WireClient(await websockets.connect(url, origin=shop))
    second = WireClient(await websockets.connect(url, origin=shop))
    stranger = WireClient(await websockets.connect(url, origin="https://evil.example.com"))
    try:
        # Round robin put the first two sockets on different processes: no stickiness needed.
        # (Daphne logs a connection just after the handshake completes: wait for all three lines.)
        for _ in range(50):
            landed = [server.log().count("WSCONNECT /ws") - before for server, before in zip((a, b), connects)]
            if sum(landed) == 3:
                break
            await asyncio.sleep(0.1)
        assert landed in ([2, 1], [1, 2])
        session_id = (await first.request({"action": "create_conversation_session", "agentId": agent}))["data"]["sessionId"]
        found = await second.request({"action": "get_session", "requestId": "g", "sessionId": session_id})
        assert found["data"]["sessionId"] == session_id

        gateway.push({"kind": "slow", "text": "Streamed through nginx.", "delay": 0.05})
        text, final = await second.turn(session_id, "Hello?")
        assert text == "Streamed through nginx." and final["type"] == "eventual_response"
        watched = []  # the first socket, on the other process, watched the same turn
        while not watched or watched[-1]["type"] != "eventual_response":
            watched.append(await first.receive())
        assert "".join(e["token"] for e in watched if e["type"] == "stream_token") == text and watched[-1] == final

        note = {"type": "operator_note", "data": {"text": "to both"}}
        assert a.manage("chat_publish", "session", session_id, json.dumps(note)).returncode == 0
        assert json.loads(await asyncio.wait_for(first.socket.recv(), 10)) == note
        assert json.loads(await asyncio.wait_for(second.socket.recv(), 10)) == note

        # nginx passed each browser's Origin through: the policy refuses the stranger's.
        refused = await stranger.request({"action": "create_conversation_session", "agentId": agent})
        assert refused["error"]["code"] == "ORIGIN_NOT_ALLOWED"
        assert httpx.get(f"http://127.0.0.1:{nginx}/readyz").status_code == 200
    finally:
        for client in (first, second, stranger):
            await client.close()


async def test_an_auth_context_used_on_one_process_is_refused_by_the_other(two_servers):
    """The replay cache lives in the shared Redis: one process's accepted signature is
    refused by the other, for a new session and for re-attaching a verified one."""
    from widget_auth.signatures import sign_hmac_sha256

    a, b = two_servers
    shop, agent, secret = "https://verified.example.com", str(uuid.uuid4()), "two-process-secret"
    result = a.manage(
        "widget_policy", "set", "--agent", agent, "--origin", shop, "--scheme", "hmac-sha256", "--hmac-secret-file", "-", stdin=secret
    )
    assert result.returncode == 0, result.stderr
    now = int(time.time())
    context = {"userId": "vip", "signature": sign_hmac_sha256(secret, "vip", now, agent_id=agent, origin=shop), "timestamp": now}
    on_a, on_b = await WireClient.connect(a, origin=shop), await WireClient.connect(b, origin=shop)
    try:
        created = await on_a.request({"action": "create_conversation_session", "agentId": agent, "authContext": context})
        assert created["type"] == "immediate_response", created
        again = await on_b.request({"action": "create_conversation_session", "agentId": agent, "authContext": context})
        assert again["error"]["code"] == "AUTH_CONTEXT_INVALID"
        session_id = created["data"]["sessionId"]
        replayed = await on_b.request({"action": "get_session", "sessionId": session_id, "authContext": context})
        assert replayed["error"]["code"] == "SESSION_NOT_FOUND"
        later = now - 1  # a fresh context (signed a second apart: another signature)
        fresh = {"userId": "vip", "signature": sign_hmac_sha256(secret, "vip", later, agent_id=agent, origin=shop), "timestamp": later}
        assert (await on_b.request({"action": "get_session", "sessionId": session_id, "authContext": fresh}))["data"][
            "sessionId"
        ] == session_id
    finally:
        await on_a.close()
        await on_b.close()
