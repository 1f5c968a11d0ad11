"""The channel layers Smooth configures (smooth.settings CHANNEL_LAYERS).

The in-memory layer (REDIS_URL unset) has a group_send that scales.

channels' own InMemoryChannelLayer scans every channel and every group of the
process for expired messages on every group_send and every receive, and starts a
task per member of a group_send: with turn events published to the session's group
(one per token batch) and received by every socket, that cost grew with the number
of sockets for every event, and each publish yielded to the loop long enough to
break token coalescing (60 frames a turn instead of 2). Here the scan runs at most
once a second and members are sent to in place, and a channel's queue is a
core.queues.MessageQueue (every idle socket waits on one). Expiry, capacity and the
rest are channels' own.

With Redis, the pub/sub layer's channel queues are MessageQueues too (RedisPubSubChannelLayer).
"""

from __future__ import annotations

import asyncio
import logging
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer as ChannelsRedisPubSubChannelLayer
from channels_redis.pubsub import RedisPubSubLoopLayer
from channels_redis.utils import _wrap_close

from core.queues import MessageQueue

logger = logging.getLogger(__name__)
CLEAN_INTERVAL_SECONDS = 1.0
LAYER_RETRY_SECONDS = (0.5, 10.0)  # first and longest wait between attempts to receive


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cleaned_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at >= CLEAN_INTERVAL_SECONDS:
            self._cleaned_at = now
            super()._clean_expired()

    def _queue(self, channel) -> MessageQueue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = MessageQueue(self.get_capacity(channel))
        return queue

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, deepcopy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._clean_expired()
        queue = self._queue(channel)
        try:
            _, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            try:
                await self.send(channel, message)  # puts on the channel's queue; never waits
            except ChannelFull:
                pass


class RedisChannelLayer(ChannelsRedisChannelLayer):
    """channels-redis' core layer, with a receive that waits out a Redis outage.

    Its own receive raises while Redis is unreachable; Channels then ends the consumer,
    and Daphne closes the socket with 1011: every socket of the process would drop with
    Redis. Here receive retries, backing off up to LAYER_RETRY_SECONDS[1], while the
    socket keeps serving its own actions; when Redis answers again (a restarted Redis has
    lost every membership) the channel is added to its groups again, from the memberships
    this layer kept, and delivery resumes. One warning an outage, however many sockets
    and layers (chat.turns.control has one of its own) the process has.
    """

    down = False  # of the whole process: one warning an outage

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memberships: dict[str, set[str]] = {}

    async def group_add(self, group, channel):
        self._memberships.setdefault(channel, set()).add(group)  # kept even when Redis is down: added on recovery
        await super().group_add(group, channel)

    async def group_discard(self, group, channel):
        # Forgotten first, even when Redis is down: a socket's leave_all empties its entry.
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]
        await super().group_discard(group, channel)

    async def receive(self, channel):
        wait = LAYER_RETRY_SECONDS[0]
        while True:
            try:
                message = await super().receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not RedisChannelLayer.down:
                    logger.warning("channel layer unreachable (%s); the backplane pauses", type(exc).__name__)
                    RedisChannelLayer.down = True
                while True:  # Redis back: the channel is in its groups again before it waits on them
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, LAYER_RETRY_SECONDS[1])
                    if await self._rejoin(channel):
                        break
                continue
            self._reachable()
            return message

    @staticmethod
    def _reachable() -> None:
        if RedisChannelLayer.down:
            RedisChannelLayer.down = False
            logger.info("channel layer reachable again; groups rejoined")

    async def _rejoin(self, channel: str) -> bool:
        groups = list(self._memberships.get(channel, ()))
        if not groups:
            return True  # nothing to restore: the next receive tells whether Redis is back
        try:
            for group in groups:
                if group in self._memberships.get(channel, ()):  # not left meanwhile
                    await super().group_add(group, channel)
        except Exception:
            return False  # still down
        self._reachable()
        return True


class _PubSubLoopLayer(RedisPubSubLoopLayer):
    async def _subscribe_to_channel(self, channel):
        self.channels[channel] = MessageQueue()
        await self._get_shard(channel).subscribe(channel)


class RedisPubSubChannelLayer(ChannelsRedisPubSubChannelLayer):
    """channels-redis' pub/sub layer, its channels' queues MessageQueues (core.queues)."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _PubSubLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
