"""core.queues.MessageQueue: what the sockets' and channels' queues need of asyncio.Queue."""

import asyncio

import pytest

from core.queues import MessageQueue


async def test_items_come_out_in_order_and_a_waiting_reader_is_woken():
    queue = MessageQueue()
    reader = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    assert not reader.done()
    queue.put_nowait("a")
    queue.put_nowait("b")
    assert await reader == "a"
    assert (queue.qsize(), queue.get_nowait(), queue.empty()) == (1, "b", True)
    with pytest.raises(asyncio.QueueEmpty):
        queue.get_nowait()


async def test_a_full_queue_refuses_at_once():
    queue = MessageQueue(maxsize=2)
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert queue.full()
    with pytest.raises(asyncio.QueueFull):
        queue.put_nowait(3)
    assert [queue.get_nowait(), queue.get_nowait()] == [1, 2]


async def test_a_reader_cancelled_after_it_was_woken_hands_the_item_to_the_next():
    queue = MessageQueue()
    first, second = asyncio.ensure_future(queue.get()), asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    queue.put_nowait("only")  # wakes the first reader...
    first.cancel()  # ...which goes away before it takes the item
    assert await asyncio.wait_for(second, 1) == "only"
    assert queue.empty()


async def test_a_cancelled_reader_leaves_no_waiter_behind():
    queue = MessageQueue()
    reader = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert queue._getters == []  # noqa: SLF001 - nothing holds the cancelled reader
    queue.put_nowait("x")
    assert queue.get_nowait() == "x"
