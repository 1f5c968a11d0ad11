"""Fixed rate windows counted across processes: in Redis when REDIS_URL is set, in this
process's memory otherwise.

A window starts with its first hit and ends `seconds` later; every hit counts, allowed
or not. The Redis side is a Lua fragment (`COUNT_LUA`) that a script counts its windows
with, so a caller can count windows and do its own work in one round trip (the turn's
lease does: chat.turns.leases).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from core.logfilters import Throttle
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared

logger = logging.getLogger(__name__)

KEY_PREFIX = "smooth:limit:"
NEVER_BLOCKS = 2**53  # the limit a window counted in report-only mode blocks at

# count(key, milliseconds) -> {count, milliseconds left}: one hit, the window started on the first.
COUNT_LUA = """
local function count(key, ms)
  local hits = redis.call('incr', key)
  if hits == 1 then redis.call('pexpire', key, ms) end
  local left = redis.call('pttl', key)
  if left < 0 then redis.call('pexpire', key, ms); left = tonumber(ms) end
  return {hits, left}
end
"""


@dataclass(frozen=True)
class Window:
    key: str  # without KEY_PREFIX
    limit: int  # hits allowed in one window
    seconds: int
    enforced: bool = True  # False: counted and reported, never refused (report-only)

    @property
    def blocks_above(self) -> int:
        return self.limit if self.enforced else NEVER_BLOCKS


@dataclass(frozen=True)
class Counted:
    window: Window
    hits: int  # this one included
    left: float  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.hits > self.window.limit

    @property
    def blocks(self) -> bool:
        return self.hits > self.window.blocks_above


def redis_arguments(windows: list[Window]) -> tuple[list[str], list[int]]:
    """The keys and each window's milliseconds, as a script using COUNT_LUA reads them."""
    return [KEY_PREFIX + window.key for window in windows], [window.seconds * 1000 for window in windows]


def from_redis(windows: list[Window], answers) -> list[Counted]:
    return [Counted(window, int(hits), int(left) / 1000) for window, (hits, left) in zip(windows, answers, strict=True)]


class MemoryWindows:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (hits, ends at, monotonic)

    def hit(self, windows: list[Window]) -> list[Counted]:
        now = time.monotonic()
        if len(self._windows) > 100_000:  # forget ended windows now and then
            self._windows = {key: value for key, value in self._windows.items() if value[1] > now}
        counted = []
        for window in windows:
            hits, ends = self._windows.get(window.key, (0, 0.0))
            if ends <= now:
                hits, ends = 0, now + window.seconds
            self._windows[window.key] = (hits + 1, ends)
            counted.append(Counted(window, hits + 1, ends - now))
        return counted


windows_store = Shared("rate windows", MemoryWindows, lambda memory: None, outage=Outage.OPEN)  # Redis: count() below
_COUNT_ALL = (
    COUNT_LUA
    + """
local answers = {}
for i, key in ipairs(KEYS) do answers[i] = count(key, ARGV[i]) end
return answers
"""
)
_unreachable = Throttle(60.0)


async def count(windows: list[Window]) -> list[Counted]:
    """One hit on each window (one round trip to Redis); nothing counted, so nothing
    refused, while Redis is away."""
    if not windows:
        return []
    client = redis_client()
    if client is None:
        return windows_store.memory.hit(windows)
    keys, milliseconds = redis_arguments(windows)
    try:
        return from_redis(windows, await client.eval(_COUNT_ALL, len(keys), *keys, *milliseconds))
    except (RedisError, OSError) as exc:
        warn_unreachable(exc)
        return []


def warn_unreachable(exc: Exception) -> None:
    if _unreachable.ready():
        logger.warning("rate limits: Redis unreachable (%s); nothing is refused until it is back", type(exc).__name__)
