"""core.batching: calls that arrive while a batch runs go together in the next, and each
caller gets its own outcome."""

import asyncio
import threading

import pytest

from core.batching import Batched

# Each batch runs on Django's database thread (database_sync_to_async), which tidies that
# thread's connections around every call.
pytestmark = pytest.mark.django_db(transaction=True)


async def test_calls_made_while_a_batch_runs_go_together_in_the_next():
    batches: list[list[int]] = []
    first_batch_running = threading.Event()
    release = threading.Event()

    def run(items: list[int]) -> list[int]:
        batches.append(items)
        if len(batches) == 1:
            first_batch_running.set()
            release.wait(5)
        return [item * 10 for item in items]

    double = Batched(run)
    first = asyncio.ensure_future(double(1))
    await asyncio.get_running_loop().run_in_executor(None, first_batch_running.wait, 5)
    rest = [asyncio.ensure_future(double(number)) for number in (2, 3, 4)]
    await asyncio.sleep(0)
    release.set()
    assert await first == 10
    assert await asyncio.gather(*rest) == [20, 30, 40]
    assert batches == [[1], [2, 3, 4]]


async def test_each_caller_gets_its_own_outcome_and_a_failed_batch_fails_each_caller():
    def run(items: list[str]) -> list[object]:
        if "all" in items:
            raise RuntimeError("the batch failed")
        return [ValueError(item) if item.startswith("bad") else item.upper() for item in items]

    upper = Batched(run)
    outcomes = await asyncio.gather(upper("a"), upper("bad-b"), upper("c"), return_exceptions=True)
    assert outcomes[0] == "A" and outcomes[2] == "C"
    assert isinstance(outcomes[1], ValueError) and str(outcomes[1]) == "bad-b"
    failed = await asyncio.gather(upper("x"), upper("all"), return_exceptions=True)
    assert all(isinstance(outcome, RuntimeError) for outcome in failed)
    assert await upper("after") == "AFTER"  # the next batch runs as usual


async def test_a_caller_that_goes_away_does_not_stop_its_batch():
    stored: list[str] = []
    running, release = threading.Event(), threading.Event()

    def run(items: list[str]) -> list[str]:
        running.set()
        release.wait(5)
        stored.extend(items)
        return items

    store = Batched(run)
    gone = asyncio.ensure_future(store("gone"))
    await asyncio.get_running_loop().run_in_executor(None, running.wait, 5)
    gone.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert await store("next") == "next"
    assert stored == ["gone", "next"]


def test_each_event_loop_has_its_own_batches():
    """A batcher used under one loop works under the next (tests and servers each have their own)."""

    def run(items: list[int]) -> list[int]:
        return items

    echo = Batched(run)
    assert asyncio.run(echo(1)) == 1
    assert asyncio.run(echo(2)) == 2
