"""One turn per session: a lease that expires.

With REDIS_URL (which several processes need anyway) the lease is a Redis key
(`SET NX PX`), so one turn per session holds across every process; otherwise
there is one process, and the lease is in its memory. Either way it expires: a
process that dies holding one frees the session after SMOOTH_TURN_LEASE_SECONDS,
and a live holder renews it every third of that. It names its turn's requestId
and the control channel of the process running it, where a cancel from any
process goes. Taking a lease costs no database work, so the 202 never waits
behind other sockets' queries.

A visitor's message is counted against its rate windows (core.windows) in the same
round trip as its lease is taken: the script counts every window, and takes the lease
only when no enforced window is exceeded.

If Redis cannot be reached, leases fall back to this process's memory (a warning a
minute): turns go on, one per session per process, until Redis is back.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings

from core.logfilters import Throttle
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared
from core.windows import COUNT_LUA, Counted, Window, from_redis, redis_arguments, warn_unreachable, windows_store

logger = logging.getLogger(__name__)
WARNING_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class Lease:
    request_id: str
    control_channel: str
    # A parked turn's (chat.turns.parking): no process runs it; it keeps the session's
    # slot until it is resumed, cancelled or expires.
    parked: bool = False

    def encoded(self) -> str:
        value: dict[str, str | bool] = {"request": self.request_id, "control": self.control_channel}
        if self.parked:
            value["parked"] = True
        return json.dumps(value)

    @classmethod
    def decoded(cls, raw) -> Lease:
        value = json.loads(raw)
        return cls(value["request"], value["control"], bool(value.get("parked")))

    @classmethod
    def parked_for(cls, request_id: str) -> Lease:
        return cls(request_id, "", parked=True)


def _seconds() -> int:
    return settings.SMOOTH_TURN_LEASE_SECONDS


class MemoryLeases:
    def __init__(self) -> None:
        self._held: dict[str, tuple[Lease, float]] = {}  # session id -> (lease, expires at, monotonic)

    def _live(self, session_id) -> Lease | None:
        held = self._held.get(str(session_id))
        if held is None or held[1] < time.monotonic():
            return None
        return held[0]

    async def acquire(self, session_id, lease: Lease, seconds: float | None = None) -> bool:
        if self._live(session_id) is not None:
            return False
        self._held[str(session_id)] = (lease, time.monotonic() + (seconds or _seconds()))
        return True

    async def acquire_counting(self, session_id, lease: Lease, windows: list[Window]) -> tuple[bool, list[Counted]]:
        counted = windows_store.memory.hit(windows)
        if any(each.blocks for each in counted):
            return False, counted
        return await self.acquire(session_id, lease), counted

    async def swap(self, session_id, old: Lease, new: Lease, seconds: float) -> bool:
        if self._live(session_id) != old:
            return False
        self._held[str(session_id)] = (new, time.monotonic() + seconds)
        return True

    async def renew(self, session_id, lease: Lease) -> bool:
        if self._live(session_id) != lease:
            return False
        self._held[str(session_id)] = (lease, time.monotonic() + _seconds())
        return True

    async def release(self, session_id, lease: Lease) -> None:
        if self._live(session_id) == lease:
            del self._held[str(session_id)]

    async def current(self, session_id) -> Lease | None:
        return self._live(session_id)


# Renew or release only a lease that is still ours (its value unchanged).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_SWAP = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) else return 0 end"

# KEYS: the lease, then the windows; ARGV: the lease's value and milliseconds, then each
# window's milliseconds, then the hits each allows. Answers {taken, {{hits, ms left}, ...}}.
_ACQUIRE_COUNTING = (
    COUNT_LUA
    + """
local windows = #KEYS - 1
local answers, blocked = {}, false
for i = 1, windows do
  answers[i] = count(KEYS[i + 1], ARGV[i + 2])
  if answers[i][1] > tonumber(ARGV[i + 2 + windows]) then blocked = true end
end
if blocked then return {0, answers} end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, answers} end
return {0, answers}
"""
)


class RedisLeases:
    def __init__(self, fallback: MemoryLeases) -> None:
        self._fallback = fallback
        self._warning = Throttle(WARNING_INTERVAL_SECONDS)

    @staticmethod
    def _key(session_id) -> str:
        return f"smooth:turn-lease:{session_id}"

    def _unreachable(self, exc: Exception) -> MemoryLeases:
        if self._warning.ready():
            logger.warning("turn leases: Redis unreachable (%s); one turn per session is kept in this process alone", type(exc).__name__)
        return self._fallback

    async def acquire(self, session_id, lease: Lease) -> bool:
        return (await self.acquire_counting(session_id, lease, []))[0]

    async def acquire_counting(self, session_id, lease: Lease, windows: list[Window]) -> tuple[bool, list[Counted]]:
        if await self._fallback.current(session_id) is not None:  # taken here while Redis was away, still running
            return False, []
        window_keys, milliseconds = redis_arguments(windows)
        try:
            taken, answers = await redis_client().eval(
                _ACQUIRE_COUNTING,
                1 + len(windows),
                self._key(session_id),
                *window_keys,
                lease.encoded(),
                _seconds() * 1000,
                *milliseconds,
                *(window.blocks_above for window in windows),
            )
        except (RedisError, OSError) as exc:  # the windows fail open: nothing counted, nothing refused
            if windows:
                warn_unreachable(exc)
            return await self._unreachable(exc).acquire(session_id, lease), []
        return bool(taken), from_redis(windows, answers)

    async def swap(self, session_id, old: Lease, new: Lease, seconds: float) -> bool:
        if await self._fallback.swap(session_id, old, new, seconds):
            return True
        try:
            swapped = await redis_client().eval(_SWAP, 1, self._key(session_id), old.encoded(), new.encoded(), int(seconds * 1000))
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return False
        return bool(swapped)

    async def renew(self, session_id, lease: Lease) -> bool:
        try:
            renewed = await redis_client().eval(_RENEW, 1, self._key(session_id), lease.encoded(), _seconds() * 1000)
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return True  # Redis is the one away, not the turn: it goes on
        return bool(renewed) or await self._fallback.renew(session_id, lease)

    async def release(self, session_id, lease: Lease) -> None:
        await self._fallback.release(session_id, lease)  # if it was taken here while Redis was away
        try:
            await redis_client().eval(_RELEASE, 1, self._key(session_id), lease.encoded())
        except (RedisError, OSError) as exc:
            self._unreachable(exc)  # it expires on its own

    async def current(self, session_id) -> Lease | None:
        try:
            raw = await redis_client().get(self._key(session_id))
        except (RedisError, OSError) as exc:
            return await self._unreachable(exc).current(session_id)
        return Lease.decoded(raw) if raw else await self._fallback.current(session_id)


_store = Shared("turn leases", MemoryLeases, RedisLeases, outage=Outage.MEMORY)


async def acquire(session_id: uuid.UUID, lease: Lease) -> bool:
    """Whether the session's one turn is now this one."""
    return await _store().acquire(session_id, lease)


async def acquire_counting(session_id: uuid.UUID, lease: Lease, windows: list[Window]) -> tuple[bool, list[Counted]]:
    """One hit on each of `windows`, then, unless an enforced one is exceeded, `acquire`:
    one round trip. Whether the lease was taken, and each window's count."""
    return await _store().acquire_counting(session_id, lease, windows)


async def swap(session_id: uuid.UUID, old: Lease, new: Lease, *, seconds: float) -> bool:
    """Replace the session's lease `old` by `new` (for `seconds`); False when `old` is not
    the session's lease any more. How a turn parks, and how a parked one is resumed."""
    return await _store().swap(session_id, old, new, seconds)


async def renew(session_id: uuid.UUID, lease: Lease) -> bool:
    """Extend the lease; False when it is no longer this turn's."""
    return await _store().renew(session_id, lease)


async def release(session_id: uuid.UUID, lease: Lease) -> None:
    await _store().release(session_id, lease)


async def current(session_id: uuid.UUID) -> Lease | None:
    """The session's running turn, if its lease is live."""
    return await _store().current(session_id)
