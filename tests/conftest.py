"""Shared fixtures: protocol clients, a clean channel layer, laptop settings."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import pytest_asyncio
from channels.layers import get_channel_layer

from tests import clients, spec
from tests.e2e.live import LIMITS_OFF  # one list for in-process and live servers

MACHINE_REDIS_URL = os.environ.get("SMOOTH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state != "Z":
            found.append(int(entry))
    return found


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()[:160]
    except OSError:
        return "?"


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite():
    """Every server, browser and database a test starts is stopped by the time the run ends:
    one left behind fails the run (and is killed)."""
    yield
    left = {pid: _command(pid) for pid in _descendants(os.getpid())}
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, "processes outlived the suite:\n" + "\n".join(f"{pid}: {command}" for pid, command in left.items())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, and before it drops the test database: the connection of asgiref's
    one sync thread closed. A test's own `await Model.objects.aget(...)` runs there outside
    any request, so nothing returns that connection to the pool, and PostgreSQL refuses to
    drop a database a session still holds (the database would outlive the suite)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


def pytest_xdist_auto_num_workers(config):
    """One worker more than the CPUs, at most four: a test waits on servers, sockets and
    timers as much as it computes (on 2 CPUs, 3 workers ran the suite in 4:06, 2 in 4:45)."""
    return min((os.cpu_count() or 1) + 1, 4)


def pytest_report_header(config):
    return f"protocol spec: {spec.SPEC_DIR}" if spec.spec_available() else f"protocol spec: missing; {spec.MISSING}"


@pytest.fixture(autouse=True)
def laptop_settings(settings):
    """Every test starts from the embedded defaults, whatever the machine's environment says."""
    settings.SMOOAI_GATEWAY_KEY = None
    settings.SMOOTH_METRICS_TOKEN = None
    settings.GITHUB_TOKEN = None
    settings.SMOOTH_KB_PRIVATE_ADDRESSES = True  # the tests' web servers listen on 127.0.0.1
    settings.WIDGET_AUTH_STRICT = False
    settings.SMOOTH_DEFAULT_ORG_ID = "default"
    settings.SMOOTH_AGENT_NAME = "Smooth"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "core.layers.InMemoryChannelLayer"}}
    settings.SMOOTH_AGENT_EMBEDDER = "local"
    settings.SMOOTH_AGENT_LLM = "gateway"
    settings.SMOOTH_AGENT_TOOLS = []
    settings.SMOOTH_AGENT_MAX_ITERATIONS = 6
    # Rate limits and budgets off (every test's sockets share one address and one process):
    # the tests of the limits set the ones they try, as an operator would.
    for name in LIMITS_OFF:
        setattr(settings, name, 0 if name == "SMOOTH_LIMIT_SOCKETS_PER_IP" else "0")
    settings.SMOOTH_ENFORCEMENT = "enforce"
    settings.AUTH_MODE = None
    settings.SMOOTH_AGENT_RERANK = "off"
    settings.REDIS_URL = None
    settings.SMOOTH_SESSION_RESUME = "origin"
    return settings


@pytest.fixture(autouse=True)
def fresh_search_caches():
    """Test databases are rolled back and reused, so index versions repeat: never
    let one test's in-memory vectors or full-text index serve another."""
    from knowledge import dense, lexical

    dense.forget_cache()
    lexical.forget_cache()
    yield
    dense.forget_cache()
    lexical.forget_cache()


@pytest.fixture(autouse=True)
def fresh_process_state():
    """Each test starts with no authContext seen (signatures repeat across tests), no turn
    lease held, no turn journaled (request ids repeat too), no rate counted, and every
    outage's first warning still to log (core.shared)."""
    from core.shared import reset_process_state

    reset_process_state()


@pytest.fixture
def machine_redis(settings):
    """REDIS_URL pointing at the machine's Redis (skipped, or failed in CI, without it)."""
    from tests.e2e.live import listening, service_missing

    if not listening(6379):
        service_missing("Redis is not running on 127.0.0.1:6379")
    settings.REDIS_URL = MACHINE_REDIS_URL
    return MACHINE_REDIS_URL


@pytest.fixture
def jwt_hs256(settings):
    """AUTH_MODE=jwt with the HS256 test secret (tests/identity/tokens.py), no issuer or audience."""
    from tests.identity.tokens import HS_SECRET

    settings.AUTH_MODE, settings.AUTH_JWT_HS256_SECRET, settings.AUTH_JWT_RS256_PUBLIC_KEY = "jwt", HS_SECRET, None
    settings.AUTH_JWT_ISSUER = settings.AUTH_JWT_AUDIENCE = None
    return settings


@pytest.fixture
def http_server():
    """A real local HTTP server; set `.routes[path] = Reply(...)` or a callable."""
    from tests.httpserver import FakeHttpServer

    server = FakeHttpServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_gateway():
    """A scripted OpenAI-compatible gateway on a real local port (tests/fakegateway.py)."""
    from tests.fakegateway import FakeGateway

    gateway = FakeGateway().start()
    yield gateway
    gateway.stop()


@pytest_asyncio.fixture
async def ws():
    """connect(origin=...) opens a protocol client on the in-process ASGI app; all are closed after."""
    opened: list[clients.ProtocolClient] = []

    async def connect(
        origin: str | None = None, user_agent: str | None = None, token: str | None = None, lang: str | None = None
    ) -> clients.ProtocolClient:
        client = await clients.connect(origin, user_agent, token, lang)
        opened.append(client)
        return client

    yield connect
    await clients.close_all(opened)
    await get_channel_layer().flush()
