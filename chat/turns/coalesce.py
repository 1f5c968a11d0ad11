"""Coalescing of stream tokens that arrive within a few milliseconds.

Tokens are handed to a sender that runs beside the model stream, so reading the
stream never waits for a publish. The sender sends what has arrived as one token
event, then waits until `window` seconds have passed since that send before the
next; whatever arrives meanwhile (during the wait or the send) goes out together.
Only the turn's first token pauses the reading, for one window, so that it reaches
the sockets before the rest of a burst is parsed. A model streaming at reading
speed is never delayed; a burst, or a publish slower than the stream (a busy loop,
a remote channel layer), costs a few frames instead of one per delta. The
concatenated text never changes.
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
        self._sender: asyncio.Future | None = None

    async def add(self, text: str) -> None:
        self._buffer.append(text)
        first = self._sender is None
        if self._sender is None or self._sender.done():
            self._sender = asyncio.ensure_future(self._send_all())
        if first:
            # The turn's first token: the stream's reading pauses for one window, so that
            # the token reaches the sockets before the rest of a burst that arrived in
            # one read is parsed (it is several turns of the event loop away: the
            # publish, each socket's consumer, the transport's write).
            await asyncio.sleep(self._window)

    async def _send_all(self) -> None:
        loop = asyncio.get_running_loop()
        while self._buffer:
            wait = self._last_sent + self._window - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # let the window close, and more arrive
            text, self._buffer = "".join(self._buffer), []
            self._last_sent = loop.time()
            await self._send(text)

    async def flush(self) -> None:
        """Return once every token added so far is sent (before any other event of the turn)."""
        if self._sender is not None:
            # Shielded: a turn stopped while it waits here must not cut a batch in half
            # (numbered and journaled, but not published); the terminal event's flush
            # waits for the rest.
            await asyncio.shield(self._sender)
        if self._buffer:  # added after the sender's last look
            await self._send_all()
