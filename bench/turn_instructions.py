"""Instructions per turn: the server under valgrind's callgrind, counted only while a load
runs, so the figure does not move with what else the machine is doing (CPU time does, by
tens of percent on a shared machine). Compare two figures taken the same way (traces off
and on, before and after a change), never with bench/turns.py's milliseconds.

    .venv/bin/python bench/turn_instructions.py [--telemetry off|on] [--sessions 10] [--turns 5] [--tokens 100]

The server (SQLite, knowledge seeded, limits on: as bench/turns.py) starts under callgrind
with counting off; after a warm-up, and after the first trace export (whose imports are
paid once), counting runs for `--sessions` concurrent sessions of `--turns` turns. It
prints the instructions per turn of each thread (the event loop is the first) and in all,
and with traces on how many exports the counted load sent: each pays the HTTP client's
fixed cost, and under callgrind the span processor's 5 s timer sends one every few turns,
where bench/turns.py's load fills a 512-span batch first (about 70 turns).
Runs under callgrind take about 50 times longer: keep the load small. The counts still
vary by about 2% from run to run (how tokens are batched depends on timing): repeat, and
compare medians. Needs valgrind (Debian's package).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import turns as bench  # noqa: E402  (bench/turns.py: its gateway, driver and settings)

EXPORT_DELAY_S = 8  # longer than the span processor's 5 s: the first export happens before counting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--telemetry", choices=["off", "on"], default="off")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=100)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="smooth-bench-instructions-"))
    gateway_port = bench.free_port()
    gateway = subprocess.Popen([sys.executable, bench.__file__, "--gateway", str(gateway_port), "--tokens", str(args.tokens)])
    traces = bench.TraceReceiver() if args.telemetry == "on" else None
    server = None
    try:
        bench.wait_for_port(gateway_port, gateway, "the fake gateway")
        run = argparse.Namespace(database_url=None, redis_url=None, limits="on")  # as bench/turns.py's defaults
        env = bench.smooth_env(run, gateway_port, workdir / "bench.sqlite3", traces)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=bench.ROOT, env=env, check=True)
        port = bench.free_port()
        counts = workdir / "callgrind.out"
        server = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--separate-threads=yes", f"--callgrind-out-file={counts}"]
            + [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=bench.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        bench.wait_for_port(port, server, "Smooth under callgrind", within_s=900)  # its start-up alone takes minutes
        url = f"ws://127.0.0.1:{port}/ws"
        expected = "".join(f"tok{i} " for i in range(args.tokens))
        asyncio.run(bench.run_session(url, 3, expected, {"ack": [], "first": [], "turn": [], "wrong": 0}))
        time.sleep(EXPORT_DELAY_S)
        control = ["callgrind_control"]
        subprocess.run(control + ["--instr=on", str(server.pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(control + ["--zero", str(server.pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = {"ack": [], "first": [], "turn": [], "wrong": 0}
        exports_before = traces.exports if traces else 0

        async def load() -> None:
            await asyncio.gather(*(bench.run_session(url, args.turns, expected, results) for _ in range(args.sessions)))

        asyncio.run(load())
        subprocess.run(control + ["--dump", str(server.pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        turns = len(results["turn"])
        total = 0
        print(f"traces {args.telemetry}: {turns} turns ({args.sessions} sessions x {args.turns}, {args.tokens}-token replies)")
        for dump in sorted(workdir.glob("callgrind.out.1-*")):  # the dump's part 1, one file per thread
            found = re.search(r"^summary:\s+(\d+)", dump.read_text(errors="replace"), re.M)
            if found:
                total += int(found.group(1))
                print(f"  thread {dump.name.rsplit('-', 1)[1]}: {int(found.group(1)) / turns / 1e6:7.2f} M instructions per turn")
        print(f"instructions per turn: {total / turns / 1e6:.2f} M")
        if traces:  # each export pays the HTTP client's fixed cost: under callgrind the 5 s timer sends small batches
            print(f"trace exports while counting: {traces.exports - exports_before} ({turns} turns)")
    finally:
        if server is not None:
            server.kill()  # under callgrind a graceful stop takes minutes; nothing of it is measured
            server.wait()
        gateway.terminate()
        gateway.wait(10)
        if traces:
            traces.stop()


if __name__ == "__main__":
    main()
