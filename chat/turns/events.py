"""A turn's events after its 202: each numbered and journaled, then published once to
the session's group, so that every socket attached to the session, in any process,
gets the same stream in the same order. A socket that attaches mid-turn gets the
rest; one that re-attaches with `resume` gets what it missed from the journal first
(ChatConsumer drops what it then already has, by the number).

The socket that asked, while it is open and attached, is sent each event directly
first, and drops the group's copy by its number: its first token waits for neither
the journal nor the channel layer's round trip. If the channel layer cannot be
reached, that socket still gets its turn (the backplane pauses; turns do not).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

from django.conf import settings

from chat import backplane, protocol
from chat.turns.coalesce import TokenCoalescer
from chat.turns.journal import Journal
from core import metrics
from core.logfilters import Throttle

logger = logging.getLogger(__name__)
_publish_warning = Throttle(60.0)


class TurnEvents:
    def __init__(
        self, session_id: uuid.UUID, request_id: str, *, stream: bool, origin=None, start: int = 0, accepted_at: float | None = None
    ):
        self.request_id, self.stream, self._origin = request_id, stream, origin
        self._session_key = str(session_id)
        self._group = backplane.group_name("session", str(session_id))
        self._journal = Journal(session_id, request_id, start=start)
        self._tokens = TokenCoalescer(self._send_token)
        # When the turn was accepted (just before its 202), or resumed: what its latencies
        # are measured from. Only a new turn's first token is one a visitor waited for.
        self.accepted_at = time.perf_counter() if accepted_at is None else accepted_at
        self._awaiting_first_token = start == 0

    async def _publish(self, event: dict) -> None:
        backplane.assert_json_native(event)  # a bug: raised before any socket has the event
        direct = await self._deliver_to_origin(self._journal.count, event)
        index = await self._journal.append(event)
        try:
            await backplane.send_to_group(self._group, event, request_id=self.request_id, index=index)
        except Exception as exc:
            _warn(exc)
            if direct and protocol.ends_turn(event):
                self._origin.resumed.pop(self.request_id, None)  # no group copy will come to drop

    async def _deliver_to_origin(self, index: int, event: dict) -> bool:
        """Send the event to the socket that asked, if it is still open and attached
        (before the journal's write and the group's send); return whether it went."""
        origin = self._origin
        if origin is None or origin.closed or not origin.attached(self._session_key):
            return False
        origin.had(self.request_id, index)
        try:
            await origin.send(event)
        except Exception:  # it closed meanwhile: the turn goes on and is stored
            logger.debug("event for a closed connection dropped")
            return False
        origin.relayed(event)
        return True

    @property
    def published(self) -> int:
        """How many events of the turn have gone out (a resumed turn numbers on from it)."""
        return self._journal.count

    async def _send_token(self, text: str) -> None:
        if self._awaiting_first_token:
            self._awaiting_first_token = False
            metrics.first_token_seconds.observe(time.perf_counter() - self.accepted_at)
        await self._publish(protocol.stream_token(self.request_id, text))

    async def flush(self) -> None:
        """Publish the tokens waiting to be coalesced."""
        await self._tokens.flush()

    async def send(self, event: dict) -> None:
        await self.flush()  # tokens waiting to be coalesced go first
        await self._publish(event)

    async def token(self, text: str) -> None:
        if self.stream:
            await self._tokens.add(text)

    async def chunk(self, node: str, raw_response: dict) -> None:
        if self.stream:
            await self.send(protocol.stream_chunk(self.request_id, node, raw_response))

    async def keepalive(self) -> None:
        """Keep quiet sockets open: to every socket of the session, neither journaled nor
        numbered (a socket that re-attaches needs no old keepalive)."""
        event = protocol.keepalive(self.request_id)
        try:
            await backplane.send_to_group(self._group, event)
        except Exception as exc:
            _warn(exc)

    @contextlib.asynccontextmanager
    async def kept_alive(self):
        """While the body waits (a tool), a keepalive every SMOOTH_KEEPALIVE_SECONDS."""

        async def tick():
            while True:
                await asyncio.sleep(settings.SMOOTH_KEEPALIVE_SECONDS)
                await self.keepalive()

        ticker = asyncio.create_task(tick())
        try:
            yield
        finally:
            ticker.cancel()


def _warn(exc: Exception) -> None:
    if _publish_warning.ready():
        logger.warning("could not publish a turn's events (%s); only the socket that asked gets them", type(exc).__name__)
