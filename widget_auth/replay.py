"""Each authContext is accepted once.

A signature stays fresh for the clock window (WIDGET_AUTH_MAX_SKEW_SECONDS either
way), so anyone who sees a context in that time (a proxy log, a shared page,
an extension) could otherwise open sessions as its user. The cache remembers
the fingerprint of every accepted signature until it would be stale anyway.

It lives in Redis when REDIS_URL is set, so that every process shares it, and
in process memory otherwise. If Redis cannot be reached, the process falls
back to its own memory (a warning a minute at most): replays across processes
are then possible for the length of the outage, and sessions keep opening.
"""

from __future__ import annotations

import logging
import time

from core.logfilters import Throttle
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared

logger = logging.getLogger(__name__)
KEY_PREFIX = "smooth:authctx:"
WARNING_INTERVAL_SECONDS = 60.0


class MemoryReplayCache:
    def __init__(self) -> None:
        self._expiries: dict[str, float] = {}
        self._pruned_at = 0.0

    async def first_use(self, fingerprint: str, ttl_seconds: int) -> bool:
        now = time.monotonic()
        if now - self._pruned_at > 1.0:
            self._expiries = {key: expiry for key, expiry in self._expiries.items() if expiry > now}
            self._pruned_at = now
        expiry = self._expiries.get(fingerprint)
        if expiry is not None and expiry > now:
            return False
        self._expiries[fingerprint] = now + ttl_seconds
        return True


class RedisReplayCache:
    def __init__(self, fallback: MemoryReplayCache) -> None:
        self._fallback = fallback
        self._warning = Throttle(WARNING_INTERVAL_SECONDS)

    async def first_use(self, fingerprint: str, ttl_seconds: int) -> bool:
        try:
            return bool(await redis_client().set(KEY_PREFIX + fingerprint, b"1", nx=True, ex=ttl_seconds))
        except (RedisError, OSError) as exc:
            if self._warning.ready():
                logger.warning(
                    "authContext replay cache: Redis unreachable (%s); this process remembers signatures alone", type(exc).__name__
                )
            return await self._fallback.first_use(fingerprint, ttl_seconds)


# Redis when REDIS_URL is set (read each time, so tests may change it), else memory.
replay_cache = Shared("authContext replay cache", MemoryReplayCache, RedisReplayCache, outage=Outage.MEMORY)


async def first_use(identity) -> bool:
    """Whether this verified authContext (widget_auth.services.VerifiedIdentity) is seen for the first time."""
    ttl = max(1, identity.usable_until - int(time.time()) + 1)
    return await replay_cache().first_use(identity.fingerprint, ttl)
