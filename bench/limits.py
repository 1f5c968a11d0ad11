"""The CPU the rate limits and the spend budgets cost per turn, without the noise of a whole server.

    .venv/bin/python bench/limits.py [--turns 20000] [--redis-url redis://127.0.0.1:6379/0] [--database-url URL]

What one turn's send_message pays: its frame through a socket's FrameGate, and the
session's and the agent's message rates (limits.policy.message_windows, counted by
core.windows, then limits.policy.message_counted), over 200 sessions; with the in-memory
counters, and with Redis when --redis-url is given (one Lua call per message; a server
makes that call the one that takes the turn's lease). Prints CPU microseconds per turn (this process's, so Redis's
own work is not in it) and the wall time per turn.

Then the budgets: what a turn with one model call adds to the database work it already
does, with every cap set (so every check reads): the caps and the spend read in the
turn's opening hop (limits.budgets.open_ledger), the usage priced, and the one upsert
of its four rows written with the reply. On a fresh SQLite file by default, or on
--database-url (its tables are created by migrate). bench/turns.py --limits on|off
measures the rates from outside, with the whole turn around it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
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
    from core import windows
    from limits import policy

    sessions = [Session() for _ in range(200)]
    gates = [policy.FrameGate() for _ in sessions]
    cpu, wall = time.process_time(), time.perf_counter()
    for index in range(turns):
        gates[index % len(gates)].admit()
        session = sessions[index % len(sessions)]
        await policy.message_counted(session, await windows.count(policy.message_windows(session)))
    return (time.process_time() - cpu) / turns * 1e6, (time.perf_counter() - wall) / turns * 1e6


def measure_budgets(turns: int) -> tuple[float, float]:
    from agents.models import Agent
    from chat import services
    from core.gateway import Usage
    from limits import budgets

    agent = Agent.objects.create(organization_id="bench", name="bench", budget_per_session="1000M tokens")
    sessions = [
        services.create_session(
            agent=agent,
            agent_id=agent.id,
            identity=None,
            user_name="v",
            user_email=None,
            browser_fingerprint=f"fp-{index}",
            browser_info=None,
            metadata={},
            supports=None,
            origin=None,
        )
        for index in range(200)
    ]
    usage = Usage(prompt_tokens=1200, completion_tokens=300)
    cpu, wall = time.process_time(), time.perf_counter()
    for index in range(turns):
        ledger = budgets.open_ledger(sessions[index % len(sessions)], "203.0.113.7", "claude-haiku-4-5")
        ledger.add(usage)
        budgets.write(ledger)
    return (time.process_time() - cpu) / turns * 1e6, (time.perf_counter() - wall) / turns * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=20000)
    parser.add_argument("--redis-url")
    parser.add_argument("--database-url", help="for the budgets (default: a new SQLite file)")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    for name, rate in (("SMOOTH_LIMIT_MESSAGES_PER_SESSION", "1000000/min"), ("SMOOTH_LIMIT_MESSAGES_PER_AGENT", "1000000/min")):
        os.environ[name] = rate  # checked on every message, never refusing
    os.environ["SMOOTH_LIMIT_FRAMES_PER_SOCKET"] = "1000000/s"
    os.environ.pop("REDIS_URL", None)
    workdir = tempfile.mkdtemp(prefix="smooth-bench-limits-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["SMOOAI_GATEWAY_KEY"], os.environ["SMOOTH_AGENT_LLM"] = "sk-bench", "gateway"  # budgets apply to model turns
    for name in ("SMOOTH_BUDGET_PER_VISITOR_DAY", "SMOOTH_BUDGET_PER_AGENT_DAY", "SMOOTH_BUDGET_PER_ORG_MONTH"):
        os.environ[name] = "1000M tokens, $1000000"  # every cap set: every check reads, none refuses
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    import django

    django.setup()
    cpu, wall = asyncio.run(measure(args.turns))
    where = "Redis" if args.redis_url else "in-memory counters"
    print(f"rate limits per turn, {where}: {cpu:.1f} µs CPU, {wall:.1f} µs wall ({args.turns} turns over 200 sessions)")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    turns = min(args.turns, 5000)
    cpu, wall = measure_budgets(turns)
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    print(f"spend budgets per turn, {database}: {cpu:.1f} µs CPU, {wall:.1f} µs wall ({turns} turns over 200 sessions, every cap set)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
