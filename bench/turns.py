"""Turn benchmark: Smooth under Daphne, a fake gateway, and a driver, as three processes.

    .venv/bin/python bench/turns.py [--sessions 200] [--turns 5] [--tokens 100] [--idle 2000] [--database-url URL] [--redis-url URL] [--limits on|off]

The fake gateway streams `--tokens`-token replies with no delay (chunked SSE,
keep-alive). The driver (this process) runs `--sessions` concurrent sessions of
`--turns` turns each and prints turns per second, ack / first-token / whole-turn
latency p50 and p99, and the server's CPU milliseconds per turn (from
/proc/<pid>/stat). Then, one session alone: how long after the gateway's first
byte the first token reaches the client. Last, the server's memory per idle
connection holding a session, over `--idle` connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
# All from one address (the driver): checked on every connection, session, message and frame.
LIMITS_ABOVE_THE_LOAD = {
    "SMOOTH_LIMIT_CONNECTIONS_PER_IP": "1000000/min",
    "SMOOTH_LIMIT_SOCKETS_PER_IP": "1000000",
    "SMOOTH_LIMIT_SESSIONS_PER_IP": "1000000/h",
    "SMOOTH_LIMIT_MESSAGES_PER_SESSION": "1000000/min",
    "SMOOTH_LIMIT_MESSAGES_PER_AGENT": "1000000/min",
    "SMOOTH_LIMIT_FRAMES_PER_SOCKET": "1000000/s",
    # every budget set (so every check reads), none reached
    "SMOOTH_BUDGET_PER_SESSION": "1000M tokens",
    "SMOOTH_BUDGET_PER_VISITOR_DAY": "1000M tokens",
    "SMOOTH_BUDGET_PER_AGENT_DAY": "1000M tokens",
    "SMOOTH_BUDGET_PER_ORG_MONTH": "1000M tokens",
}


# --- the fake gateway (runs in its own process) ---------------------------------------


def gateway_main(port: int, tokens: int) -> None:
    first_bytes: list[float] = []
    events = [f'data: {{"choices":[{{"index":0,"delta":{{"content":"tok{i} "}},"finish_reason":null}}]}}\n\n' for i in range(tokens)]
    tail = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5}}\n\ndata: [DONE]\n\n'

    def chunk(text: str) -> bytes:
        data = text.encode()
        return b"%x\r\n%s\r\n" % (len(data), data)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                if head.startswith(b"GET /stats"):
                    body = json.dumps(first_bytes).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
                    await writer.drain()
                    continue
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
                first_bytes.append(time.time())
                for event in events:
                    writer.write(chunk(event))
                writer.write(chunk(tail) + b"0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


# --- helpers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not listen within 30 s")


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS  # utime + stime


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def line(label: str, values: list[float]) -> str:
    return f"{label:28s} p50 {statistics.median(values):8.1f} ms   p99 {pct(values, 0.99):8.1f} ms"


# --- the driver ----------------------------------------------------------------------------


async def run_session(url: str, turns: int, expected: str, results: dict, first_token_epochs: list | None = None) -> None:
    import websockets

    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))
        session_id = json.loads(await ws.recv())["data"]["sessionId"]
        for number in range(turns):
            request_id = f"r{number}"
            started = time.perf_counter()
            await ws.send(
                json.dumps({"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": f"question {number}"})
            )
            text, first = "", None
            while True:
                event = json.loads(await ws.recv())
                kind = event["type"]
                if kind == "immediate_response":
                    results["ack"].append((time.perf_counter() - started) * 1000)
                elif kind == "stream_token":
                    results["token_frames"] = results.get("token_frames", 0) + 1
                    if first is None:
                        first = time.perf_counter()
                        results["first"].append((first - started) * 1000)
                        if first_token_epochs is not None:
                            first_token_epochs.append(time.time())
                    text += event["token"]
                elif kind == "eventual_response":
                    results["turn"].append((time.perf_counter() - started) * 1000)
                    if text != expected:
                        results["wrong"] += 1
                    break
                else:
                    raise SystemExit(f"unexpected event: {event}")


async def hold_idle(url: str, count: int, pid: int) -> tuple[float, int]:
    import websockets

    before = rss_kib(pid)
    sockets = []
    for start in range(0, count, 100):
        batch = await asyncio.gather(*(websockets.connect(url) for _ in range(min(100, count - start))))
        for ws in batch:
            await ws.send(json.dumps({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))
        for ws in batch:
            await ws.recv()
        sockets.extend(batch)
    await asyncio.sleep(2)
    after = rss_kib(pid)
    await asyncio.gather(*(ws.close() for ws in sockets))
    return (after - before) / count, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--idle", type=int, default=2000)
    parser.add_argument("--database-url", help="the server's database (default: a new SQLite file); SMOOTH_DB_POOL_SIZE passes through")
    parser.add_argument("--redis-url", help="the server's Redis (channel layer and turn journals; default: the in-memory layer)")
    parser.add_argument(
        "--limits",
        choices=["on", "off"],
        default="on",
        help="on: every rate limit checked, each set far above the load (their cost, not their refusals); off: none",
    )
    parser.add_argument("--gateway", type=int, help=argparse.SUPPRESS)  # internal: run as the fake gateway
    args = parser.parse_args()
    if args.gateway:
        gateway_main(args.gateway, args.tokens)
        return

    workdir = Path(tempfile.mkdtemp(prefix="smooth-bench-turns-"))
    gateway_port, server_port = free_port(), free_port()
    gateway = subprocess.Popen([sys.executable, __file__, "--gateway", str(gateway_port), "--tokens", str(args.tokens)])
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k == "SMOOTH_DB_POOL_SIZE" or not k.startswith(("SMOOTH_", "SMOOAI_", "DATABASE_URL", "REDIS_URL"))
        },
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SMOOAI_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}/v1",
        "SMOOAI_GATEWAY_KEY": "sk-bench",
        "SMOOTH_LOG_LEVEL": "WARNING",
        **({"REDIS_URL": args.redis_url} if args.redis_url else {}),
        **(LIMITS_ABOVE_THE_LOAD if args.limits == "on" else dict.fromkeys(LIMITS_ABOVE_THE_LOAD, "0")),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(server_port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(gateway_port, gateway, "the fake gateway")
        wait_for_port(server_port, server, "Smooth")
        url = f"ws://127.0.0.1:{server_port}/ws"
        expected = "".join(f"tok{i} " for i in range(args.tokens))

        # Warm up (imports, first queries, the gateway connection pool).
        asyncio.run(run_session(url, 2, expected, {"ack": [], "first": [], "turn": [], "wrong": 0}))

        results = {"ack": [], "first": [], "turn": [], "wrong": 0}
        cpu_before, started = cpu_ms(server.pid), time.perf_counter()
        driver_cpu_before = time.process_time()

        async def load() -> None:
            await asyncio.gather(*(run_session(url, args.turns, expected, results) for _ in range(args.sessions)))

        if os.environ.get("BENCH_PROFILE"):  # py-spy record on the server while the load runs
            profiler = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "-p",
                    str(server.pid),
                    "-o",
                    os.environ["BENCH_PROFILE"],
                    "-f",
                    "speedscope",
                    "-r",
                    "200",
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        asyncio.run(load())
        if os.environ.get("BENCH_PROFILE"):
            profiler.send_signal(signal.SIGINT)  # py-spy writes its profile on SIGINT
            profiler.wait(60)
        elapsed, cpu_used = time.perf_counter() - started, cpu_ms(server.pid) - cpu_before
        turns = len(results["turn"])
        print(
            f"{args.sessions} sessions x {args.turns} turns, {args.tokens}-token replies: {turns} turns in {elapsed:.1f} s = {turns / elapsed:.0f} turns/s"
        )
        print(line("ack (202)", results["ack"]))
        print(line("first token", results["first"]))
        print(line("whole turn", results["turn"]))
        driver_cpu = (time.process_time() - driver_cpu_before) * 1000
        print(f"server CPU per turn          {cpu_used / turns:8.2f} ms   (replies with wrong text: {results['wrong']})")
        print(
            f"stream_token frames per turn {results.get('token_frames', 0) / turns:8.1f}      driver CPU per turn {driver_cpu / turns:.2f} ms"
        )

        # One session alone: first token after the gateway's first byte.
        single = {"ack": [], "first": [], "turn": [], "wrong": 0}
        epochs: list[float] = []
        import httpx

        already = len(httpx.get(f"http://127.0.0.1:{gateway_port}/stats").json())
        asyncio.run(run_session(url, 30, expected, single, epochs))
        first_bytes = httpx.get(f"http://127.0.0.1:{gateway_port}/stats").json()[already:]
        gaps = [(token - byte) * 1000 for token, byte in zip(epochs, first_bytes)]
        print(line("single session: first token after the gateway's first byte", gaps).replace("  p50", "\n" + " " * 28 + " p50", 1))

        per_connection, total = asyncio.run(hold_idle(url, args.idle, server.pid))
        print(
            f"memory per idle connection with a session: {per_connection:.1f} KiB ({args.idle} connections; server RSS {total / 1024:.0f} MiB)"
        )
    finally:
        server.terminate()
        gateway.terminate()
        server.wait(10)
        gateway.wait(10)


if __name__ == "__main__":
    main()
