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


async def test_a_burst_goes_out_as_the_first_token_then_a_few_more():
    sent = await collect([(0, f"t{i} ") for i in range(100)], window=0.05)
    assert sent[0] == "t0 "  # the first token never waits
    assert len(sent) <= 3  # 2 on a quiet machine; a long pause mid-burst may split it once more
    assert "".join(sent) == "".join(f"t{i} " for i in range(100))


async def test_tokens_further_apart_than_the_window_are_not_delayed_or_merged():
    sent = await collect([(0, "a"), (0.03, "b"), (0.03, "c")])
    assert sent == ["a", "b", "c"]


async def test_buffered_tokens_go_out_when_the_window_closes_without_waiting_for_more():
    sent: list[str] = []

    async def send(text):
        sent.append(text)

    coalescer = TokenCoalescer(send, 0.1)
    await coalescer.add("a")
    await coalescer.add("b")
    assert sent == ["a"]
    await asyncio.sleep(0.3)  # no further token: the timer sends "b"
    assert sent == ["a", "b"]
    await coalescer.flush()
    assert sent == ["a", "b"]


async def test_order_and_text_survive_any_arrival_pattern():
    import random

    rng = random.Random(3)
    arrivals = [(rng.choice([0, 0, 0, 0.004, 0.012]), f"w{i} ") for i in range(200)]
    sent = await collect(arrivals, window=0.005)
    assert "".join(sent) == "".join(text for _, text in arrivals)
