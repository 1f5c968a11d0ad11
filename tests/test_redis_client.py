"""core.redis: the application's one Redis client."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from core.redis import redis_client


@pytest.mark.redis
async def test_a_burst_beyond_the_pool_waits_for_a_connection_instead_of_failing(machine_redis, settings):
    # Hundreds of turns journaling at once once raised MaxConnectionsError (redis-py's
    # default pool), which left a lease unreleased and its session refusing turns.
    settings.SMOOTH_REDIS_MAX_CONNECTIONS = 50
    client = redis_client()
    key = f"smooth:test:pool:{uuid.uuid4()}"
    try:
        # 150 commands that each hold their connection 0.1 s: three times the pool's size,
        # and past the 100 at which redis-py's default pool raises.
        results = await asyncio.gather(*(client.blpop([key], timeout=0.1) for _ in range(150)))
        assert results == [None] * 150
        assert client.connection_pool.max_connections == 50
    finally:
        await client.aclose()
