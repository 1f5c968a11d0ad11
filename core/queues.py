"""The queue a socket's messages wait in: Daphne's input queue of each connection
(smooth.management.commands.serve) and each channel's queue in the channel layers
(core.layers).

asyncio.Queue allocates four deques up front (its items, its getters, its putters, and
the waiters of its `join` event), each with a 64-slot block: about 3 KB a queue, and
every idle socket holds two. These queues are only ever put to without waiting and got
from by one reader at a time, so a list and the getters' futures do (under 200 bytes).
"""

from __future__ import annotations

import asyncio
from typing import Any


class MessageQueue:
    """put_nowait / get / get_nowait / empty / qsize / full as asyncio.Queue, with no
    putters to wait (a full queue raises asyncio.QueueFull) and no task accounting.
    `_queue` is its items, oldest first, as asyncio.Queue's (channels' expiry reads it)."""

    __slots__ = ("_queue", "_getters", "maxsize")

    def __init__(self, maxsize: int = 0):
        self.maxsize = maxsize
        self._queue: list[Any] = []
        self._getters: list[asyncio.Future] | None = None

    def qsize(self) -> int:
        return len(self._queue)

    def empty(self) -> bool:
        return not self._queue

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._queue)

    def put_nowait(self, item: Any) -> None:
        if self.full():
            raise asyncio.QueueFull
        self._queue.append(item)
        self._wake_next()

    def get_nowait(self) -> Any:
        if not self._queue:
            raise asyncio.QueueEmpty
        return self._queue.pop(0)

    async def get(self) -> Any:
        while not self._queue:
            getter = asyncio.get_running_loop().create_future()
            if self._getters is None:
                self._getters = []
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                if self._getters is not None and getter in self._getters:
                    self._getters.remove(getter)
                elif self._queue:  # woken, then cancelled: hand the item on
                    self._wake_next()
                raise
        return self._queue.pop(0)

    def _wake_next(self) -> None:
        getters = self._getters
        while getters:
            getter = getters.pop(0)
            if not getter.done():
                getter.set_result(None)
                break
        if not getters:
            self._getters = None
