"""Connection.turn_end: what a shutdown waits for before it closes a socket."""

import asyncio

from chat import protocol
from chat.connection import Connection


async def _noop(event):
    pass


def _connection() -> Connection:
    return Connection(channel_name="test!1", channel_layer=None, send=_noop)


async def test_turn_end_is_done_once_the_terminal_event_is_relayed_and_not_before():
    conn = _connection()
    end = conn.turn_end("m1")
    conn.relayed(protocol.stream_token("m1", "Returns"))
    await asyncio.sleep(0)
    assert not end.done()
    conn.relayed(protocol.cancelled("m1"))
    assert end.done()


async def test_turn_end_is_done_at_once_when_the_end_was_relayed_already():
    conn = _connection()
    conn.relayed(protocol.error("m1", protocol.ErrorCode.AGENT_ERROR, "the agent could not answer"))
    assert conn.turn_end("m1").done()
    assert not conn.turn_end("m2").done()  # another turn's end is not this one's
