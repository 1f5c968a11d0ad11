"""The one Redis client of the application's own keys (the authContext replay cache,
turn leases and turn journals; channels-redis keeps its own connections for the
backplane): one redis.asyncio client per event loop, for the configured REDIS_URL."""

from __future__ import annotations

import asyncio
import weakref

import redis.asyncio as redis_asyncio
from django.conf import settings
from redis.exceptions import RedisError

__all__ = ["RedisError", "redis_client"]

POOL_WAIT_SECONDS = 2.0
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def redis_client():
    """The running loop's client for settings.REDIS_URL (None when it is unset)."""
    url = settings.REDIS_URL
    if not url:
        return None
    loop = asyncio.get_running_loop()
    by_url = _clients.setdefault(loop, {})
    if url not in by_url:
        # A blocking pool: a burst beyond its size (hundreds of turns journaling at once)
        # waits a moment for a connection; redis-py's default pool raises instead, and a
        # lease whose release failed so would hold its session for a whole lease.
        pool = redis_asyncio.BlockingConnectionPool.from_url(
            url,
            max_connections=settings.SMOOTH_REDIS_MAX_CONNECTIONS,
            timeout=POOL_WAIT_SECONDS,
            socket_timeout=2,
            socket_connect_timeout=2,
        )
        by_url[url] = redis_asyncio.Redis(connection_pool=pool)
    return by_url[url]
