"""How a cancel reaches the process that runs a turn, from any process: each process
has one control channel (its name is on every lease it holds), read by one task.

The reader has a channel-layer instance of its own: a second receiver sharing the
sockets' instance could, with the core Redis layer, leave the sockets' receive
waiting for good after a Redis outage. With the in-memory layer there is only this
process, and a cancel is handed over directly. While the layer cannot be reached,
turns still start, under a name only this process knows: a cancel from one of its
own sockets still stops them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref

from channels.layers import DEFAULT_CHANNEL_LAYER, InMemoryChannelLayer, channel_layers, get_channel_layer

from chat.turns import registry
from chat.turns.leases import Lease

logger = logging.getLogger(__name__)
CANCEL = "turn.cancel"
_channels: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> (channel name, reader task)
_local: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> this process's name off the layer


def _local_name() -> str:
    return _local.setdefault(asyncio.get_running_loop(), f"turns.local!{uuid.uuid4().hex}")


async def channel() -> str:
    """This process's control channel (opened, and its reader started, on first use)."""
    loop = asyncio.get_running_loop()
    if isinstance(get_channel_layer(), InMemoryChannelLayer):
        return _local_name()
    if loop not in _channels:
        layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        try:
            name = await layer.new_channel()
        except Exception as exc:  # the layer is away: a name of our own; the layer is tried again next time
            logger.warning(
                "turn control channel unavailable (%s); cancels reach this process's turns from its own sockets only", type(exc).__name__
            )
            return _local_name()
        _channels[loop] = (name, asyncio.create_task(_read(layer, name)))
    return _channels[loop][0]


def _ours(name: str) -> bool:
    loop = asyncio.get_running_loop()
    return name in (_channels.get(loop, (None,))[0], _local.get(loop))


async def _read(layer, name: str) -> None:
    """Stop the turns the control channel names. The layer waits out a Redis outage
    (core.layers); meanwhile cancels from this process's own sockets still work."""
    while True:
        message = await layer.receive(name)
        if message.get("type") == CANCEL:
            registry.stop(message["session"], message["request"], registry.StopReason.CANCELLED)


async def cancel(session_id, lease: Lease) -> None:
    """Ask the process holding `lease` to cancel its turn (this one: directly)."""
    if _ours(lease.control_channel):
        registry.stop(session_id, lease.request_id, registry.StopReason.CANCELLED)
        return
    await get_channel_layer().send(lease.control_channel, {"type": CANCEL, "session": str(session_id), "request": lease.request_id})
