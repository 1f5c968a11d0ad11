"""The backplane across processes: a publish from the shell (its own process)
reaches sockets held by a Daphne process, through the machine's Redis."""

from __future__ import annotations

import asyncio
import json
import os
import uuid

import pytest
import redis

from chat.backplane import group_name
from tests.e2e.live import WireClient, listening, service_missing, start_server

pytestmark = [pytest.mark.live, pytest.mark.redis]

REDIS_URL = os.environ.get("SMOOTH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    if not listening(6379):
        service_missing("Redis is not running on 127.0.0.1:6379")
    # The core layer, whose group members are visible in Redis; the default pub/sub
    # layer runs in tests/e2e/test_two_processes.py and test_redis_faults.py.
    server = start_server(tmp_path_factory.mktemp("redis"), REDIS_URL=REDIS_URL, SMOOTH_CHANNEL_LAYER="core")
    yield server
    server.stop()


def _group_size(name: str) -> int:
    # channels-redis's core layer keeps a group's members in the sorted set "asgi:group:<name>".
    return redis.Redis.from_url(REDIS_URL).zcard(f"asgi:group:{name}")


async def _silent(client: WireClient, timeout: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(client.socket.recv(), timeout)
    except TimeoutError:
        return True
    return False


async def test_a_shell_publish_reaches_every_socket_of_the_session_and_stops_at_disconnect(redis_server):
    first = await WireClient.connect(redis_server)
    second = await WireClient.connect(redis_server)
    elsewhere = await WireClient.connect(redis_server)
    try:
        created = (await first.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]
        session_id = created["sessionId"]
        await second.request({"action": "get_session", "sessionId": session_id})
        await elsewhere.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())})
        event = {"type": "operator_note", "data": {"text": "hello from the shell", "n": [1, 2.5, None]}}

        result = redis_server.manage("chat_publish", "session", session_id, json.dumps(event))
        assert result.returncode == 0, result.stderr

        assert json.loads(await first.socket.recv()) == event
        assert json.loads(await second.socket.recv()) == event
        assert await _silent(elsewhere)

        assert _group_size(group_name("session", session_id)) == 2
        await first.close()
        await asyncio.sleep(0.5)  # the server handles the close asynchronously
        assert _group_size(group_name("session", session_id)) == 1

        again = {"type": "operator_note", "data": {"text": "second"}}
        assert redis_server.manage("chat_publish", "session", session_id, "-", stdin=json.dumps(again)).returncode == 0
        assert json.loads(await second.socket.recv()) == again
    finally:
        for client in (second, elsewhere):
            await client.close()


def test_publishing_to_an_unreachable_redis_fails_with_a_clear_message(redis_server):
    result = redis_server.manage("chat_publish", "session", str(uuid.uuid4()), '{"type": "x"}', REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "could not reach the channel layer" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_socket_quiet_for_longer_than_the_layers_blocking_pop_still_receives(redis_server):
    # redis-py 8 gives up a read after 5 s, as long as the core layer's blocking pop
    # waits: a quiet socket's receive failed, and a message popped then was lost.
    client = await WireClient.connect(redis_server)
    try:
        session_id = (await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]
        await asyncio.sleep(7)
        event = {"type": "operator_note", "data": {"text": "after a quiet spell"}}
        assert redis_server.manage("chat_publish", "session", session_id, json.dumps(event)).returncode == 0
        assert json.loads(await asyncio.wait_for(client.socket.recv(), 5)) == event
        assert "channel layer unreachable" not in redis_server.log()
    finally:
        await client.close()
