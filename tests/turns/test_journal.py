"""A turn's journal in Redis: shared, bounded in time, and never a stream with a hole
when Redis fails (the turn goes on, unresumable, with one warning a minute)."""

from __future__ import annotations

import logging
import uuid

import pytest

from chat.turns import journal
from core.redis import redis_client


@pytest.mark.redis
async def test_in_redis_a_turn_is_kept_in_order_and_expires_after_its_retention(machine_redis):
    session_id, request_id = uuid.uuid4(), "r-1"
    turn = journal.Journal(session_id, request_id)
    try:
        for index in range(3):
            assert await turn.append({"type": "stream_token", "token": f"t{index}"}) == index
        await turn.append({"type": "cancelled", "requestId": request_id})
        events = await journal.missed(session_id, request_id, 1)
        assert [event.get("token") for event in events] == ["t1", "t2", None]
        assert events[-1]["type"] == "cancelled"
        ttl = await redis_client().ttl(journal._key(session_id, request_id))
        assert 0 < ttl <= journal.RETAIN_SECONDS
        assert await journal.missed(session_id, "another-turn", 0) is None
    finally:
        await redis_client().delete(journal._key(session_id, request_id))
        await redis_client().aclose()


async def test_with_redis_unreachable_a_turn_is_numbered_but_not_resumable_with_one_warning(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    caplog.set_level(logging.WARNING, logger="chat.turns.journal")
    for request_id in ("r-1", "r-2"):
        turn = journal.Journal("s-1", request_id)
        assert [await turn.append({"type": "stream_token", "token": str(index)}) for index in range(3)] == [0, 1, 2]
        assert await journal.missed("s-1", request_id, 0) is None  # the client re-reads the history
    assert caplog.text.count("turn journal unavailable") == 1
