"""Load test: where the knee is. 100, 1,000 and 5,000 concurrent sessions through turns
against one Smooth process, then two behind nginx, on PostgreSQL and Redis.

    .venv/bin/python bench/load.py [--levels 100,1000,5000] [--turns 2] [--tokens 50] [--configs one,two]
                                   [--database-url URL] [--redis-url URL] [--ramp 500] [--opening 100]
                                   [--timeout 180] [--think 0]

Each configuration gets a new PostgreSQL database (smooth_load_<random> on
postgres@127.0.0.1:5432, dropped at the end) unless `--database-url` names one, and a
Redis database that had no keys unless `--redis-url` names one (not flushed after:
another run may share it by then, and Smooth's keys expire). The fake gateway of
bench/turns.py streams `--tokens`-token replies with no delay. Every server runs with
the demo knowledge seeded (its knowledge stage embeds each question and searches it)
and bench/turns.py's LIMITS_ABOVE_THE_LOAD (every client is one address).

At each level the driver (this process) opens the sockets gradually (at most `--ramp`
per second, at most `--opening` between connect and their session) and creates a
session on each; once all are open, every session runs `--turns`
turns back to back (after `--think` seconds, on average, between turns; 0 by default),
its first turn started within the first second. Per level: turns per second over the
turn phase; p50 and p99 of the ack (the 202 to send_message), the first token and the
whole turn; errors (error events, failed sockets) and timeouts (`--timeout` seconds per
turn); and the CPU, as a percentage of one core averaged over the turn phase, of each
Smooth process, nginx, the PostgreSQL backends of this database, Redis, the gateway and
the driver (from /proc/<pid>/stat), with PostgreSQL's active backends (pg_stat_activity,
sampled each second) and the whole machine's busy share of all its cores.

The verdict per configuration: the first level where p99 ack or p99 first token grows
more than 3x over the previous level (or where more than 1% of the turns fail), and what
ran hottest there. Redis and the machine are shared with whatever else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from turns import LIMITS_ABOVE_THE_LOAD, ROOT, cpu_ms, free_port, line, pct, stop, wait_for_port

POSTGRES = "postgres://postgres@127.0.0.1:5432"
NGINX = "/usr/sbin/nginx"
KNEE_GROWTH = 3.0  # p99 ack or first token more than this times the previous level's
HOT = 85.0  # % of one core: a single-threaded process this busy is saturated
CORES = os.cpu_count() or 1


# --- what one level measures -------------------------------------------------------------


@dataclass
class Level:
    sessions: int
    ack: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    turn: list[float] = field(default_factory=list)
    ready: int = 0  # sessions created
    frames: int = 0
    wrong: int = 0
    timeouts: int = 0
    errors: collections.Counter = field(default_factory=collections.Counter)
    open_seconds: float = 0.0
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # % of one core over the turn phase
    pg_active: float = 0.0
    pg_samples: int = 0
    pg_waits: collections.Counter = field(default_factory=collections.Counter)

    @property
    def failed(self) -> int:
        return self.timeouts + sum(self.errors.values())


async def run_session(
    url: str, args: argparse.Namespace, expected: str, level: Level, go: asyncio.Event, opening: asyncio.Semaphore
) -> None:
    """One visitor: open, create a session, wait for the start, then --turns turns."""
    import websockets

    turn_number, ws = 0, None
    try:
        try:
            await opening.acquire()  # at most --opening sockets between connect and their session
            ws = await asyncio.wait_for(websockets.connect(url, max_size=None, ping_interval=None, open_timeout=None), args.timeout)
            await ws.send(json.dumps({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))
            answer = json.loads(await asyncio.wait_for(ws.recv(), args.timeout))
            session_id = answer["data"]["sessionId"]
        except TimeoutError:
            level.timeouts += 1
            return
        except Exception as error:
            level.errors[f"open: {type(error).__name__}: {str(error)[:80]}"] += 1
            return
        finally:
            opening.release()
            level.ready += 1  # created or failed: the ramp waits for every one
        await go.wait()
        await asyncio.sleep(random.random())  # first turns spread over the first second
        for turn_number in range(args.turns):
            if turn_number and args.think:
                await asyncio.sleep(random.uniform(0, 2 * args.think))
            started = time.perf_counter()
            await ws.send(
                json.dumps(
                    {
                        "action": "send_message",
                        "requestId": f"r{turn_number}",
                        "sessionId": session_id,
                        "message": f"question {turn_number}",
                    }
                )
            )
            text, first = "", None
            deadline = started + args.timeout
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), max(0.0, deadline - time.perf_counter())))
                kind = event["type"]
                if kind == "immediate_response":
                    level.ack.append((time.perf_counter() - started) * 1000)
                elif kind == "stream_token":
                    level.frames += 1
                    if first is None:
                        first = time.perf_counter()
                        level.first.append((first - started) * 1000)
                    text += event["token"]
                elif kind == "eventual_response":
                    level.turn.append((time.perf_counter() - started) * 1000)
                    level.wrong += text != expected
                    break
                elif kind == "error":
                    level.errors[f"error event {event.get('error', {}).get('code', '?')}"] += 1
                    break
                else:
                    level.errors[f"unexpected event {kind}"] += 1
                    break
    except TimeoutError:
        level.timeouts += 1
    except Exception as error:
        level.errors[f"turn {turn_number}: {type(error).__name__}: {str(error)[:80]}"] += 1
    finally:
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(), 10)
            except Exception:
                pass


# --- what is watched -----------------------------------------------------------------------


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def safe_cpu_ms(pid: int) -> float | None:
    try:
        return cpu_ms(pid)
    except (OSError, IndexError, ValueError):
        return None


class Watch:
    """CPU milliseconds of every process that serves the load, and PostgreSQL's backends
    of this database sampled each second while the turns run."""

    def __init__(self, servers: list[subprocess.Popen], nginx: subprocess.Popen | None, gateway: int, redis_pid: int | None, database: str):
        self.servers, self.nginx, self.gateway, self.redis_pid, self.database = servers, nginx, gateway, redis_pid, database
        self.samples: list[tuple[int, collections.Counter]] = []
        self._stop = threading.Event()

    def backends(self) -> list[tuple[int, str | None, str | None]]:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            return connection.execute(
                "SELECT pid, state, wait_event_type || ':' || wait_event FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchall()

    def groups(self) -> dict[str, list[int]]:
        groups = {f"smooth-{number}": [server.pid] for number, server in enumerate(self.servers, 1)}
        if self.nginx:
            groups["nginx"] = [self.nginx.pid, *children(self.nginx.pid)]
        groups["postgres"] = [pid for pid, _, _ in self.backends()]
        if self.redis_pid:
            groups["redis"] = [self.redis_pid]
        groups["gateway"] = [self.gateway]
        groups["driver"] = [os.getpid()]
        return groups

    def snapshot(self) -> tuple[float, dict[int, float], tuple[int, int], dict[str, list[int]]]:
        groups = self.groups()
        return time.perf_counter(), {pid: safe_cpu_ms(pid) or 0.0 for pids in groups.values() for pid in pids}, machine_ticks(), groups

    def start(self) -> None:
        self.before = self.snapshot()
        self.samples = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            try:
                rows = self.backends()
            except Exception:
                continue
            active = [wait for _, state, wait in rows if state == "active"]
            self.samples.append((len(active), collections.Counter(wait for wait in active if wait)))

    def finish(self, level: Level) -> None:
        self._stop.set()
        self._thread.join()
        started, before, (busy_before, total_before), _ = self.before
        ended, _, (busy_after, total_after), groups = self.snapshot()
        wall = (ended - started) * 1000
        for name, pids in {**self.before[3], **groups}.items():
            pids = set(pids) | set(self.before[3].get(name, []))  # a backend the pool opened or closed meanwhile
            used = sum((safe_cpu_ms(pid) or before.get(pid, 0.0)) - before.get(pid, 0.0) for pid in pids)
            level.cpu[name] = 100 * used / wall
        level.cpu["machine"] = 100 * (busy_after - busy_before) / max(1, total_after - total_before)
        ours = sum(value for key, value in level.cpu.items() if key != "machine")
        level.cpu["others"] = max(0.0, level.cpu["machine"] * CORES - ours)  # what else ran on the machine meanwhile
        if self.samples:
            level.pg_active = statistics.mean(count for count, _ in self.samples)
            level.pg_samples = len(self.samples)
            for _, waits in self.samples:
                level.pg_waits.update(waits)


# --- the processes ---------------------------------------------------------------------------


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the servers and nginx inherit it
    return wanted


def create_database() -> str:
    import psycopg

    name = f"smooth_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_redis_database() -> int:
    """A Redis database number with no keys. It is not flushed afterwards (another run may
    have chosen it meanwhile): every key Smooth writes expires."""
    import redis

    for number in random.sample(range(1, 16), 15):
        if redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}").dbsize() == 0:
            return number
    raise SystemExit("no empty Redis database among 1-15: pass --redis-url")


def redis_pid(url: str) -> int | None:
    import redis

    try:
        return int(redis.Redis.from_url(url).info("server")["process_id"])
    except Exception:
        return None  # not on this machine, or no INFO


def server_env(database_url: str, redis_url: str, gateway_port: int, behind_proxy: bool) -> dict[str, str]:
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if k == "SMOOTH_DB_POOL_SIZE" or not k.startswith(("SMOOTH_", "SMOOAI_", "DATABASE_URL", "REDIS_URL"))
        },
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SMOOAI_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}/v1",
        "SMOOAI_GATEWAY_KEY": "sk-bench",
        "SMOOTH_LOG_LEVEL": "WARNING",
        "SMOOTH_AGENT_SEED_KB": "1",  # already seeded by kb_seed: serve finds it unchanged
        **({"SMOOTH_TRUSTED_PROXIES": "127.0.0.1"} if behind_proxy else {}),
        **LIMITS_ABOVE_THE_LOAD,
    }


def start_servers(count: int, env: dict[str, str], workdir: Path) -> tuple[list[subprocess.Popen], list[int]]:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "kb_seed"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    servers, ports = [], []
    for number in range(1, count + 1):
        port = free_port()
        with (workdir / f"smooth-{number}.log").open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
        servers.append(server)
        ports.append(port)
        wait_for_port(port, server, f"Smooth {number} (log: {workdir}/smooth-{number}.log)")
    return servers, ports


def start_nginx(ports: list[int], workdir: Path, open_files: int) -> tuple[subprocess.Popen, int]:
    """deploy/nginx-smooth.conf with our upstreams, a plain listener and room for every socket."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx-smooth.conf").read_text()
    site = re.sub(r"upstream smooth \{[^}]*\}", "upstream smooth {\n" + "".join(f"    server 127.0.0.1:{p};\n" for p in ports) + "}", site)
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} backlog=4096;")
    site = re.sub(r"proxy_(read|send)_timeout \d+s;", r"proxy_\1_timeout 600s;", site)
    (workdir / "smooth.conf").write_text(site)
    temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    (workdir / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; worker_rlimit_nofile {open_files};\n"
        f"pid {workdir}/nginx.pid; error_log {workdir}/nginx-error.log warn;\n"
        "events { worker_connections 16384; multi_accept on; }\n"
        f"http {{ access_log off; client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};"
        f" fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']}; scgi_temp_path {temp['scgi']};"
        f" include {workdir}/smooth.conf; }}\n"
    )
    process = subprocess.Popen([NGINX, "-c", str(workdir / "nginx.conf"), "-p", str(workdir)], stderr=subprocess.DEVNULL)
    wait_for_port(port, process, f"nginx (log: {workdir}/nginx-error.log)")
    return process, port


# --- one configuration -------------------------------------------------------------------------


async def drive(url: str, sessions: int, args: argparse.Namespace, expected: str, watch: Watch | None) -> Level:
    level, go, opening = Level(sessions), asyncio.Event(), asyncio.Semaphore(args.opening)
    opened = time.perf_counter()
    tasks, batch = [], 50
    for number in range(sessions):
        tasks.append(asyncio.create_task(run_session(url, args, expected, level, go, opening)))
        if number % batch == batch - 1:
            await asyncio.sleep(batch / args.ramp)
    while level.ready < sessions:
        await asyncio.sleep(0.05)
    level.open_seconds = time.perf_counter() - opened
    if watch:
        watch.start()
    started = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    level.elapsed = time.perf_counter() - started
    if watch:
        watch.finish(level)
    return level


def run_configuration(name: str, args: argparse.Namespace, gateway: subprocess.Popen, gateway_port: int, open_files: int) -> list[Level]:
    count = {"one": 1, "two": 2}[name]
    workdir = Path(tempfile.mkdtemp(prefix=f"smooth-load-{name}-"))
    database = None if args.database_url else create_database()
    database_url = args.database_url or f"{POSTGRES}/{database}"
    redis_url = args.redis_url or f"redis://127.0.0.1:6379/{empty_redis_database()}"
    servers: list[subprocess.Popen] = []
    nginx = None
    levels: list[Level] = []
    expected = "".join(f"tok{i} " for i in range(args.tokens))
    try:
        servers, ports = start_servers(count, server_env(database_url, redis_url, gateway_port, count > 1), workdir)
        if count > 1:
            nginx, port = start_nginx(ports, workdir, open_files)
        else:
            port = ports[0]
        url = f"ws://127.0.0.1:{port}/ws"
        print(
            f"\n== {name}: {count} Smooth process{'es behind nginx' if count > 1 else ''}; {database_url.rsplit('/', 1)[1]} on PostgreSQL, "
            f"{redis_url}; logs in {workdir}",
            flush=True,
        )
        # Warm up: imports, first queries, the gateway pool, the embedder, on every process.
        asyncio.run(drive(url, 4 * count, argparse.Namespace(**{**vars(args), "turns": 2}), expected, None))
        watch = Watch(servers, nginx, gateway.pid, redis_pid(redis_url), database_url.rsplit("/", 1)[1].split("?")[0])
        for sessions in args.levels:
            level = asyncio.run(drive(url, sessions, args, expected, watch))
            levels.append(level)
            done = len(level.turn)
            print(
                f"{sessions} sessions (open {level.open_seconds:.1f} s): {done} turns in {level.elapsed:.1f} s = {done / level.elapsed:.0f} turns/s; "
                f"failed {level.failed}, wrong text {level.wrong}, stream_token frames per finished turn {f'{level.frames / done:.1f}' if done else '-'}",
                flush=True,
            )
            for label, values in (("  ack (202)", level.ack), ("  first token", level.first), ("  whole turn", level.turn)):
                if values:
                    print(line(label, values))
            for error, number in level.errors.most_common(5):
                print(f"  {number} x {error}")
            print("  CPU % of a core: " + ", ".join(f"{key} {value:.0f}" for key, value in level.cpu.items()), flush=True)
            time.sleep(3)  # the closes settle before the next level
    finally:
        if nginx:
            stop(nginx)
        for server in servers:
            stop(server)
        if database:
            drop_database(database)
    report(name, count, levels, workdir)
    return levels


# --- the report ----------------------------------------------------------------------------------


def p99(values: list[float]) -> float:
    return pct(values, 0.99) if values else float("nan")


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(name: str, count: int, levels: list[Level], workdir: Path) -> None:
    print(
        f"\n{name}: {count} Smooth process{'es behind nginx' if count > 1 else ''} (latency in ms; CPU in % of one core over the turn phase)"
    )
    print(
        f"{'sessions':>8s} {'turns/s':>7s} {'ack p50':>8s} {'ack p99':>8s} {'1st p50':>8s} {'1st p99':>8s} "
        f"{'turn p50':>8s} {'turn p99':>8s} {'errors':>6s} {'t/o':>5s}"
    )
    for level in levels:
        print(
            f"{level.sessions:8d} {len(level.turn) / level.elapsed:7.0f} {p50(level.ack):8.0f} {p99(level.ack):8.0f} "
            f"{p50(level.first):8.0f} {p99(level.first):8.0f} {p50(level.turn):8.0f} {p99(level.turn):8.0f} "
            f"{sum(level.errors.values()):6d} {level.timeouts:5d}"
        )
    names = [key for key in levels[0].cpu if key not in ("machine", "others")] if levels else []
    print(
        f"{'sessions':>8s} " + " ".join(f"{key:>9s}" for key in names) + f" {'others':>9s} {'pg active':>9s} {'machine':>8s}  top pg waits"
    )
    for level in levels:
        waits = ", ".join(f"{wait} {n / max(1, level.pg_samples):.1f}" for wait, n in level.pg_waits.most_common(2)) or "-"
        print(
            f"{level.sessions:8d} "
            + " ".join(f"{level.cpu.get(key, 0):9.0f}" for key in names)
            + f" {level.cpu.get('others', 0):9.0f} {level.pg_active:9.1f} {level.cpu.get('machine', 0):7.0f}%  {waits}"
        )
    print(verdict(name, levels))
    problems = log_lines(workdir)
    if problems:
        print(f"server and nginx log lines at WARNING or above ({workdir}):")
        for text, number in problems.most_common(10):
            print(f"  {number} x {text}")


def verdict(name: str, levels: list[Level]) -> str:
    if not levels:
        return f"verdict {name}: no level ran"
    knee, why = None, ""
    for previous, current in zip(levels, levels[1:]):
        asked = len(current.turn) + current.failed
        for label, before, after in (
            ("ack p99", p99(previous.ack), p99(current.ack)),
            ("first token p99", p99(previous.first), p99(current.first)),
        ):
            if after > KNEE_GROWTH * before:
                knee, why = current, f"{label} {before:.0f} -> {after:.0f} ms"
                break
        if knee is None and current.failed > 0.01 * asked:
            knee, why = current, f"{current.failed} turns failed"
        if knee:
            break
    at = knee or levels[-1]
    hot = sorted(((value, key) for key, value in at.cpu.items() if key not in ("machine", "others")), reverse=True)
    saturated = [f"{key} {value:.0f}% of a core" for value, key in hot if value >= HOT]
    if at.cpu.get("machine", 0) >= 90:
        saturated.append(
            f"the machine's {CORES} cores ({at.cpu['machine']:.0f}% busy; other processes {at.cpu.get('others', 0):.0f}% of a core)"
        )
    busiest = ", ".join(saturated) if saturated else f"nothing at {HOT:.0f}% of a core"
    machine = f"busiest of ours {hot[0][1]} {hot[0][0]:.0f}% of a core"
    if knee:
        return f"verdict {name}: latency turns at {knee.sessions} sessions ({why}); saturated there: {busiest}; {machine}"
    return f"verdict {name}: no knee up to {at.sessions} sessions (p99 ack and first token within {KNEE_GROWTH:.0f}x each step); at {at.sessions}: {busiest}; {machine}"


def log_lines(workdir: Path) -> collections.Counter:
    found: collections.Counter = collections.Counter()
    for path in sorted(workdir.glob("*.log")):
        for text in path.read_text(errors="replace").splitlines():
            if re.search(r"\b(WARNING|ERROR|CRITICAL|Traceback|\[warn\]|\[error\]|\[crit\]|\[alert\]|\[emerg\])", text):
                # Times, task names, ports and nginx's pid#tid and connection numbers out, so like lines count together.
                text = re.sub(r"^\d{4}[-/]\d\d[-/]\d\d \d\d:\d\d:\d\d(,\d+)? ", "", text)
                text = re.sub(r"Task-\d+", "Task-N", re.sub(r"'127\.0\.0\.1', \d+", "'127.0.0.1', PORT", text))
                text = re.sub(r"\*\d+ ", "", re.sub(r"\d+#\d+: ", "", text))
                text = re.sub(r"Application instance <.*> for connection <.*?>", "Application instance <...> for connection <...>", text)
                found[f"{path.stem}: {text[:220]}"] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="100,1000,5000", help="concurrent sessions per level (default 100,1000,5000)")
    parser.add_argument("--turns", type=int, default=2, help="turns per session (default 2)")
    parser.add_argument("--tokens", type=int, default=50, help="tokens per reply (default 50)")
    parser.add_argument("--configs", default="one,two", help="one: one Smooth process; two: two behind nginx (default one,two)")
    parser.add_argument(
        "--database-url", help="the servers' database, used as it is (default: a new PostgreSQL database per configuration)"
    )
    parser.add_argument("--redis-url", help="the servers' Redis, used as it is (default: a database of 127.0.0.1:6379 with no keys)")
    parser.add_argument("--ramp", type=float, default=500, help="sockets opened per second (default 500)")
    parser.add_argument(
        "--opening",
        type=int,
        default=100,
        help="sockets at most between connect and their session (default 100): the ramp follows the server",
    )
    parser.add_argument("--timeout", type=float, default=180, help="seconds a turn (or an open) may take before it counts as a timeout")
    parser.add_argument("--think", type=float, default=0, help="mean seconds a visitor waits between turns (default 0)")
    args = parser.parse_args()
    args.levels = [int(value) for value in args.levels.split(",")]
    configs = args.configs.split(",")
    for config in configs:
        if config not in ("one", "two"):
            parser.error(f"--configs: {config!r} is neither one nor two")

    open_files = raise_open_files()
    busy, total = machine_ticks()
    time.sleep(1)
    busy_now, total_now = machine_ticks()
    print(
        f"bench/load.py {time.strftime('%Y-%m-%d %H:%M')}: levels {args.levels}, {args.turns} turns per session, {args.tokens}-token replies, "
        f"think {args.think} s; {os.cpu_count()} cores, machine {100 * (busy_now - busy) / (total_now - total):.0f}% busy before the run, "
        f"load average {os.getloadavg()[0]:.1f}; open files {open_files}",
        flush=True,
    )
    gateway_port = free_port()
    gateway = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "turns.py"), "--gateway", str(gateway_port), "--tokens", str(args.tokens)], cwd=ROOT
    )
    results: dict[str, list[Level]] = {}
    try:
        wait_for_port(gateway_port, gateway, "the fake gateway")
        for config in configs:
            results[config] = run_configuration(config, args, gateway, gateway_port, open_files)
    finally:
        stop(gateway)
    if len(results) > 1:
        print()
        for config, levels in results.items():
            print(verdict(config, levels))


if __name__ == "__main__":
    main()
