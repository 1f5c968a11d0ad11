"""Database work that many sockets ask for at once, done in one hop.

Every socket's database work runs on the one thread `database_sync_to_async` keeps,
one call at a time. A burst of page loads queues hundreds of small calls on it, each
paying the hop and a transaction of its own. A `Batched` function takes the calls that
arrive while its previous batch is on that thread and runs them together in the next:
one hop and one transaction for many callers. A caller alone waits for nothing extra.

Each caller gets its own result or its own exception: the batch function returns one
outcome per item, in order.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from channels.db import database_sync_to_async

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 100  # bounds one transaction's size and the wait of its last caller


class _LoopState(Generic[Item, Result]):
    def __init__(self) -> None:
        self.pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self.flushing = False


class Batched(Generic[Item, Result]):
    """`await batched(item)` runs `run([item, ...])` on the database thread, with whatever
    other items arrived meanwhile, and returns this item's outcome."""

    def __init__(self, run: Callable[[list[Item]], Sequence[Result | BaseException]]):
        self._run = run
        # Per event loop: a test's loop, or a server's, never waits on another's batch.
        self._states: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState[Item, Result]] = weakref.WeakKeyDictionary()
        self._tasks: set[asyncio.Task] = set()

    async def __call__(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        state = self._states.get(loop)
        if state is None:
            state = self._states[loop] = _LoopState()
        future: asyncio.Future[Result] = loop.create_future()
        state.pending.append((item, future))
        if not state.flushing:
            state.flushing = True
            task = loop.create_task(self._flush(state))
            self._tasks.add(task)  # held until done: the loop keeps only a weak reference
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _flush(self, state: _LoopState[Item, Result]) -> None:
        batch: list[tuple[Item, asyncio.Future[Result]]] = []
        try:
            while state.pending:
                batch, state.pending = state.pending[:MAX_BATCH], state.pending[MAX_BATCH:]
                try:
                    outcomes = await database_sync_to_async(self._run)([item for item, _ in batch])
                except Exception as exc:  # the batch function failed as a whole: each caller hears it
                    outcomes = [exc] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():  # its caller went away (a socket closed): the work stands
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
                batch = []
        except BaseException as exc:  # cancelled with the loop: nobody is left waiting forever
            for _, future in [*batch, *state.pending]:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("the server is stopping"))
            state.pending = []
            raise
        finally:
            state.flushing = False
