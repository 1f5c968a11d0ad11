"""Each turn's events in order, kept so that a client re-attaching mid-turn (or just
after) gets what it missed: `get_session` with `resume: {requestId, eventsReceived}`.

In Redis when REDIS_URL is set (a list per turn, shared by every process), in this
process's memory otherwise. Bounds, per turn: MAX_EVENTS events and MAX_BYTES of
JSON (past either the turn is no longer resumable: a client re-reads the history),
kept RETAIN_SECONDS after its last event. A turn past a bound, or whose journal
Redis could not write, is forgotten whole: a client then re-reads the history, and
never gets a stream with a hole in it. Neither fails the turn.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import OrderedDict

from chat import protocol
from core.logfilters import Throttle
from core.redis import RedisError, redis_client
from core.shared import Outage, Shared

logger = logging.getLogger(__name__)
MAX_EVENTS = 2_000
MAX_BYTES = 1_000_000
RETAIN_SECONDS = 300
EXPIRY_REFRESH_EVERY = 50  # events between two renewals of a journal's expiry
_unavailable = Throttle(60.0)  # one warning a minute while Redis is away, not one per turn


def _key(session_id, request_id: str) -> str:
    return f"smooth:turn-journal:{session_id}:{request_id}"


class MemoryJournals:
    def __init__(self) -> None:
        self._turns: OrderedDict[str, tuple[float, list[str]]] = OrderedDict()  # key -> (last write, entries)

    def _prune(self) -> None:
        stale = time.monotonic() - RETAIN_SECONDS
        while self._turns and next(iter(self._turns.values()))[0] < stale:
            self._turns.popitem(last=False)

    async def append(self, key: str, entry: str, *, refresh_expiry: bool = True) -> None:
        self._prune()
        _, entries = self._turns.pop(key, (0.0, []))
        entries.append(entry)
        self._turns[key] = (time.monotonic(), entries)  # most recently written last

    async def read(self, key: str, start: int) -> list[str] | None:
        self._prune()
        found = self._turns.get(key)
        return None if found is None else found[1][start:]

    async def forget(self, key: str) -> None:
        self._turns.pop(key, None)

    async def length(self, key: str) -> int:
        self._prune()
        return len(self._turns.get(key, (0.0, []))[1])


class RedisJournals:
    async def append(self, key: str, entry: str, *, refresh_expiry: bool = True) -> None:
        if not refresh_expiry:
            await redis_client().rpush(key, entry)
            return
        async with redis_client().pipeline(transaction=False) as pipe:
            await pipe.rpush(key, entry).expire(key, RETAIN_SECONDS).execute()

    async def read(self, key: str, start: int) -> list[str] | None:
        async with redis_client().pipeline(transaction=False) as pipe:
            exists, entries = await pipe.exists(key).lrange(key, start, -1).execute()
        return [entry.decode() for entry in entries] if exists else None

    async def forget(self, key: str) -> None:
        await redis_client().delete(key)

    async def length(self, key: str) -> int:
        return int(await redis_client().llen(key))


journals = Shared("turn journals", MemoryJournals, lambda memory: RedisJournals(), outage=Outage.SKIP)


class Journal:
    """One turn's journal, written by the process that runs the turn. A parked turn
    resumed (in any process) goes on from `start`, the number of events it had."""

    def __init__(self, session_id: uuid.UUID, request_id: str, *, start: int = 0):
        self._key = _key(session_id, request_id)
        self._store = journals()
        self._count = start
        self._bytes = 0
        self._kept = True
        self._checked = start == 0

    @property
    def count(self) -> int:
        return self._count

    async def append(self, event: dict) -> int:
        """Keep `event`; return its index in the turn (0 is the first event after the 202)."""
        index = self._count
        self._count += 1
        if not self._kept:
            return index
        entry = json.dumps(event, separators=(",", ":"))
        self._bytes += len(entry)
        try:
            if not self._checked:  # resumed: the journal must still hold every earlier event
                self._checked = True
                if await self._store.length(self._key) != index:
                    self._kept = False
                    await self._store.forget(self._key)
                    return index
            if self._count > MAX_EVENTS or self._bytes > MAX_BYTES:
                self._kept = False
                await self._store.forget(self._key)
            else:
                # The expiry is set with the first event, renewed every so often, and at the end.
                refresh = index % EXPIRY_REFRESH_EVERY == 0 or protocol.ends_turn(event)
                await self._store.append(self._key, entry, refresh_expiry=refresh)
        except (RedisError, OSError) as exc:
            self._kept = False
            if _unavailable.ready():
                logger.warning("turn journal unavailable (%s): turns cannot be resumed", type(exc).__name__)
            try:
                await self._store.forget(self._key)
            except (RedisError, OSError):
                pass  # it expires on its own
        return index


async def missed(session_id: uuid.UUID, request_id: str, start: int) -> list[dict] | None:
    """The turn's events from index `start` on, or None when it is unknown, expired or too big."""
    try:
        entries = await journals().read(_key(session_id, request_id), start)
    except (RedisError, OSError) as exc:
        if _unavailable.ready():
            logger.warning("turn journal unavailable (%s): nothing to resume", type(exc).__name__)
        return None
    return None if entries is None else [json.loads(entry) for entry in entries]
