"""Log filters: one line per outage, not one per retry."""

from __future__ import annotations

import logging
import time
import weakref


class RepeatFilter(logging.Filter):
    """Lets the first of a run of identical records through, then at most one per
    `window` seconds, saying how many were held back. channels-redis's pub/sub
    layer logs a traceback every second while Redis is down."""

    def __init__(self, window: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.window = window
        self.clock = clock
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = self.clock()
        last, held = self._seen.get(key, (None, 0))
        if last is not None and now - last < self.window:
            self._seen[key] = (last, held + 1)
            return False
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last {self.window:.0f} s)"
        self._seen[key] = (now, 0)
        return True


class Throttle:
    """At most one pass per `interval` seconds: one warning per outage from code that
    fails the same way on every event (each holder its own, so tests do not share one)."""

    _all: weakref.WeakSet[Throttle] = weakref.WeakSet()

    def __init__(self, interval: float = 60.0, clock=time.monotonic):
        self.interval = interval
        self.clock = clock
        self._passed_at: float | None = None
        Throttle._all.add(self)

    @classmethod
    def reset_all(cls) -> None:
        """Every throttle passes again (core.shared.reset_process_state)."""
        for throttle in list(cls._all):
            throttle._passed_at = None

    def ready(self) -> bool:
        now = self.clock()
        if self._passed_at is not None and now - self._passed_at < self.interval:
            return False
        self._passed_at = now
        return True
