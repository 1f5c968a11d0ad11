"""Turn benchmark: Smooth under Daphne, a fake gateway, and a driver, as three processes;
with `--reference`, the protocol's reference Python server measured the same way beside it.

    .venv/bin/python bench/turns.py [--sessions 200] [--turns 5] [--tokens 100] [--idle 2000] [--database-url URL] [--redis-url URL] [--limits on|off]
                                    [--telemetry on|off|both] [--reference PYTHON] [--rounds N]

The fake gateway streams `--tokens`-token replies with no delay (chunked SSE,
keep-alive) to every POST, and answers any other GET with `{"data": []}` (an empty
model list). The driver (this process) runs `--sessions` concurrent sessions of
`--turns` turns each (questions a visitor would ask the demo help centre, which Smooth
serves with SMOOTH_AGENT_SEED_KB=1, so its knowledge stage searches it with the shipped
model) and prints turns per second, ack / first-token / whole-turn
latency p50 and p99, and the server's CPU milliseconds per turn (from
/proc/<pid>/stat). Then, one session alone: how long after the gateway's first
byte the first token reaches the client. Last, the server's memory per idle
connection holding a session, over `--idle` connections.

`--telemetry on` exports Smooth's traces over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT) to a
receiver in the driver that answers every POST /v1/traces with 200 and counts them, and
scrapes /metrics once the load is over; `--telemetry off` (the default) lets no OTEL_*
variable reach Smooth. Metrics are recorded either way: they have no switch.
`--telemetry both` measures Smooth with traces off, then on, in each of `--rounds` rounds
(each in a new process), and ends with both server CPU figures per turn and what tracing
adds, in each round and as medians: neighbours in time, so that a drift in the machine's
speed moves both.

`--reference PYTHON` is the Python of a virtualenv with the protocol's reference server
installed (`smooai-smooth-operator-server`, e.g. 1.66.0; see bench/sessions.py for the
install). Each of `--rounds` rounds (default 1) measures Smooth first, then the
reference, each in a new process (Smooth on a new SQLite file unless `--database-url`)
against the same gateway; a summary gives the medians over the rounds and their
ratios, each written so that above 1 means Smooth ahead: reference / Smooth for CPU per
turn, first token, ack and memory, Smooth / reference for turns per second.

The reference runs as `python -m smooth_operator_server` (its local flavour: sessions
in memory, auth off, no knowledge base), configured by its environment:
SMOOTH_AGENT_BIND / SMOOTH_AGENT_PORT (it also opens its admin HTTP API on port + 1),
SMOOAI_GATEWAY_URL / SMOOAI_GATEWAY_KEY (the fake gateway, through the `openai` client;
model its default, `gpt-6-luna`), and SMOOTH_NO_TOOLS=1 (chat only: by default it
offers a coding toolset rooted at its working directory, which a support chat has no
use for). It serves any path (the driver uses "/") and takes any `agentId`: an agent
it has no configuration for runs with the default prompt. Its turn asks the gateway
for `GET /model/info` (the output ceiling) until one answer parses, hence the JSON
answer above: one fetch per process, as against the gateway it is made for. The driver
sends both servers the same frames; `--database-url`, `--redis-url` and `--limits`
apply to Smooth only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
                if head.startswith(b"GET "):  # /stats for the driver; anything else (a model list) is empty
                    body = json.dumps(first_bytes if head.startswith(b"GET /stats") else {"data": []}).encode()
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


# --- the trace receiver (a thread of the driver) -------------------------------------------


class TraceReceiver:
    """Answers 200 to every OTLP/HTTP export, as a collector would, and counts them."""

    def __init__(self) -> None:
        self.exports = self.bytes = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # the exporter keeps its connection

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path == "/v1/traces":
                    receiver.exports, receiver.bytes = receiver.exports + 1, receiver.bytes + len(body)
                self.send_response(200 if self.path == "/v1/traces" else 404)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- helpers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_pair() -> int:
    """A free port whose successor is free too (the reference's admin API takes port + 1)."""
    for _ in range(100):
        port = free_port()
        try:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise SystemExit("no two free ports in a row")


def wait_for_port(port: int, process: subprocess.Popen, what: str, within_s: float = 30) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not listen within {within_s:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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


# --- the servers --------------------------------------------------------------------------


def smooth_env(args: argparse.Namespace, gateway_port: int, database: Path, traces: TraceReceiver | None) -> dict[str, str]:
    """Smooth's environment for a run: none of the caller's SMOOTH_*, OTEL_* or database settings."""
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if k == "SMOOTH_DB_POOL_SIZE" or not k.startswith(("SMOOTH_", "SMOOAI_", "DATABASE_URL", "REDIS_URL", "OTEL_"))
        },
        "DATABASE_URL": args.database_url or f"sqlite:///{database}",
        "SMOOAI_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}/v1",
        "SMOOAI_GATEWAY_KEY": "sk-bench",
        "SMOOTH_LOG_LEVEL": "WARNING",
        "SMOOTH_AGENT_SEED_KB": "1",  # the knowledge stage searches the demo help centre with the shipped model
        **({"REDIS_URL": args.redis_url} if args.redis_url else {}),
        **(LIMITS_ABOVE_THE_LOAD if args.limits == "on" else dict.fromkeys(LIMITS_ABOVE_THE_LOAD, "0")),
        **({"OTEL_EXPORTER_OTLP_ENDPOINT": traces.url} if traces else {}),
    }


def start_smooth(args: argparse.Namespace, gateway_port: int, database: Path, traces: TraceReceiver | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = smooth_env(args, gateway_port, database, traces)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    wait_for_port(port, server, "Smooth")
    return server, f"ws://127.0.0.1:{port}/ws"


def start_reference(python: str, gateway_port: int, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port_pair()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMOOTH_", "SMOOAI_", "OTEL_"))},
        "SMOOTH_AGENT_BIND": "127.0.0.1",
        "SMOOTH_AGENT_PORT": str(port),
        "SMOOAI_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}/v1",
        "SMOOAI_GATEWAY_KEY": "sk-bench",
        "SMOOTH_NO_TOOLS": "1",
    }
    log = (workdir / f"reference-{port}.log").open("w")
    server = subprocess.Popen([python, "-m", "smooth_operator_server"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    wait_for_port(port, server, f"the reference (log: {log.name})")
    return server, f"ws://127.0.0.1:{port}/"


# --- the driver ----------------------------------------------------------------------------


# What visitors ask the demo help centre (Smooth's knowledge stage searches it), some of
# it about nothing there; each session starts at another question.
QUESTIONS = [
    "How long do I have to return an item?",
    "how much is expedited shipping",
    "When will my refund arrive?",
    "Does the warranty cover accidental damage?",
    "what are your support hours",
    "Can I return something after three weeks?",
    "Is shipping free?",
    "How do I contact a person?",
    "Do you ship to the moon?",
    "How long is the warranty on electronics?",
    "my parcel is late, what can I do",
    "Do you have a loyalty programme?",
]
_asked = itertools.count()


async def run_session(url: str, turns: int, expected: str, results: dict, first_token_epochs: list | None = None) -> None:
    import websockets

    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))
        session_id = json.loads(await ws.recv())["data"]["sessionId"]
        first_question = next(_asked)
        for number in range(turns):
            request_id = f"r{number}"
            question = QUESTIONS[(first_question + number) % len(QUESTIONS)]
            started = time.perf_counter()
            await ws.send(json.dumps({"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": question}))
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


def measure(server: subprocess.Popen, url: str, args: argparse.Namespace, gateway_port: int, profile: str | None) -> dict[str, float]:
    """Run the load, the single session and the idle connections against one server; print
    its figures and return those the comparison reads."""
    expected = "".join(f"tok{i} " for i in range(args.tokens))

    # Warm up (imports, first queries, the gateway connection pool).
    asyncio.run(run_session(url, 2, expected, {"ack": [], "first": [], "turn": [], "wrong": 0}))

    results = {"ack": [], "first": [], "turn": [], "wrong": 0}
    cpu_before, started = cpu_ms(server.pid), time.perf_counter()
    driver_cpu_before = time.process_time()

    async def load() -> None:
        await asyncio.gather(*(run_session(url, args.turns, expected, results) for _ in range(args.sessions)))

    if profile:  # py-spy record on the server while the load runs
        profiler = subprocess.Popen(
            # .txt: collapsed stacks (one line per stack, for scripts); otherwise speedscope JSON
            ["py-spy", "record", "-p", str(server.pid), "-o", profile, "-f", "raw" if profile.endswith(".txt") else "speedscope"]
            + ["-r", "200", "--nonblocking", "--threads"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    asyncio.run(load())
    if profile:
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
    if len(first_bytes) != len(epochs):
        raise SystemExit(f"{len(epochs)} turns made {len(first_bytes)} gateway calls: the first-token gaps would not pair up")
    gaps = [(token - byte) * 1000 for token, byte in zip(epochs, first_bytes)]
    print(line("single session: first token after the gateway's first byte", gaps).replace("  p50", "\n" + " " * 28 + " p50", 1))

    per_connection, total = asyncio.run(hold_idle(url, args.idle, server.pid))
    print(
        f"memory per idle connection with a session: {per_connection:.1f} KiB ({args.idle} connections; server RSS {total / 1024:.0f} MiB)"
    )
    return {
        "cpu": cpu_used / turns,
        "tps": turns / elapsed,
        "first": statistics.median(gaps),
        "ack": statistics.median(results["ack"]),
        "memory": per_connection,
    }


def answered_turns(url: str) -> str:
    """What the server's /metrics says of its answered turns."""
    import httpx

    scraped = httpx.get(url.replace("ws://", "http://").replace("/ws", "/metrics"), timeout=10)
    turns = sum(
        float(sample.rsplit(" ", 1)[1])
        for sample in scraped.text.splitlines()
        if sample.startswith("smooth_turns_total{") and 'outcome="answered"' in sample
    )
    return f"HTTP {scraped.status_code}, {turns:.0f} answered turns counted"


TRACES_OFF, TRACES_ON = "Smooth, traces off", "Smooth, traces on"

# What the summary compares: key, label, unit, and whether a larger figure is better.
FIGURES = [
    ("cpu", "server CPU per turn", "ms", False),
    ("tps", "turns per second", "/s", True),
    ("first", "first token p50, one client", "ms", False),
    ("ack", "ack p50", "ms", False),
    ("memory", "memory per idle connection", "KiB", False),
]


def ratio(smooth: float, reference: float, larger_is_better: bool) -> str:
    top, bottom = (smooth, reference) if larger_is_better else (reference, smooth)
    return f"{top / bottom:6.2f}" if bottom > 0 else "   n/a"


def summarize(figures: dict[str, list[dict[str, float]]], rounds: int) -> None:
    print(f"\nmedians over {rounds} round(s); ratio > 1 means Smooth ahead (reference / Smooth, turns per second Smooth / reference)")
    print(f"{'':34s} {'Smooth':>10s} {'reference':>10s}  {'ratio':>6s}   each round")
    for key, label, unit, larger_is_better in FIGURES:
        smooth = [figure[key] for figure in figures.get("Smooth", figures.get(TRACES_OFF, []))]
        reference = [figure[key] for figure in figures["reference"]]
        each = " ".join(ratio(s, r, larger_is_better).strip() for s, r in zip(smooth, reference))
        middle_smooth, middle_reference = statistics.median(smooth), statistics.median(reference)
        print(
            f"{label + ' (' + unit + ')':34s} {middle_smooth:10.2f} {middle_reference:10.2f}  "
            f"{ratio(middle_smooth, middle_reference, larger_is_better)}   {each}"
        )


def summarize_telemetry(figures: dict[str, list[dict[str, float]]], rounds: int) -> None:
    """Both server CPU figures per turn, and what tracing adds, each round and as medians."""
    off = [figure["cpu"] for figure in figures[TRACES_OFF]]
    on = [figure["cpu"] for figure in figures[TRACES_ON]]
    added = [traced - untraced for untraced, traced in zip(off, on)]
    print(f"\nserver CPU per turn (ms), traces off and on, over {rounds} round(s)")
    print(f"{'':24s} {'median':>8s}   each round")
    for label, values in (("traces off", off), ("traces on", on), ("on - off", added)):
        print(f"{label:24s} {statistics.median(values):8.2f}   {' '.join(f'{value:.2f}' for value in values)}")


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
    parser.add_argument(
        "--telemetry",
        choices=["on", "off", "both"],
        default="off",
        help="on: Smooth exports traces to a local OTLP/HTTP receiver and /metrics is scraped; off: no traces; both: off then on, each round",
    )
    parser.add_argument("--reference", help="the Python of a virtualenv with smooai-smooth-operator-server installed")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of Smooth then the reference (default 1)")
    parser.add_argument("--gateway", type=int, help=argparse.SUPPRESS)  # internal: run as the fake gateway
    args = parser.parse_args()
    if args.gateway:
        gateway_main(args.gateway, args.tokens)
        return

    workdir = Path(tempfile.mkdtemp(prefix="smooth-bench-turns-"))
    gateway_port = free_port()
    gateway = subprocess.Popen([sys.executable, __file__, "--gateway", str(gateway_port), "--tokens", str(args.tokens)])
    traces = TraceReceiver() if args.telemetry != "off" else None
    # Each run of a round: its name, and the receiver its traces go to (None: traces off).
    runs: list[tuple[str, TraceReceiver | None]] = [("Smooth", traces)]
    if args.telemetry == "both":
        runs = [(TRACES_OFF, None), (TRACES_ON, traces)]
    if args.reference:
        runs.append(("reference", None))
    headed = len(runs) > 1 or args.rounds > 1
    figures: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runs}
    try:
        wait_for_port(gateway_port, gateway, "the fake gateway")
        if args.reference:
            print(
                f"Smooth ({'database ' + args.database_url if args.database_url else 'SQLite'}, {'Redis' if args.redis_url else 'in-memory layer'}, limits {args.limits}) and the reference ({args.reference}), run {uuid.uuid4().hex[:6]}"
            )
        for number in range(1, args.rounds + 1):
            for run, (name, exporting_to) in enumerate(runs):
                if headed:
                    print(f"\nround {number}: {name}")
                if name != "reference":
                    server, url = start_smooth(args, gateway_port, workdir / f"bench-{number}-{run}.sqlite3", exporting_to)
                else:
                    server, url = start_reference(args.reference, gateway_port, workdir)
                profile = os.environ.get("BENCH_PROFILE")
                if profile and headed:
                    path = Path(profile)
                    profile = str(path.with_name(f"{path.stem}-{name}-{number}{path.suffix}"))
                scraped = None
                exports_before, bytes_before = (exporting_to.exports, exporting_to.bytes) if exporting_to else (0, 0)
                try:
                    figures[name].append(measure(server, url, args, gateway_port, profile))
                    if exporting_to:
                        scraped = answered_turns(url)
                finally:
                    stop(server)
                if scraped is not None and exporting_to:  # the server's last spans left as it stopped
                    exports, kib = exporting_to.exports - exports_before, (exporting_to.bytes - bytes_before) / 1024
                    print(f"telemetry: {exports} trace exports received ({kib:.0f} KiB); /metrics: {scraped}")
        if args.reference:
            summarize(figures, args.rounds)
        if args.telemetry == "both":
            summarize_telemetry(figures, args.rounds)
    finally:
        gateway.terminate()
        gateway.wait(10)
        if traces:
            traces.stop()


if __name__ == "__main__":
    main()
