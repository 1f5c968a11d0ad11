import time

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_ping_answers_pong_with_the_same_timestamp_at_top_level_and_in_data(ws):
    client = await ws()
    before = time.time_ns() // 1_000_000
    pong = await client.request({"action": "ping", "requestId": "p-1"})
    after = time.time_ns() // 1_000_000

    assert pong == {"type": "pong", "requestId": "p-1", "timestamp": pong["timestamp"], "data": {"timestamp": pong["timestamp"]}}
    assert isinstance(pong["timestamp"], int)
    assert before <= pong["timestamp"] <= after


async def test_ping_without_request_id_has_no_request_id(ws):
    client = await ws()
    pong = await client.request({"action": "ping"})
    assert pong["type"] == "pong"
    assert "requestId" not in pong


async def test_a_ping_is_answered_while_the_orm_thread_is_busy(ws):
    """Frames must not wait for the one thread that runs every turn's queries
    (Channels' own dispatch hops there for every message)."""
    import asyncio
    import threading

    from asgiref.sync import sync_to_async

    client = await ws()
    release = threading.Event()
    blocker = asyncio.ensure_future(sync_to_async(release.wait)())  # occupies the thread-sensitive executor
    await asyncio.sleep(0.05)
    try:
        pong = await client.request({"action": "ping", "requestId": "p-busy"}, timeout=2)
        assert (pong["type"], pong["requestId"]) == ("pong", "p-busy")
    finally:
        release.set()
        await blocker
