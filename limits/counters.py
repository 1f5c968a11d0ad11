"""Counters that hold across processes: in Redis when REDIS_URL is set, in this process's
memory otherwise.

A rate is a fixed window that starts with its first hit (core.windows: one round trip
for all the rates an action checks). If Redis cannot be reached the limits fail open
(nothing is refused) with one warning a minute: a lost counter must not take the service
down, and the budgets that guard spend are kept in the database, not here.
"""

from __future__ import annotations

from core import windows
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared
from limits.rates import Rate


def window(key: str, rate: Rate, *, enforced: bool = True) -> windows.Window:
    return windows.Window(key, rate.count, rate.seconds, enforced)


def retry_after(counted: list[windows.Counted]) -> float | None:
    """The seconds until the first exceeded window ends, or None when none is exceeded."""
    for each in counted:
        if each.exceeded:
            return max(each.left, 0.001)
    return None


class MemoryGauges:
    def __init__(self) -> None:
        self._gauges: dict[str, int] = {}

    def gauge(self, key: str, step: int) -> int:
        value = max(0, self._gauges.get(key, 0) + step)
        if value:
            self._gauges[key] = value
        else:
            self._gauges.pop(key, None)
        return value


_gauges = Shared("open-socket gauges", MemoryGauges, lambda memory: None, outage=Outage.OPEN)  # Redis: gauge() below


async def hit(checks: list[tuple[str, Rate]]) -> float | None:
    """Count one attempt against every (key, rate); the seconds until the first exceeded
    window ends, or None when all allow it (or Redis is away)."""
    return retry_after(await windows.count([window(key, rate) for key, rate in checks]))


async def gauge(key: str, step: int, *, keep_seconds: int = 3600) -> int:
    """Add `step` to a count of things open (sockets of an IP); the new count (0 if Redis is
    away). In Redis it expires `keep_seconds` after its last rise, so a process that died
    holding some does not hold them for ever."""
    client = redis_client()
    if client is None:
        return _gauges.memory.gauge(key, step)
    redis_key = windows.KEY_PREFIX + key
    try:
        async with client.pipeline(transaction=True) as pipe:
            pipe.incrby(redis_key, step)
            if step > 0:
                pipe.expire(redis_key, keep_seconds)
            value = (await pipe.execute())[0]
        if value <= 0:
            await client.delete(redis_key)
        return max(0, int(value))
    except (RedisError, OSError) as exc:
        windows.warn_unreachable(exc)
        return 0


def forget() -> None:
    """This process's counters start again."""
    windows.windows_store.reset()
    _gauges.reset()
