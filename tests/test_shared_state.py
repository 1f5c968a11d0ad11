"""core.shared: each use's store is Redis with REDIS_URL and memory without (read on every
call), and reset_process_state starts every registered piece of process state afresh."""

from __future__ import annotations

from core.logfilters import Throttle
from core.shared import Outage, Shared, reset_process_state


class Memory:
    def __init__(self):
        self.items: list[str] = []


class Remote:
    def __init__(self, fallback: Memory):
        self.fallback = fallback


def test_a_use_picks_redis_or_memory_on_every_call_and_redis_falls_back_to_the_same_memory(settings):
    use = Shared("test", Memory, Remote, outage=Outage.MEMORY)
    settings.REDIS_URL = None
    assert use() is use.memory
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert use() is use.redis and use.redis.fallback is use.memory


def test_reset_process_state_empties_every_store_and_rearms_every_warning():
    from chat.turns import journal, leases
    from core import windows
    from limits import counters
    from widget_auth import replay

    use = Shared("test", Memory, Remote, outage=Outage.SKIP)
    use.memory.items.append("left over")
    throttle = Throttle(60.0)
    assert throttle.ready() and not throttle.ready()
    before = (
        leases._store.memory,
        journal.journals.memory,
        replay.replay_cache.memory,
        windows.windows_store.memory,
        counters._gauges.memory,
    )
    reset_process_state()
    assert use.memory.items == [] and use.redis.fallback is use.memory
    assert throttle.ready()
    after = (
        leases._store.memory,
        journal.journals.memory,
        replay.replay_cache.memory,
        windows.windows_store.memory,
        counters._gauges.memory,
    )
    assert all(old is not new for old, new in zip(before, after))
