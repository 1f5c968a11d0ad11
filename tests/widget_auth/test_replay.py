"""Each authContext is accepted once: in process memory, or in the machine's Redis,
shared by every process, falling back to memory (with one warning) when Redis is away."""

from __future__ import annotations

import uuid

import pytest

from widget_auth import replay


async def test_memory_accepts_a_fingerprint_once_until_it_expires(monkeypatch):
    cache = replay.MemoryReplayCache()
    clock = [1000.0]
    monkeypatch.setattr(replay.time, "monotonic", lambda: clock[0])
    assert await cache.first_use("a", 60) is True
    assert await cache.first_use("a", 60) is False
    assert await cache.first_use("b", 60) is True
    clock[0] += 61
    assert await cache.first_use("a", 60) is True  # stale by now anyway: nothing to protect
    assert set(cache._expiries) == {"a"}  # expired entries are pruned, so memory stays bounded


@pytest.mark.redis
async def test_with_redis_two_processes_share_what_they_have_seen(machine_redis):
    fingerprint = uuid.uuid4().hex
    one, other = (
        replay.RedisReplayCache(replay.MemoryReplayCache()),
        replay.RedisReplayCache(replay.MemoryReplayCache()),
    )
    assert await one.first_use(fingerprint, 5) is True
    assert await other.first_use(fingerprint, 5) is False  # another process's cache, the same Redis
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.Redis.from_url(machine_redis)
    try:
        ttl = await client.ttl(replay.KEY_PREFIX + fingerprint)
    finally:
        await client.aclose()
    assert 0 < ttl <= 5  # kept only while the signature could still be fresh


async def test_an_unreachable_redis_falls_back_to_memory_with_one_warning(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    cache = replay.replay_cache()
    assert isinstance(cache, replay.RedisReplayCache)
    assert await cache.first_use("f1", 60) is True
    assert await cache.first_use("f1", 60) is False  # still refused, by this process's memory
    assert await cache.first_use("f2", 60) is True
    warnings = [record for record in caplog.records if "replay cache" in record.getMessage()]
    assert len(warnings) == 1 and "Redis unreachable" in warnings[0].getMessage()
    assert "127.0.0.1:1" not in caplog.text  # the URL may hold a password
