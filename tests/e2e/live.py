"""Real Smooth processes for end-to-end tests: `manage.py serve` (Daphne) on a
free port, with its own SQLite database file, driven by a real WebSocket client."""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import websockets

from tests import helpers
from tests.spec import validate_event

REPO = Path(__file__).resolve().parents[2]

# Variables a developer's shell may hold that would change what is under test.
LIMITS_OFF = (
    "SMOOTH_LIMIT_CONNECTIONS_PER_IP",
    "SMOOTH_LIMIT_SOCKETS_PER_IP",
    "SMOOTH_LIMIT_SESSIONS_PER_IP",
    "SMOOTH_LIMIT_MESSAGES_PER_SESSION",
    "SMOOTH_LIMIT_MESSAGES_PER_AGENT",
    "SMOOTH_LIMIT_FRAMES_PER_SOCKET",
    "SMOOTH_BUDGET_PER_SESSION",
    "SMOOTH_BUDGET_PER_VISITOR_DAY",
    "SMOOTH_BUDGET_PER_AGENT_DAY",
    "SMOOTH_BUDGET_PER_ORG_MONTH",
)
_CLEARED = [
    "DATABASE_URL",
    "REDIS_URL",
    "PROMETHEUS_MULTIPROC_DIR",
    "SMOOTH_METRICS_TOKEN",
    "SMOOAI_GATEWAY_KEY",
    "WIDGET_AUTH_STRICT",
    "SMOOTH_AGENT_PORT",
    "SMOOTH_AGENT_BIND",
    "SMOOTH_DEFAULT_ORG_ID",
    "DJANGO_SETTINGS_MODULE",
    "SMOOTH_AGENT_NAME",
    "SMOOTH_AGENT_LLM",
    "SMOOTH_AGENT_SEED_KB",
    "SMOOTH_AGENT_EMBEDDER",
    "SMOOTH_AGENT_RERANK",
    "SMOOTH_AGENT_TOOLS",
    "SMOOTH_SESSION_RESUME",
    "SMOOTH_SESSION_IDLE_TTL_HOURS",
    "SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS",
    "SMOOTH_ENFORCEMENT",
    "SMOOTH_AGENT_PRICES",
    "AUTH_MODE",
    "AUTH_JWT_HS256_SECRET",
    "AUTH_JWT_RS256_PUBLIC_KEY",
    "AUTH_JWT_ISSUER",
    "AUTH_JWT_AUDIENCE",
]


def service_missing(message: str) -> None:
    """Skip a test whose service is missing, or fail it where CI requires every
    service (SMOOTH_REQUIRE_SERVICES=1): a skipped fault test proves nothing."""
    if os.environ.get("SMOOTH_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (SMOOTH_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def listening(port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:port."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=timeout).close()
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    port: int
    env: dict[str, str]
    process: subprocess.Popen
    log_path: Path

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def manage(self, *args: str, stdin: str | None = None, **env_overrides: str) -> subprocess.CompletedProcess:
        """Run a management command against this server's database and channel layer."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env={**self.env, **env_overrides},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_migrated: dict[str, Path] = {}  # settings module -> a freshly migrated SQLite file, made once per test process


def _migrated_template(env: dict[str, str]) -> Path:
    settings_module = env.get("DJANGO_SETTINGS_MODULE", "smooth.settings")
    template = _migrated.get(settings_module)
    if template is None:
        folder = Path(tempfile.mkdtemp(prefix="smooth-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "template.sqlite3"
        migrate(dict(env, DATABASE_URL=f"sqlite:///{template}"))
        _migrated[settings_module] = template
    return template


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def start_server(workdir: Path, port: int | None = None, **env_overrides: str) -> LiveServer:
    """A `manage.py serve` on `port` (a free one by default), its database in workdir: a
    copy of one migrated once for the run (migrating costs as much as starting), unless
    the test names a database of its own."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED and not key.startswith("SMOOTH_LIMIT_")}
    # Every test's sockets come from 127.0.0.1: no rate limit unless the test sets it.
    env.update(dict.fromkeys(LIMITS_OFF, "0"))
    env.update(env_overrides)
    database = workdir / "smooth.sqlite3"
    fresh = "DATABASE_URL" not in env and not database.exists()  # not a restart, nor a database of the test's own
    if fresh:
        shutil.copyfile(_migrated_template(env), database)
    env.setdefault("DATABASE_URL", f"sqlite:///{database}")
    if not fresh:
        migrate(env)
    port = port or free_port()
    log_path = workdir / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(port, env, process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        if listening(port, timeout=0.5):
            return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not listen within 30 s:\n{server.log()}")


class WireClient:
    """A real WebSocket client (the `websockets` library) speaking the protocol."""

    def __init__(self, socket_):
        self.socket = socket_

    @classmethod
    async def connect(cls, server: LiveServer, origin: str | None = None) -> WireClient:
        # websockets sends no Origin unless asked; the "origin" argument sets the header as is.
        return cls(await websockets.connect(server.ws_url, origin=origin, max_size=8 * 1024 * 1024))

    async def request(self, frame, timeout: float = 10) -> dict:
        await self.socket.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))
        return await self.receive(timeout)

    async def receive(self, timeout: float = 10) -> dict:
        event = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        validate_event(event)
        return event

    async def turn(self, session_id: str, message: str, request_id: str = "m") -> tuple[str, dict]:
        """Send a message; return the streamed text and the terminal event (after the 202)."""
        events = await helpers.turn(self, session_id, message, request_id)
        return helpers.text_of(events), events[-1]

    async def close(self) -> None:
        await self.socket.close()


def start_server_with_tools(workdir: Path, gateway_url: str, **env_overrides: str) -> LiveServer:
    """A server whose model is the fake gateway, with the tools of tests.turns.scenario_tools:
    delete_record waits for approval, order_status only for a verified visitor. Its mail
    (one-time codes) goes to files in `server.mail`."""
    mail = workdir / "mail"
    server = start_server(
        workdir,
        SMOOAI_GATEWAY_URL=gateway_url,
        SMOOAI_GATEWAY_KEY="sk-tools",
        SMOOTH_AGENT_TOOLS="tests.turns.scenario_tools.delete_record,tests.turns.scenario_tools.order_status",
        SMOOTH_AGENT_CONFIRM_TOOLS="delete_*",
        SMOOTH_AGENT_END_USER_TOOLS="order_*",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
        **env_overrides,
    )
    server.mail = mail
    return server
