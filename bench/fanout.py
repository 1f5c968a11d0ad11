"""Backplane benchmark: N sockets over two Smooth processes, events published from a third.

    .venv/bin/python bench/fanout.py [--sockets 100,1000,5000] [--layer core,pubsub]
                                     [--events 5000] [--database-url postgres://...]

For each layer and each N: two `manage.py serve` processes share a PostgreSQL
database (a new one per run, dropped after) and the machine's Redis. The driver
(this process) opens N sockets, half on each server, each creating a session.
Memory per idle connection is the growth of the two servers' RSS over N. A
publisher process (`chat.backplane.publish`, as `chat_publish` uses it) then
sends events to the sessions, round after round, with 64 publishes in flight;
each event carries its send time, so the driver reports delivery latency p50 /
p99 and delivered events per second.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.turns import free_port, pct, rss_kib, wait_for_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"
PUBLISHES_IN_FLIGHT = 64


# --- the publisher (its own process, with Smooth's settings) --------------------------------


def publisher_main(sessions_file: str, rounds: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smooth.settings")
    django.setup()
    from chat.backplane import publish

    session_ids = json.loads(Path(sessions_file).read_text())

    async def run() -> None:
        gate = asyncio.Semaphore(PUBLISHES_IN_FLIGHT)

        async def one(session_id: str, sequence: int) -> None:
            async with gate:
                await publish("session", session_id, {"type": "bench", "seq": sequence, "sentAt": time.time()})

        started = time.perf_counter()
        for round_number in range(rounds):
            await asyncio.gather(*(one(session_id, round_number) for session_id in session_ids))
        elapsed = time.perf_counter() - started
        print(json.dumps({"published": rounds * len(session_ids), "seconds": elapsed}))

    asyncio.run(run())


# --- the driver ---------------------------------------------------------------------------------


async def open_sockets(urls: list[str], count: int) -> list:
    import websockets

    sockets, session_ids = [], []
    gate = asyncio.Semaphore(200)

    async def one(index: int) -> None:
        async with gate:
            socket = await websockets.connect(urls[index % len(urls)], max_size=None)
            await socket.send(json.dumps({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))
            reply = json.loads(await socket.recv())
            sockets.append(socket)
            session_ids.append(reply["data"]["sessionId"])

    await asyncio.gather(*(one(index) for index in range(count)))
    return list(zip(sockets, session_ids))


async def receive_all(sockets: list, per_socket: int, latencies: list[float], deadline: float) -> None:
    async def drain(socket) -> None:
        for _ in range(per_socket):
            event = json.loads(await socket.recv())
            latencies.append((time.time() - event["sentAt"]) * 1000)

    try:
        await asyncio.wait_for(asyncio.gather(*(drain(socket) for socket, _ in sockets)), deadline)
    except TimeoutError:  # reported as fewer events delivered than published
        pass


def start_servers(env: dict) -> list[tuple[subprocess.Popen, int]]:
    servers = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        servers.append((process, port))
    for process, port in servers:
        wait_for_port(port, process, "Smooth")
    return servers


def measure(layer: str, count: int, events: int, database_url: str) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMOOTH_", "SMOOAI_", "DATABASE_URL", "REDIS_URL"))},
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SMOOTH_CHANNEL_LAYER": layer,
        "SMOOTH_AGENT_LLM": "offline",
        "SMOOTH_LOG_LEVEL": "WARNING",
    }
    servers = start_servers(env)
    rounds = max(1, -(-events // count))
    try:
        urls = [f"ws://127.0.0.1:{port}/ws" for _, port in servers]

        async def run() -> dict:
            await open_sockets(urls, 2)  # warm-up: imports, first queries, the pool
            rss_before = sum(rss_kib(process.pid) for process, _ in servers)
            sockets = await open_sockets(urls, count)
            await asyncio.sleep(2)
            rss_after = sum(rss_kib(process.pid) for process, _ in servers)
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
                json.dump([session_id for _, session_id in sockets], handle)
            latencies: list[float] = []
            receiving = asyncio.ensure_future(receive_all(sockets, rounds, latencies, deadline=60))
            started = time.perf_counter()
            publisher = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--publish",
                handle.name,
                "--rounds",
                str(rounds),
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.PIPE,
            )
            published = json.loads((await publisher.communicate())[0])
            await receiving
            elapsed = time.perf_counter() - started
            os.unlink(handle.name)
            await asyncio.gather(*(socket.close() for socket, _ in sockets))
            return {
                "delivered": len(latencies),
                "p50": pct(latencies, 0.5),
                "p99": pct(latencies, 0.99),
                "delivered_per_s": len(latencies) / elapsed,
                "published_per_s": published["published"] / published["seconds"],
                "kib_per_idle": (rss_after - rss_before) / count,
            }

        return asyncio.run(run())
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", default="100,1000,5000")
    parser.add_argument("--layer", default="core,pubsub")
    parser.add_argument("--events", type=int, default=5000, help="events per run (whole rounds over every session)")
    parser.add_argument("--publish", help=argparse.SUPPRESS)  # internal: run as the publisher
    parser.add_argument("--rounds", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish:
        publisher_main(args.publish, args.rounds)
        return

    import psycopg

    print(
        f"{'layer':7s} {'sockets':>7s} {'events':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'delivered/s':>11s} {'published/s':>11s} {'KiB/idle conn':>13s}"
    )
    for layer in args.layer.split(","):
        for count in (int(n) for n in args.sockets.split(",")):
            name = f"smooth_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                database_url = f"{POSTGRES}/{name}"
                migrate_env = {**os.environ, "DATABASE_URL": database_url}
                subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=migrate_env, check=True)
                result = measure(layer, count, args.events, database_url)
            finally:
                with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(
                f"{layer:7s} {count:7d} {result['delivered']:7d} {result['p50']:8.1f} {result['p99']:8.1f} "
                f"{result['delivered_per_s']:11.0f} {result['published_per_s']:11.0f} {result['kib_per_idle']:13.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
