"""A real Daphne process on a real socket, a real WebSocket client, real Origin headers."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import websockets

from tests.e2e.conftest import ED25519_AGENT, HMAC_AGENT, HMAC_SECRET, SHOP
from tests.e2e.live import WireClient
from widget_auth.signatures import sign_ed25519, sign_hmac_sha256

pytestmark = pytest.mark.live


async def create(server, agent_id, origin=None, **fields) -> dict:
    client = await WireClient.connect(server, origin)
    try:
        return await client.request({"action": "create_conversation_session", "requestId": "c", "agentId": agent_id, **fields})
    finally:
        await client.close()


def outcome(event: dict) -> str:
    return "ok" if event["type"] == "immediate_response" and event["status"] == 200 else event["error"]["code"]


@pytest.mark.parametrize(
    "origin, expected",
    [
        (SHOP, "ok"),
        ("https://evil.example.net", "ORIGIN_NOT_ALLOWED"),
        ("http://shop.example.com", "ORIGIN_NOT_ALLOWED"),
        (None, "ORIGIN_NOT_ALLOWED"),
    ],
)
async def test_exact_origin_policy(smooth_server, origin, expected):
    assert outcome(await create(smooth_server, ED25519_AGENT, origin)) == expected


@pytest.mark.parametrize(
    "origin, expected",
    [
        ("https://good.example.com", "ok"),
        ("https://a.good.example.com", "ok"),
        ("https://A.GOOD.EXAMPLE.COM", "ok"),
        ("https://good.example.com.evil.test", "ORIGIN_NOT_ALLOWED"),
        ("https://evilgood.example.com", "ORIGIN_NOT_ALLOWED"),
        ("http://a.good.example.com", "ORIGIN_NOT_ALLOWED"),
        ("https://a.good.example.com:8443", "ORIGIN_NOT_ALLOWED"),
    ],
)
async def test_host_wildcard_edge_cases(smooth_server, origin, expected):
    assert outcome(await create(smooth_server, HMAC_AGENT, origin)) == expected


async def test_an_agent_without_a_policy_is_allowed_without_strict_mode(smooth_server):
    assert outcome(await create(smooth_server, str(uuid.uuid4()))) == "ok"


@pytest.mark.parametrize(
    "agent_id, origin, expected",
    [
        ("6a1d0c2e-4b7f-4e8a-9d3c-2f5e8b1a7c94", SHOP, "AGENT_NOT_AUTHORIZED"),
        (ED25519_AGENT, SHOP, "ok"),
        (ED25519_AGENT, None, "ORIGIN_NOT_ALLOWED"),
    ],
)
async def test_strict_mode(strict_server, agent_id, origin, expected):
    assert outcome(await create(strict_server, agent_id, origin)) == expected


def _ed25519(keys, user_id, timestamp, signed_user=None):
    return {"userId": user_id, "signature": sign_ed25519(keys["private"], signed_user or user_id, timestamp), "timestamp": timestamp}


def _hmac(secret, user_id, timestamp, signed_user=None):
    return {"userId": user_id, "signature": sign_hmac_sha256(secret, signed_user or user_id, timestamp), "timestamp": timestamp}


AUTH_CASES = {
    "good": (lambda sign, now: sign("alice", now), "ok"),
    "stale by 61 s": (lambda sign, now: sign("alice", now - 61), "AUTH_CONTEXT_INVALID"),
    "61 s in the future": (lambda sign, now: sign("alice", now + 61), "AUTH_CONTEXT_INVALID"),
    "tampered user id": (lambda sign, now: sign("mallory", now, signed_user="alice"), "AUTH_CONTEXT_INVALID"),
    "garbage signature": (lambda sign, now: {"userId": "alice", "signature": "%%%garbage%%%", "timestamp": now}, "AUTH_CONTEXT_INVALID"),
}


@pytest.mark.parametrize("case", list(AUTH_CASES))
async def test_ed25519_auth_context(smooth_server, host_keys, case):
    build, expected = AUTH_CASES[case]
    auth_context = build(lambda user, ts, signed_user=None: _ed25519(host_keys, user, ts, signed_user), int(time.time()))
    event = await create(smooth_server, ED25519_AGENT, SHOP, authContext=auth_context)
    assert outcome(event) == expected, event


@pytest.mark.parametrize("case", list(AUTH_CASES))
async def test_hmac_auth_context(smooth_server, case):
    build, expected = AUTH_CASES[case]
    auth_context = build(lambda user, ts, signed_user=None: _hmac(HMAC_SECRET, user, ts, signed_user), int(time.time()))
    event = await create(smooth_server, HMAC_AGENT, "https://good.example.com", authContext=auth_context)
    assert outcome(event) == expected, event
    assert HMAC_SECRET not in json.dumps(event)


async def test_wrong_keys_are_refused_for_both_schemes(smooth_server):
    from widget_auth.signatures import generate_ed25519_key_pair

    now = int(time.time())
    other_private, _ = generate_ed25519_key_pair()
    wrong_ed = await create(smooth_server, ED25519_AGENT, SHOP, authContext=_ed25519({"private": other_private}, "alice", now))
    wrong_hmac = await create(smooth_server, HMAC_AGENT, "https://good.example.com", authContext=_hmac("not-the-secret", "alice", now))
    assert outcome(wrong_ed) == outcome(wrong_hmac) == "AUTH_CONTEXT_INVALID"


async def test_bad_frames_on_the_wire_keep_the_socket_open(smooth_server):
    client = await WireClient.connect(smooth_server)
    try:
        for frame, message in [
            (b"\x00\x01binary", "binary frames are not supported: send one JSON object per text frame"),
            ("{not json", "frame is not valid JSON"),
            ("[]", "frame must be a JSON object, not an array"),
            ('{"action": "ping", "pad": "' + "x" * (1024 * 1024) + '"}', None),
        ]:
            event = await client.request(frame)
            assert event["error"]["code"] == "VALIDATION_ERROR"
            assert message is None or event["error"]["message"] == message
            assert (await client.request({"action": "ping", "requestId": "p"}))["type"] == "pong"
    finally:
        await client.close()


async def test_a_frame_beyond_the_transport_limit_closes_only_that_socket(smooth_server):
    """Above SMOOTH_WS_MAX_MESSAGE_BYTES (4 MiB) Daphne itself drops the socket (the
    one case where bad input closes a connection, documented); the server serves on."""
    client = await WireClient.connect(smooth_server)
    with pytest.raises(websockets.ConnectionClosed):
        await client.socket.send("x" * (5 * 1024 * 1024))
        await client.socket.recv()
    other = await WireClient.connect(smooth_server)
    try:
        assert (await other.request({"action": "ping"}))["type"] == "pong"
    finally:
        await other.close()


async def test_a_session_is_found_from_another_connection_and_send_message_is_answered(smooth_server):
    first = await WireClient.connect(smooth_server)
    created = (await first.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]
    await first.close()
    second = await WireClient.connect(smooth_server)
    try:
        found = await second.request({"action": "get_session", "requestId": "g", "sessionId": created["sessionId"]})
        assert found["data"]["conversationId"] == created["conversationId"]
        turn = await second.request({"action": "send_message", "requestId": "m", "sessionId": created["sessionId"], "message": "hi"})
        assert (turn["requestId"], turn["error"]["code"]) == ("m", "LLM_UNAVAILABLE")
    finally:
        await second.close()


def test_the_chat_page_its_assets_and_admin_login_are_served(smooth_server):
    import urllib.request

    base = f"http://127.0.0.1:{smooth_server.port}"
    with urllib.request.urlopen(f"{base}/") as response:
        assert 'id="smooth-chat"' in response.read().decode()
    with urllib.request.urlopen(f"{base}/admin/login/") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{base}/static/admin/css/base.css") as response:
        assert response.status == 200
    # The widget's modules are imported by pages on other origins: they need CORS and a JavaScript type.
    with urllib.request.urlopen(f"{base}/static/smooth/ui.js") as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Content-Type"].startswith("text/javascript")


def test_the_server_seeds_the_demo_knowledge_at_start_when_asked(tmp_path):
    from tests.e2e.live import start_server

    server = start_server(tmp_path / "seeded", SMOOTH_AGENT_SEED_KB="1")
    try:
        assert "demo knowledge seeded for default: 4 added" in server.log()
        result = server.manage("kb_search", "How long is the return window?", "--limit", "1")
        assert result.returncode == 0, result.stderr
        assert "Returns policy" in result.stdout and "17 days" in result.stdout
    finally:
        server.stop()


async def test_offline_mode_answers_from_the_seeded_knowledge_on_a_real_server(tmp_path):
    from tests.e2e.live import start_server

    server = start_server(tmp_path / "offline", SMOOTH_AGENT_SEED_KB="1", SMOOTH_AGENT_LLM="offline")
    client = await WireClient.connect(server)
    try:
        session_id = (await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]
        streamed, event = await client.turn(session_id, "How long is the return window?")
        assert event["type"] == "eventual_response", event
        reply = event["data"]["data"]["response"]["responseParts"][0]
        assert streamed == reply and "17 days" in reply
        assert event["data"]["data"]["citations"][0]["title"] == "Returns policy"
    finally:
        await client.close()
        server.stop()
