"""The in-memory channel layer (REDIS_URL unset), with a group_send that scales.

channels' own InMemoryChannelLayer scans every channel and every group of the
process for expired messages on every group_send and every receive, and starts a
task per member of a group_send: with turn events published to the session's group
(one per token batch) and received by every socket, that cost grew with the number
of sockets for every event, and each publish yielded to the loop long enough to
break token coalescing (60 frames a turn instead of 2). Here the scan runs at most
once a second and members are sent to in place. Expiry, capacity and the rest are
channels' own.
"""

from __future__ import annotations

import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

CLEAN_INTERVAL_SECONDS = 1.0


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cleaned_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at >= CLEAN_INTERVAL_SECONDS:
            self._cleaned_at = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            try:
                await self.send(channel, message)  # puts on the channel's queue; never waits
            except ChannelFull:
                pass
