"""Search indexes against a real `manage.py serve`: while a large organisation's index
builds or rebuilds, other sockets' database work (here, creating sessions) goes on at its
usual pace, and a turn of that organisation answers from the previous index meanwhile."""

from __future__ import annotations

import statistics
import time
import uuid

import pytest

from tests.e2e.live import WireClient, start_server

pytestmark = pytest.mark.live

CHUNKS = 60_000  # a rebuild of this many takes seconds (bench/knowledge_search.py: 0.43 s at 10,000)
FILL = f"""
import random
import numpy as np
from knowledge.models import Chunk, Document
from knowledge.services import bump_index_version

words = random.Random(7)
vocabulary = ["".join(words.choice("abcdefghijklmnop") for _ in range(7)) for _ in range(8000)]
vectors = np.random.default_rng(7)
for number in range({CHUNKS} // 200):
    document = Document.objects.create(
        organization_id="default", source=f"bulk/{{number}}.md", title=f"Bulk {{number}}", content="-", content_hash=str(number)
    )
    rows = vectors.standard_normal((200, 512)).astype("<f4")
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    Chunk.objects.bulk_create(
        Chunk(
            document=document,
            organization_id="default",
            position=position,
            text=" ".join(words.choices(vocabulary, k=40)),
            embedding=rows[position].tobytes(),
            embedding_model="use-multilingual-v3",
            embedding_dimensions=512,
        )
        for position in range(200)
    )
bump_index_version("default")
"""
BUILT = "built the full-text index of organisation default"


def bump(server) -> None:
    done = server.manage("shell", "-v", "0", "-c", "from knowledge.services import bump_index_version; bump_index_version('default')")
    assert done.returncode == 0, done.stderr


async def create_seconds(client, agent_id: str) -> float:
    started = time.perf_counter()
    created = await client.request({"action": "create_conversation_session", "agentId": agent_id})
    assert created["message"] == "Session created", created
    return time.perf_counter() - started


async def answered(client, session_id: str, message: str, timeout: float = 60) -> dict:
    ack = await client.request({"action": "send_message", "sessionId": session_id, "requestId": message, "message": message})
    assert ack["status"] == 202, ack
    event = await client.receive(timeout)
    while event["type"] not in ("eventual_response", "error"):
        event = await client.receive(timeout)
    return event


async def test_a_large_index_rebuilding_holds_up_no_other_socket(tmp_path):
    server = start_server(tmp_path / "s", SMOOTH_AGENT_LLM="offline")
    filled = server.manage("shell", "-v", "0", "-c", FILL)
    assert filled.returncode == 0, filled.stderr
    agent = str(uuid.uuid4())
    visitor, other = await WireClient.connect(server), await WireClient.connect(server)
    try:
        session_id = (await visitor.request({"action": "create_conversation_session", "agentId": agent}))["data"]["sessionId"]
        # The first search builds the organisation's indexes (on a search thread).
        assert (await answered(visitor, session_id, "first question"))["type"] == "eventual_response"
        assert BUILT in server.log()
        usual = statistics.median([await create_seconds(other, agent) for _ in range(5)])

        bump(server)  # another process changed the organisation's knowledge
        started = time.perf_counter()
        reply = await answered(visitor, session_id, "second question")
        assert reply["type"] == "eventual_response", reply  # from the previous index, not after the rebuild
        during = [await create_seconds(other, agent) for _ in range(5)]
        log = server.log()
        assert "building the full-text index of organisation default in the background" in log
        # The rebuild was still going when the last session was made: these ran beside it.
        assert log.count(BUILT) == 1, f"the rebuild ended within {time.perf_counter() - started:.2f} s: nothing was measured beside it"
        assert max(during) < max(0.5, 10 * usual), (usual, during)

        deadline = time.monotonic() + 60
        while server.log().count(BUILT) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.log().count(BUILT) == 2
    finally:
        await visitor.close()
        await other.close()
        server.stop()
