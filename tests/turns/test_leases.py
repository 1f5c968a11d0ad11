"""One turn per session: the lease in Redis, shared by every process, and what happens
while Redis is away (this process's memory, one warning a minute)."""

from __future__ import annotations

import logging
import uuid

import pytest

from chat.turns import leases
from chat.turns.leases import Lease
from core.redis import redis_client

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there


def two_processes() -> tuple[leases.RedisLeases, leases.RedisLeases]:
    return leases.RedisLeases(leases.MemoryLeases()), leases.RedisLeases(leases.MemoryLeases())


@pytest.mark.redis
async def test_in_redis_one_process_holds_a_session_and_every_other_sees_it(machine_redis, settings):
    settings.SMOOTH_TURN_LEASE_SECONDS = 30
    here, there = two_processes()
    session_id, mine, theirs = uuid.uuid4(), Lease("m-1", "turns.here!a"), Lease("m-2", "turns.there!b")
    try:
        assert await here.acquire(session_id, mine)
        assert not await there.acquire(session_id, theirs)
        assert await there.current(session_id) == mine  # where a cancel from there goes
        assert not await there.renew(session_id, theirs)
        await there.release(session_id, theirs)  # not its lease: nothing happens
        assert await here.current(session_id) == mine
        assert 0 < await redis_client().pttl(f"smooth:turn-lease:{session_id}") <= 30_000  # it expires if nobody renews it
        assert await here.renew(session_id, mine)
        await here.release(session_id, mine)
        assert await there.acquire(session_id, theirs)  # free at once
    finally:
        await redis_client().delete(f"smooth:turn-lease:{session_id}")
        await redis_client().aclose()


async def test_with_redis_unreachable_leases_are_kept_in_memory_with_one_warning(settings, caplog):
    settings.REDIS_URL = UNREACHABLE
    caplog.set_level(logging.WARNING, logger="chat.turns.leases")
    store = leases.RedisLeases(leases.MemoryLeases())
    session_id, first, second = uuid.uuid4(), Lease("m-1", "c!1"), Lease("m-2", "c!1")
    assert await store.acquire(session_id, first)
    assert not await store.acquire(session_id, second)  # one turn per session, in this process
    assert await store.renew(session_id, first)
    await store.release(session_id, first)
    assert await store.acquire(session_id, second)
    assert caplog.text.count("Redis unreachable") == 1


@pytest.mark.redis
async def test_a_lease_taken_while_redis_was_away_still_holds_when_it_is_back(machine_redis, settings):
    store = leases.RedisLeases(leases.MemoryLeases())
    session_id, during, after = uuid.uuid4(), Lease("m-1", "c!1"), Lease("m-2", "c!1")
    settings.REDIS_URL = UNREACHABLE
    assert await store.acquire(session_id, during)
    settings.REDIS_URL = machine_redis  # Redis is back; the turn taken meanwhile runs on
    try:
        assert not await store.acquire(session_id, after)
        assert await store.current(session_id) == during
        await store.release(session_id, during)
        assert await store.acquire(session_id, after)
    finally:
        await redis_client().delete(f"smooth:turn-lease:{session_id}")
        await redis_client().aclose()
