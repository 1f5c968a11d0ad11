"""Timestamps for signed authContexts that never repeat for one visitor.

Two contexts signed in one second for one visitor (same user, agent and origin) are the
same bytes, which the replay cache accepts once. A test that means "a fresh context"
must not get the same second twice, and a fixed step back from the clock can (the clock
may tick between the two signatures).
"""

from __future__ import annotations

import time

MAX_AGE_SECONDS = 50  # within the server's allowed skew of 60 s
_used: dict[tuple, set[int]] = {}


def unused_second(*visitor) -> int:
    """The latest second, at most MAX_AGE_SECONDS back, not yet given to this visitor."""
    used = _used.setdefault(visitor, set())
    while True:
        now = int(time.time())
        for second in range(now, now - MAX_AGE_SECONDS, -1):
            if second not in used:
                used.add(second)
                return second
        time.sleep(1)
