"""Coalescing of stream tokens that arrive within a few milliseconds.

A token goes out at once unless another went out less than `window` seconds
ago; then it waits, with any others that arrive, until that window closes, and
they go out as one token event. A model streaming at reading speed is never
delayed; a burst (a fast gateway, or deltas queued behind other work) costs a
few frames instead of one per delta. The concatenated text never changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

WINDOW_SECONDS = 0.003


class TokenCoalescer:
    def __init__(self, send: Callable[[str], Awaitable[None]], window: float = WINDOW_SECONDS):
        self._send = send
        self._window = window
        self._buffer: list[str] = []
        self._last_sent = float("-inf")
        self._timer: asyncio.TimerHandle | None = None
        self._in_flight: asyncio.Future | None = None

    async def add(self, text: str) -> None:
        if self._in_flight is not None:  # a timed flush is sending: keep the order
            await self._in_flight
        loop = asyncio.get_running_loop()
        now = loop.time()
        if not self._buffer and now - self._last_sent >= self._window:
            self._last_sent = now
            await self._send(text)
            return
        self._buffer.append(text)
        if self._timer is None:
            self._timer = loop.call_later(max(0.0, self._last_sent + self._window - now), self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        if self._buffer:
            text, self._buffer = "".join(self._buffer), []
            self._last_sent = asyncio.get_running_loop().time()
            self._in_flight = asyncio.ensure_future(self._send(text))
            self._in_flight.add_done_callback(self._sent)

    def _sent(self, future: asyncio.Future) -> None:
        if self._in_flight is future:
            self._in_flight = None

    async def flush(self) -> None:
        """Send whatever waits, now (before any other event of the turn)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._in_flight is not None:
            await self._in_flight
        if self._buffer:
            text, self._buffer = "".join(self._buffer), []
            self._last_sent = asyncio.get_running_loop().time()
            await self._send(text)
