"""The turns this process is running, and how one is stopped.

A turn is an object of its session (its lease says which process runs it); this
registry is where that process keeps its task, so that a cancel (from any socket,
through the control channel), the shutdown deadline, or a lost lease can stop it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from chat.turns.leases import Lease

if TYPE_CHECKING:
    from chat.connection import Connection
    from chat.turns.stages import Pipeline


class StopReason(StrEnum):
    CANCELLED = "cancelled"  # a `cancel` from a socket of the session: `cancelled` 499
    SHUTDOWN = "shutdown"  # the shutdown deadline, or a second signal
    LEASE_LOST = "lease lost"  # its lease expired and another turn took the session


@dataclass
class Turn:
    session_id: uuid.UUID
    request_id: str
    lease: Lease
    conn: Connection  # the connection that sent the send_message (shutdown waits for its turns)
    # False once the reply is being stored: from then on the turn finishes, whatever asks.
    stoppable: bool = True
    stopped: StopReason | None = None
    refused: bool = False  # the connection that asked may no longer use the session
    stages: Pipeline | None = None  # its run through the stages, once opened
    # Made just before its 202 (or as it resumes): what its latencies are measured from.
    accepted_at: float = field(default_factory=time.perf_counter)
    task: asyncio.Task = field(init=False)  # set by add(), before anything reads it
    key: tuple = field(init=False)

    def __post_init__(self):
        self.key = (str(self.session_id), self.request_id)


_running: dict[tuple, Turn] = {}


def add(turn: Turn, task: asyncio.Task) -> None:
    turn.task = task
    _running[turn.key] = turn
    task.add_done_callback(lambda _: _running.pop(turn.key, None))


def stop(session_id, request_id: str, reason: StopReason) -> bool:
    """Stop a running turn of this process at its next await; False when there is none to stop."""
    turn = _running.get((str(session_id), request_id))
    if turn is None or not turn.stoppable or turn.stopped is not None:
        return False
    turn.stopped = reason
    turn.task.cancel()
    return True


def running() -> list[Turn]:
    return list(_running.values())
