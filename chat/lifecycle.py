"""Graceful shutdown of this process's sockets.

On SIGTERM the server (smooth/management/commands/serve.py) stops listening and
calls `shutdown`: sockets with no turn in flight are closed at once with 1001
("going away"), so their clients reconnect to another process; a socket attached
to a session whose turn runs in this process is closed as soon as the turn has
stored its reply and the socket has been sent its last event. (A turn running in
another process goes on there: a socket closed here re-attaches with `resume`.)
Whatever is still running at the deadline, or when `hurry()` is called (a second
SIGTERM or Ctrl-C), is cancelled (the turn sends its one `error`) and its socket
closed with 1001.
"""

from __future__ import annotations

import asyncio
import logging

from chat import turns
from core import metrics

logger = logging.getLogger(__name__)
GOING_AWAY = 1001
CLOSE_GRACE_SECONDS = 2.0  # for clients to answer the close handshake

_live: set = set()  # the ChatConsumers of this process with an open socket
_draining = False
_hurry: asyncio.Event | None = None


def draining() -> bool:
    return _draining


def opened(consumer) -> None:
    _live.add(consumer)
    metrics.open_sockets.inc()


def closed(consumer) -> None:
    if consumer in _live:  # a refused handshake's socket was never counted open
        _live.remove(consumer)
        metrics.open_sockets.dec()


async def _close(consumer) -> None:
    try:
        await consumer.close(code=GOING_AWAY)
    except Exception:  # already gone
        logger.debug("socket already closed")


async def _let_go(consumer) -> None:
    await turns.settled(consumer.connection, CLOSE_GRACE_SECONDS)
    await _close(consumer)


def hurry() -> None:
    """Stop waiting for running turns (a second SIGTERM or Ctrl-C)."""
    if _hurry is not None:
        _hurry.set()


async def shutdown(deadline_seconds: float) -> None:
    global _draining, _hurry
    _draining = True
    _hurry = asyncio.Event()
    consumers = list(_live)
    logger.info(
        "shutting down: %d sockets, %d turns in flight; waiting up to %.0f s for the turns (signal again to stop now)",
        len(consumers),
        turns.in_flight(),
        deadline_seconds,
    )
    waits = [asyncio.ensure_future(_let_go(consumer)) for consumer in consumers]
    if waits:
        everyone = asyncio.ensure_future(asyncio.wait(waits))
        hurried = asyncio.ensure_future(_hurry.wait())
        await asyncio.wait([everyone, hurried], timeout=deadline_seconds, return_when=asyncio.FIRST_COMPLETED)
        for pending in (*waits, everyone, hurried):
            pending.cancel()
    ended = await turns.cancel_all()
    if ended:
        logger.warning("stopped waiting (deadline or second signal) for %d turns: those still answering were cancelled", len(ended))
        await turns.ends_relayed([consumer.connection for consumer in _live], ended, CLOSE_GRACE_SECONDS)
    for consumer in list(_live):
        await _close(consumer)
    loop = asyncio.get_running_loop()
    until = loop.time() + CLOSE_GRACE_SECONDS
    while _live and loop.time() < until:  # disconnects run the consumers' clean-up
        await asyncio.sleep(0.05)
