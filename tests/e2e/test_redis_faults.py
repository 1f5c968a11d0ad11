"""Redis goes away and comes back: sockets keep serving, publishing reports the
failure, and delivery resumes without restarting Smooth. Runs a private
redis-server on a free port, so the machine's own Redis is never touched."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import uuid

import pytest

from tests.e2e.live import WireClient, free_port, service_missing, start_server

pytestmark = [pytest.mark.live, pytest.mark.redis]


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    return process


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    port = free_port()
    state = {"port": port, "process": start_redis(port)}
    yield state
    state["process"].terminate()
    state["process"].wait(10)


@pytest.mark.parametrize("layer", ["pubsub", "core"])
async def test_sockets_survive_a_redis_outage_and_delivery_resumes(private_redis, tmp_path, layer):
    port = private_redis["port"]
    server = start_server(
        tmp_path / "smooth",
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        SMOOTH_CHANNEL_LAYER=layer,
        SMOOTH_AGENT_LLM="offline",
        SMOOTH_AGENT_SEED_KB="1",
    )
    client = await WireClient.connect(server)
    try:
        session_id = (await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]
        assert server.manage("chat_publish", "session", session_id, '{"type": "before"}').returncode == 0
        assert json.loads(await asyncio.wait_for(client.socket.recv(), 10))["type"] == "before"

        private_redis["process"].terminate()
        private_redis["process"].wait(10)
        down = server.manage("chat_publish", "session", session_id, '{"type": "during"}')
        assert down.returncode != 0 and "could not reach the channel layer" in down.stderr

        # The socket keeps serving its own actions, a whole turn included.
        assert (await client.request({"action": "ping", "requestId": "p"}))["type"] == "pong"
        _, final = await client.turn(session_id, "How long is the return window?")
        assert final["type"] == "eventual_response" and "17 days" in final["data"]["data"]["response"]["responseParts"][0]

        private_redis["process"] = start_redis(port)  # back, and empty: every membership is gone
        for _ in range(40):  # the socket rejoins its groups within its back-off (at most 10 s)
            assert server.manage("chat_publish", "session", session_id, '{"type": "after"}').returncode == 0
            try:
                received = json.loads(await asyncio.wait_for(client.socket.recv(), 1))
            except TimeoutError:
                continue
            assert received["type"] == "after"
            break
        else:
            pytest.fail("delivery did not resume after Redis came back")
        log = server.log()
        if layer == "pubsub":  # its receive task logs a traceback a second while Redis is down: one is kept
            assert log.count("Unexpected exception in receive task") == 1
        if layer == "core":  # its receive fails while Redis is down; core.layers retries and rejoins
            assert "channel layer reachable again" in log
            assert log.count("channel layer unreachable") == 1  # one warning for the outage, not one per retry
    finally:
        await client.close()
        server.stop()
