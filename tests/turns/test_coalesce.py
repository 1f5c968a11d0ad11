import asyncio

from chat.turns.coalesce import TokenCoalescer


async def collect(arrivals: list[tuple[float, str]], window: float = 0.01) -> list[str]:
    """Feed (delay before, text) pairs; return the sends."""
    sent: list[str] = []

    async def send(text: str) -> None:
        sent.append(text)

    coalescer = TokenCoalescer(send, window)
    for delay, text in arrivals:
        if delay:
            await asyncio.sleep(delay)
        await coalescer.add(text)
    await coalescer.flush()
    return sent


async def test_a_burst_goes_out_as_one_or_two_frames():
    sent = await collect([(0, f"t{i} ") for i in range(100)], window=0.05)
    assert len(sent) <= 2
    assert "".join(sent) == "".join(f"t{i} " for i in range(100))


async def test_tokens_further_apart_than_the_window_are_not_delayed_or_merged():
    sent = await collect([(0, "a"), (0.03, "b"), (0.03, "c")])
    assert sent == ["a", "b", "c"]


async def test_a_token_goes_out_at_once_and_the_next_when_the_window_closes():
    sent: list[str] = []

    async def send(text):
        sent.append(text)

    coalescer = TokenCoalescer(send, 0.1)
    await coalescer.add("a")  # the turn's first: out before add returns
    assert sent == ["a"]
    await coalescer.add("b")  # a window after "a" (the first add paused for one)
    await asyncio.sleep(0)
    assert sent == ["a", "b"]
    await coalescer.add("c")
    await asyncio.sleep(0.01)
    assert sent == ["a", "b"]  # within the window of "b": it waits
    await asyncio.sleep(0.3)  # no further token: the window closing sends "c"
    assert sent == ["a", "b", "c"]
    await coalescer.flush()
    assert sent == ["a", "b", "c"]


async def test_tokens_arriving_while_a_slow_send_is_under_way_join_the_next_send():
    """A publish slower than the stream (a busy loop, a remote channel layer) must not
    make every later token a frame of its own. Each send here lasts until the test lets
    it finish, so what arrives meanwhile is known whatever the machine's speed."""
    sent: list[str] = []
    started, finish = asyncio.Event(), asyncio.Semaphore(0)

    async def slow_send(text):
        sent.append(text)
        started.set()
        await finish.acquire()

    async def next_send_started():
        await asyncio.wait_for(started.wait(), 5)
        started.clear()

    coalescer = TokenCoalescer(slow_send, 0.003)
    await coalescer.add("t0 ")
    await next_send_started()
    for batch in (range(1, 30), range(30, 60)):
        for index in batch:  # all while the previous send is under way
            await coalescer.add(f"t{index} ")
            await asyncio.sleep(0)
        finish.release()
        await next_send_started()
    finish.release()
    await coalescer.flush()
    assert sent == ["t0 ", "".join(f"t{index} " for index in range(1, 30)), "".join(f"t{index} " for index in range(30, 60))]


async def test_flush_sends_everything_added_before_it():
    sent: list[str] = []

    async def send(text):
        await asyncio.sleep(0.005)
        sent.append(text)

    coalescer = TokenCoalescer(send, 0.05)
    await coalescer.add("a")
    await asyncio.sleep(0)
    await coalescer.add("b")  # waiting for the window
    await coalescer.flush()
    assert "".join(sent) == "ab"


async def test_order_and_text_survive_any_arrival_pattern():
    import random

    rng = random.Random(3)
    arrivals = [(rng.choice([0, 0, 0, 0.004, 0.012]), f"w{i} ") for i in range(200)]
    sent = await collect(arrivals, window=0.005)
    assert "".join(sent) == "".join(text for _, text in arrivals)


async def test_a_turn_stopped_while_flushing_does_not_cut_a_send_in_half():
    """A cancel lands while a batch is being published: that publish completes, and the
    terminal event's flush sends whatever is left, in order."""
    started, release = asyncio.Event(), asyncio.Event()
    completed: list[str] = []

    async def send(text):
        started.set()
        await release.wait()  # a slow publish (a remote layer)
        completed.append(text)

    coalescer = TokenCoalescer(send, 0)
    await coalescer.add("a")
    await started.wait()
    await coalescer.add("b")
    flushing = asyncio.ensure_future(coalescer.flush())
    await asyncio.sleep(0)
    flushing.cancel()  # the turn is stopped here
    await asyncio.sleep(0)
    release.set()
    await coalescer.flush()  # the terminal event's flush
    assert completed == ["a", "b"]
    assert flushing.cancelled()


async def test_the_first_token_of_a_burst_is_sent_before_the_rest_is_read():
    """A gateway's whole reply can arrive in one read: the first token must not wait
    for the turn to parse the other 99."""
    sent: list[str] = []

    async def send(text):
        sent.append(text)

    coalescer = TokenCoalescer(send, 0.05)
    await coalescer.add("t0 ")
    assert sent == ["t0 "]
    for i in range(1, 100):
        await coalescer.add(f"t{i} ")
    await coalescer.flush()
    assert len(sent) <= 3 and "".join(sent) == "".join(f"t{i} " for i in range(100))
