"""One turn per session: the lease in Redis, shared by every process, and what happens
while Redis is away (this process's memory, one warning a minute)."""

from __future__ import annotations

import logging
import uuid

import pytest

from chat.turns import leases
from chat.turns.leases import Lease
from core.redis import redis_client
from core.windows import KEY_PREFIX, Window

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


def windows_of(session_id) -> tuple[Window, Window]:
    return Window(f"t:{session_id}:enforced", 2, 60), Window(f"t:{session_id}:reported", 1, 60, enforced=False)


@pytest.mark.parametrize("store_kind", ["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def test_a_message_is_counted_with_its_lease_and_an_exceeded_enforced_window_keeps_the_lease_free(store_kind, request):
    if store_kind == "redis":
        request.getfixturevalue("machine_redis")
        store = leases.RedisLeases(leases.MemoryLeases())
    else:
        store = leases.MemoryLeases()
    session_id = uuid.uuid4()
    enforced, reported = windows_of(session_id)
    try:
        taken, counted = await store.acquire_counting(session_id, Lease("m-1", "c!1"), [enforced, reported])
        assert taken and [(each.hits, each.exceeded) for each in counted] == [(1, False), (1, False)]
        assert await store.current(session_id) == Lease("m-1", "c!1") and await store.renew(session_id, Lease("m-1", "c!1"))
        await store.release(session_id, Lease("m-1", "c!1"))
        # Over the report-only window: counted as exceeded, and the lease is taken all the same.
        taken, counted = await store.acquire_counting(session_id, Lease("m-2", "c!1"), [enforced, reported])
        assert taken and [(each.hits, each.exceeded) for each in counted] == [(2, False), (2, True)]
        assert 59 < counted[0].left <= 60
        await store.release(session_id, Lease("m-2", "c!1"))
        # Over the enforced window: counted, and the lease is not taken.
        taken, counted = await store.acquire_counting(session_id, Lease("m-3", "c!1"), [enforced, reported])
        assert not taken and [(each.hits, each.blocks) for each in counted] == [(3, True), (3, False)]
        assert await store.current(session_id) is None
        # The session busy with a turn: its message is counted, and finds the lease taken.
        assert await store.acquire(session_id, Lease("m-4", "c!1"))
        taken, counted = await store.acquire_counting(session_id, Lease("m-5", "c!1"), [reported])
        assert not taken and counted[0].hits == 4
        assert await store.current(session_id) == Lease("m-4", "c!1")
    finally:
        if store_kind == "redis":
            await redis_client().delete(f"smooth:turn-lease:{session_id}", *(KEY_PREFIX + w.key for w in (enforced, reported)))
            await redis_client().aclose()


@pytest.mark.redis
async def test_counting_a_message_and_taking_its_lease_is_one_redis_call(machine_redis, monkeypatch):
    store = leases.RedisLeases(leases.MemoryLeases())
    client = redis_client()
    calls = []
    for name in ("eval", "evalsha", "set", "get", "incr", "execute_command"):
        original = getattr(client, name)

        async def counted_call(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return await _original(*args, **kwargs)

        monkeypatch.setattr(client, name, counted_call)
    session_id = uuid.uuid4()
    enforced, reported = windows_of(session_id)
    try:
        taken, _ = await store.acquire_counting(session_id, Lease("m-1", "c!1"), [enforced, reported])
        assert taken and calls.count("eval") == 1 and len([call for call in calls if call != "execute_command"]) == 1
    finally:
        monkeypatch.undo()
        await redis_client().delete(f"smooth:turn-lease:{session_id}", *(KEY_PREFIX + w.key for w in (enforced, reported)))
        await redis_client().aclose()


async def test_with_redis_unreachable_a_messages_windows_fail_open_with_the_rate_limit_warning(settings, caplog):
    settings.REDIS_URL = UNREACHABLE
    caplog.set_level(logging.WARNING)
    store = leases.RedisLeases(leases.MemoryLeases())
    session_id = uuid.uuid4()
    enforced = Window(f"t:{session_id}", 0, 60)  # would refuse every message
    taken, counted = await store.acquire_counting(session_id, Lease("m-1", "c!1"), [enforced])
    assert taken and counted == []
    assert "rate limits: Redis unreachable" in caplog.text and "turn leases: Redis unreachable" in caplog.text
