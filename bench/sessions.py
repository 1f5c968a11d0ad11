"""Session creation benchmark: sessions created and connected per second, Smooth beside the
reference server, in alternating rounds.

    .venv/bin/python bench/sessions.py [--sessions 2000] [--concurrency 50] [--rounds 2]
                                       [--database-url URL] [--reference PYTHON]

A driver (this process) opens `--sessions` WebSockets, `--concurrency` at a time, and on
each sends one `create_conversation_session` and waits for its answer; every socket stays
open until the round ends, as a page that loaded the widget would. It prints sessions
per second, the answer's latency p50 / p99, and the server's CPU milliseconds per
session (from /proc/<pid>/stat).

Smooth runs as `manage.py serve` on a new SQLite file (or `--database-url`), with its rate
limits set far above the load (every client is this one address) and offline answers.
The reference is the Python server of the protocol (`smooai-smooth-operator-server` from
the registry, which keeps sessions in memory), run with `--reference`: the Python of a
virtualenv that has it installed, e.g.

    python3 -m venv /tmp/reference && /tmp/reference/bin/pip install smooai-smooth-operator-server==1.66.0
    .venv/bin/python bench/sessions.py --reference /tmp/reference/bin/python
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from turns import LIMITS_ABOVE_THE_LOAD, ROOT, cpu_ms, free_port, line, start_reference, stop, wait_for_port  # noqa: E402

AGENT_ID = "5e0e7a1c-0000-4000-8000-000000000001"


def start_smooth(database_url: str | None, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMOOTH_", "SMOOAI_", "DATABASE_URL", "REDIS_URL"))},
        "DATABASE_URL": database_url or f"sqlite:///{workdir / f'sessions-{port}.sqlite3'}",
        "SMOOTH_AGENT_LLM": "offline",
        "SMOOTH_LOG_LEVEL": "WARNING",
        **{name: value for name, value in LIMITS_ABOVE_THE_LOAD.items() if name.startswith("SMOOTH_LIMIT_")},
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "Smooth")
    except BaseException:
        stop(process)
        raise
    return process, f"ws://127.0.0.1:{port}/ws"


async def create_sessions(url: str, count: int, concurrency: int) -> tuple[float, list[float], int]:
    """(seconds, each create's latency in ms, failures): every socket kept open to the end."""
    sockets: list = []
    latencies: list[float] = []
    failures = 0
    numbers = iter(range(count))

    async def worker() -> None:
        nonlocal failures
        for number in numbers:
            started = time.perf_counter()
            try:
                socket_ = await websockets.connect(url, max_size=None, open_timeout=30)
                sockets.append(socket_)
                request = {"action": "create_conversation_session", "requestId": f"c-{number}", "agentId": AGENT_ID, "userName": "Bench"}
                await socket_.send(json.dumps(request))
                while True:
                    answer = json.loads(await asyncio.wait_for(socket_.recv(), 30))
                    if answer.get("requestId") == f"c-{number}":
                        break
                if answer.get("type") != "immediate_response" or not (answer.get("data") or {}).get("sessionId"):
                    failures += 1
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
                failures += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(socket_.close() for socket_ in sockets), return_exceptions=True)
    return elapsed, latencies, failures


def measure(name: str, process: subprocess.Popen, url: str, sessions: int, concurrency: int) -> None:
    try:
        asyncio.run(create_sessions(url, 20, 5))  # warm up
        cpu_before = cpu_ms(process.pid)
        elapsed, latencies, failures = asyncio.run(create_sessions(url, sessions, concurrency))
        cpu = cpu_ms(process.pid) - cpu_before
        done = len(latencies)
        print(f"{name:10s} {done / elapsed:8.1f} sessions/s   CPU {cpu / max(done, 1):6.2f} ms/session   failures {failures}")
        if latencies:
            print(f"{'':10s} {line('create answered', latencies)}")
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", help="Smooth's database (default: a new SQLite file each round)")
    parser.add_argument("--reference", help="the Python of a virtualenv with smooai-smooth-operator-server installed")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="smooth-bench-sessions-"))
    print(f"{args.sessions} sessions, {args.concurrency} at a time, each socket kept open; run {uuid.uuid4().hex[:6]}")
    for number in range(args.rounds):
        print(f"round {number + 1}")
        measure("Smooth", *start_smooth(args.database_url, workdir), args.sessions, args.concurrency)
        if args.reference:
            # bench/turns.py's start: the gateway it names is never called (no turn is asked for).
            measure("reference", *start_reference(args.reference, free_port(), workdir), args.sessions, args.concurrency)


if __name__ == "__main__":
    main()
