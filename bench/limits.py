"""The CPU the rate limits cost per turn, without the noise of a whole server.

    .venv/bin/python bench/limits.py [--turns 20000] [--redis-url redis://127.0.0.1:6379/0]

What one turn's send_message pays: its frame through a socket's FrameGate, and the
session's and the agent's message rates (limits.policy.check_message), over 200
sessions; with the in-memory counters, and with Redis when --redis-url is given (one
Lua call per message). Prints CPU microseconds per turn (this process's, so Redis's
own work is not in it) and the wall time per turn. bench/turns.py --limits on|off
measures the same from outside, with the whole turn around it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Session:
    """What the handler holds for a session: its id, its agent (with no rates of its own)."""

    def __init__(self):
        self.session_id, self.agent_id = uuid.uuid4(), uuid.uuid4()
        self.agent = type("Agent", (), {"messages_per_session": "", "messages_per_agent": ""})()


async def measure(turns: int) -> tuple[float, float]:
    from limits import policy

    sessions = [Session() for _ in range(200)]
    gates = [policy.FrameGate() for _ in sessions]
    cpu, wall = time.process_time(), time.perf_counter()
    for index in range(turns):
        gates[index % len(gates)].admit()
        await policy.check_message(sessions[index % len(sessions)])
    return (time.process_time() - cpu) / turns * 1e6, (time.perf_counter() - wall) / turns * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=20000)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    for name, rate in (("SMOOTH_LIMIT_MESSAGES_PER_SESSION", "1000000/min"), ("SMOOTH_LIMIT_MESSAGES_PER_AGENT", "1000000/min")):
        os.environ[name] = rate  # checked on every message, never refusing
    os.environ["SMOOTH_LIMIT_FRAMES_PER_SOCKET"] = "1000000/s"
    os.environ.pop("REDIS_URL", None)
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    import django

    django.setup()
    cpu, wall = asyncio.run(measure(args.turns))
    where = "Redis" if args.redis_url else "in-memory counters"
    print(f"rate limits per turn, {where}: {cpu:.1f} µs CPU, {wall:.1f} µs wall ({args.turns} turns over 200 sessions)")


if __name__ == "__main__":
    main()
