"""Agent turns: the one entry point send_message calls.

`start_turn` refuses at once when turns cannot run (LLM_UNAVAILABLE), else
acknowledges with 202 and runs the turn as a task of its own, so the socket
stays responsive (pings are answered while tokens stream) and the turn finishes
and stores its reply even if the visitor disconnects. Turns of one session run
one at a time, in arrival order, within a process.
"""

from __future__ import annotations

import asyncio

from django.conf import settings

from chat import protocol
from chat.protocol import ErrorCode, ProtocolError
from chat.turns.loop import run_turn

# Running and waiting turns, each with its connection (also the strong reference
# a bare task needs, or it may be collected mid-turn).
_running: dict[asyncio.Task, object] = {}
_session_locks: dict[str, list] = {}  # session id -> [lock, turns holding or waiting]


def ensure_available() -> None:
    if settings.SMOOTH_AGENT_LLM == "gateway" and not settings.SMOOAI_GATEWAY_KEY:
        raise ProtocolError(
            ErrorCode.LLM_UNAVAILABLE,
            "this server cannot run agent turns: SMOOAI_GATEWAY_KEY is not set "
            "(or set SMOOTH_AGENT_LLM=offline to answer from the knowledge base without a model)",
        )


async def start_turn(conn, session, request) -> None:
    ensure_available()
    await conn.send(
        protocol.immediate_response(
            request.request_id, status=202, message="Processing your request...", data={"sessionId": str(session.session_id)}
        )
    )
    task = asyncio.create_task(_in_order(conn, session, request))
    _running[task] = conn
    task.add_done_callback(_forget)


def _forget(task: asyncio.Task) -> None:
    _running.pop(task, None)


async def _in_order(conn, session, request) -> None:
    key = str(session.session_id)
    entry = _session_locks.setdefault(key, [asyncio.Lock(), 0])
    entry[1] += 1
    try:
        async with entry[0]:  # asyncio.Lock wakes waiters first come, first served
            await run_turn(conn, session, request)
    finally:
        entry[1] -= 1
        if entry[1] == 0:
            _session_locks.pop(key, None)


def in_flight() -> int:
    return len(_running)


async def settled(conn) -> None:
    """Return once no turn of this connection is running or waiting."""
    while mine := [task for task, owner in _running.items() if owner is conn]:
        await asyncio.wait(mine)


async def drain() -> None:
    """Wait for every running turn."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


async def cancel_all() -> int:
    """Cancel every turn still in flight (the shutdown deadline); return how many."""
    tasks = list(_running)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return len(tasks)
