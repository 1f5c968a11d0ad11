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


def turn_message(event: dict[str, Any], request_id: str, index: int) -> dict[str, Any]:
    """A turn's event for the session's group, numbered within the turn. The number
    travels beside the event, never in it (event schemas are closed); the consumer
    uses it to send a re-attached socket each event exactly once."""
    return {"type": MESSAGE_TYPE, "event": event, "turn": [request_id, index]}


async def publish(kind: str, ident: str, event: dict[str, Any], *, layer=None) -> None:
    """Deliver `event` verbatim to every socket of the target (one socket for "connection",
    whose ident is the connection's channel name)."""
    if not isinstance(event, dict):
        raise NotJsonNative("an event must be a JSON object")
    assert_json_native(event)
    layer = layer or get_channel_layer()
    message = {"type": MESSAGE_TYPE, "event": event}
    if kind == "connection":
        await layer.send(ident, message)
    else:
        await layer.group_send(group_name(kind, ident), message)
