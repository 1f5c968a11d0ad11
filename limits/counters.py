"""Counters that hold across processes: in Redis when REDIS_URL is set, in this process's
memory otherwise.

A rate is a fixed window that starts with its first hit: the key's count goes up on
every attempt and the key expires with the window (one Lua call for all the rates an
action checks). If Redis cannot be reached the limits fail open (nothing is refused)
with one warning a minute: a lost counter must not take the service down, and the
budgets that guard spend are kept in the database, not here.
"""

from __future__ import annotations

import logging
import time

from core.logfilters import Throttle
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared
from limits.rates import Rate

logger = logging.getLogger(__name__)
_unreachable = Throttle(60.0)
PREFIX = "smooth:limit:"
# For each key: count it; start its window on the first hit; answer the count and the window's time left.
_HIT = """
local answers = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('incr', key)
  if count == 1 then redis.call('pexpire', key, ARGV[i]) end
  local left = redis.call('pttl', key)
  if left < 0 then redis.call('pexpire', key, ARGV[i]); left = tonumber(ARGV[i]) end
  answers[i] = {count, left}
end
return answers
"""


class MemoryCounters:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, ends at, monotonic)
        self._gauges: dict[str, int] = {}

    def hit(self, checks: list[tuple[str, Rate]]) -> list[tuple[int, float]]:
        now = time.monotonic()
        if len(self._windows) > 100_000:  # forget ended windows now and then
            self._windows = {key: value for key, value in self._windows.items() if value[1] > now}
        answers = []
        for key, rate in checks:
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + rate.seconds
            self._windows[key] = (count + 1, ends)
            answers.append((count + 1, ends - now))
        return answers

    def gauge(self, key: str, step: int) -> int:
        value = max(0, self._gauges.get(key, 0) + step)
        if value:
            self._gauges[key] = value
        else:
            self._gauges.pop(key, None)
        return value


_counters = Shared("rate-limit counters", MemoryCounters, lambda memory: None, outage=Outage.OPEN)  # Redis: the functions below


async def hit(checks: list[tuple[str, Rate]]) -> float | None:
    """Count one attempt against every (key, rate); the seconds until the first exceeded
    window ends, or None when all allow it (or Redis is away)."""
    if not checks:
        return None
    client = redis_client()
    if client is None:
        answers = _counters.memory.hit(checks)
    else:
        try:
            raw = await client.eval(_HIT, len(checks), *(PREFIX + key for key, _ in checks), *(rate.seconds * 1000 for _, rate in checks))
        except (RedisError, OSError) as exc:
            _warn(exc)
            return None
        answers = [(int(count), int(left) / 1000) for count, left in raw]
    for (_, rate), (count, left) in zip(checks, answers):
        if count > rate.count:
            return max(left, 0.001)
    return None


async def gauge(key: str, step: int, *, keep_seconds: int = 3600) -> int:
    """Add `step` to a count of things open (sockets of an IP); the new count (0 if Redis is
    away). In Redis it expires `keep_seconds` after its last rise, so a process that died
    holding some does not hold them for ever."""
    client = redis_client()
    if client is None:
        return _counters.memory.gauge(key, step)
    try:
        async with client.pipeline(transaction=True) as pipe:
            pipe.incrby(PREFIX + key, step)
            if step > 0:
                pipe.expire(PREFIX + key, keep_seconds)
            value = (await pipe.execute())[0]
        if value <= 0:
            await client.delete(PREFIX + key)
        return max(0, int(value))
    except (RedisError, OSError) as exc:
        _warn(exc)
        return 0


def forget() -> None:
    """This process's counters start again."""
    _counters.reset()


def _warn(exc: Exception) -> None:
    if _unreachable.ready():
        logger.warning("rate limits: Redis unreachable (%s); nothing is refused until it is back", type(exc).__name__)
