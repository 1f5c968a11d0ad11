"""The backplane: channel groups that carry events to every socket of a session,
agent, user or organisation, in whatever process holds the socket.

`publish(kind, ident, event)` delivers `event` verbatim. With the in-memory
layer that reaches one process; with channels-redis, all of them. Events must
be JSON-native: channels-redis serialises with msgpack, and a UUID or datetime
that the in-memory layer copies happily breaks only in production, so
`publish` refuses them everywhere.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from channels.layers import get_channel_layer

MESSAGE_TYPE = "backplane.event"  # handled by ChatConsumer.backplane_event
TARGET_KINDS = ("connection", "session", "agent", "user", "org")


class NotJsonNative(TypeError):
    """An event holds a value that is not a JSON string, number, boolean, null, list or object."""


def group_name(kind: str, ident: str) -> str:
    """The channel group of a target. User and organisation ids are free-form
    (emails, "auth0|123"), so they are hashed into the characters group names allow."""
    if kind in ("session", "agent"):
        return f"{kind}.{ident}"
    if kind in ("user", "org"):
        return f"{kind}.{hashlib.sha256(ident.encode('utf-8')).hexdigest()[:40]}"
    raise ValueError(f"unknown backplane target {kind!r}; one of {', '.join(TARGET_KINDS)}")


def assert_json_native(value: Any, path: str = "event") -> None:
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if not -(2**63) <= value < 2**64:  # msgpack's integer range
            raise NotJsonNative(f"{path} is an integer too large to serialise")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJsonNative(f"{path} is {value}, which JSON cannot carry")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            assert_json_native(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJsonNative(f"{path} has a non-string key {key!r}")
            assert_json_native(item, f"{path}.{key}")
        return
    raise NotJsonNative(f"{path} is a {type(value).__name__}, not a JSON value")


def _checked(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise NotJsonNative("an event must be a JSON object")
    assert_json_native(event)
    return event


async def publish(kind: str, ident: str, event: dict[str, Any], *, layer=None) -> None:
    """Deliver `event` verbatim to every socket of the target (one socket for "connection",
    whose ident is the connection's channel name)."""
    if kind == "connection":
        await (layer or get_channel_layer()).send(ident, {"type": MESSAGE_TYPE, "event": _checked(event)})
    else:
        await send_to_group(group_name(kind, ident), event, layer=layer)


async def send_to_group(group: str, event: dict[str, Any], *, message_type: str = MESSAGE_TYPE, layer=None, **beside: Any) -> None:
    """The one way an event reaches a channel group: checked JSON-native (NotJsonNative,
    a bug, is raised, never sent), then sent as a `message_type` message with `beside`
    next to it. A turn's events carry its `request_id` and their `index` there, never in the event
    (event schemas are closed): the consumer uses it to send a re-attached socket each
    event exactly once. The check costs microseconds an event, and tokens are coalesced."""
    await (layer or get_channel_layer()).group_send(group, {"type": message_type, "event": _checked(event), **beside})
