"""State that lives in Redis when REDIS_URL is set (shared by every process) and in this
process's memory otherwise, written once: `Shared` holds a use's two stores and picks one
on every call (REDIS_URL is read each time, so tests may change it), and `Outage` names
what the use does while Redis is away. `reset_process_state()` starts every use and every
warning throttle afresh (what tests call between tests).

The uses and their outage policies:

| use | module | while Redis is away |
| --- | --- | --- |
| turn leases (one turn per session) | chat.turns.leases | `MEMORY`: this process's leases serve; two processes could each run one turn of a session |
| turn journals (resume a stream) | chat.turns.journal | `SKIP`: the turn runs, a socket that comes back cannot pick it up |
| rate windows and open-socket gauges | core.windows, limits.counters | `OPEN`: nothing is refused until Redis is back |
| authContext replay cache | widget_auth.replay | `MEMORY`: this process remembers the signatures it saw |

Each logs one warning a minute while Redis is away (core.logfilters.Throttle).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from enum import StrEnum
from typing import Generic, TypeVar

from django.conf import settings

from core.logfilters import Throttle

M = TypeVar("M")
R = TypeVar("R")


class Outage(StrEnum):
    MEMORY = "fall back to this process's memory"
    SKIP = "go on without it"
    OPEN = "fail open: refuse nothing"


class Shared(Generic[M, R]):
    """A use's memory store and Redis store (made by `redis_store(memory)`, which may keep
    the memory one as its fallback)."""

    def __init__(self, use: str, memory_store: Callable[[], M], redis_store: Callable[[M], R], *, outage: Outage):
        self.use, self.outage = use, outage
        self._memory_store, self._redis_store = memory_store, redis_store
        self.reset()
        _registered.add(self)

    def reset(self) -> None:
        self.memory: M = self._memory_store()
        self.redis: R = self._redis_store(self.memory)

    def __call__(self) -> M | R:
        return self.redis if settings.REDIS_URL else self.memory


_registered: weakref.WeakSet = weakref.WeakSet()


def reset_process_state() -> None:
    """Every shared store's memory afresh, and each outage's first warning logged again."""
    for shared in list(_registered):
        shared.reset()
    Throttle.reset_all()
