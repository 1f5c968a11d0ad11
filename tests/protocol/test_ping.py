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
