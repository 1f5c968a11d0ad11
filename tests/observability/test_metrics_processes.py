"""/metrics with several processes, the way docs/OBSERVABILITY.md sets them up: real
`manage.py serve` (Daphne) processes sharing one PROMETHEUS_MULTIPROC_DIR and one database.
One scrape of either shows both processes' counts and sockets; the readings taken at scrape
time (conversations waiting for a person) are not summed across them; a process that
stops takes its open sockets out of the sums and leaves its counts in, whether it stopped
on SIGTERM or was killed; and deploy/nginx-smooth.conf does not serve /metrics to the public."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.live import REPO, LiveServer, WireClient, start_server
from tests.e2e.test_two_processes import nginx  # noqa: F401 - a fixture: deploy/nginx-smooth.conf in front of two_servers
from tests.helpers import until_terminal

pytestmark = pytest.mark.live
TOKEN = "two-process-scrape-token"
AGENT = str(uuid.UUID(int=0x5C))


@pytest.fixture(scope="module")
def metrics_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prometheus-multiproc")


@pytest.fixture(scope="module")
def environment(metrics_dir) -> dict[str, str]:
    # The visitor's words escalate offline, with no model.
    return {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "SMOOTH_METRICS_TOKEN": TOKEN, "SMOOTH_AGENT_LLM": "offline"}


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, environment):
    a = start_server(tmp_path_factory.mktemp("a"), **environment)
    b = None
    try:
        b = start_server(tmp_path_factory.mktemp("b"), DATABASE_URL=a.env["DATABASE_URL"], **environment)
        yield a, b
    finally:
        for server in (a, b):
            if server is not None:
                server.stop()


def scrape(server: LiveServer) -> dict[tuple[str, tuple], float]:
    response = httpx.get(f"http://127.0.0.1:{server.port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200, response.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def live_gauge_file(metrics_dir: Path, server: LiveServer) -> Path:
    return metrics_dir / f"gauge_livesum_{server.process.pid}.db"


async def until(condition, what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        await asyncio.sleep(0.05)


async def session_on(server: LiveServer) -> tuple[WireClient, str]:
    client = await WireClient.connect(server)
    created = await client.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT})
    assert created["type"] == "immediate_response", created
    return client, created["data"]["sessionId"]


async def test_one_scrape_of_either_process_shows_both(two_servers):
    a, b = two_servers
    before = scrape(a)
    on_a, session_a = await session_on(a)
    on_b, _ = await session_on(b)
    try:
        for server in (a, b):
            both = scrape(server)
            assert value(both, "smooth_sessions_created_total") - value(before, "smooth_sessions_created_total") == 2
            assert value(both, "smooth_open_sockets") - value(before, "smooth_open_sockets") == 2

        answer = await on_a.request({"action": "send_message", "requestId": "m-1", "sessionId": session_a, "message": "agent please"})
        assert answer["status"] == 202
        assert (await until_terminal(on_a))[-1]["data"]["data"]["needsEscalation"] is True
        for server in (a, b):
            escalated = scrape(server)
            assert value(escalated, "smooth_escalations_total", agent=AGENT) - value(before, "smooth_escalations_total", agent=AGENT) == 1
            # Read from the shared database by the process scraped: once, not once a process.
            assert value(escalated, "smooth_conversations_waiting") == 1
    finally:
        await on_a.close()
        await on_b.close()
    await until(lambda: value(scrape(b), "smooth_open_sockets") == value(before, "smooth_open_sockets"), "both sockets closed")


def test_a_scrape_without_the_token_is_refused(two_servers):
    response = httpx.get(f"http://127.0.0.1:{two_servers[0].port}/metrics", timeout=10)
    assert response.status_code == 401 and "smooth_" not in response.text


def test_the_deployed_nginx_keeps_metrics_from_the_public(two_servers, nginx):  # noqa: F811 - the fixture imported above
    public = httpx.get(f"http://127.0.0.1:{nginx}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert public.status_code == 404 and "smooth_" not in public.text
    assert httpx.get(f"http://127.0.0.1:{nginx}/readyz", timeout=10).status_code == 200  # the rest passes


async def test_a_process_stopped_with_sigterm_leaves_its_counts_and_takes_its_sockets(two_servers, environment, metrics_dir, tmp_path):
    a, _ = two_servers
    before = scrape(a)
    third = start_server(tmp_path / "third", **environment)
    try:
        client, _ = await session_on(third)
        assert value(scrape(a), "smooth_open_sockets") - value(before, "smooth_open_sockets") == 1
        assert live_gauge_file(metrics_dir, third).exists()
    finally:
        third.stop()  # SIGTERM: its socket is closed with 1001 and the process marks itself dead
    await client.close()
    assert not live_gauge_file(metrics_dir, third).exists()
    after = scrape(a)
    assert value(after, "smooth_open_sockets") == value(before, "smooth_open_sockets")
    assert value(after, "smooth_sessions_created_total") - value(before, "smooth_sessions_created_total") == 1


async def test_a_killed_process_is_forgotten_at_the_next_scrape(two_servers, environment, metrics_dir, tmp_path):
    a, _ = two_servers
    before = scrape(a)
    killed = start_server(tmp_path / "killed", **environment)
    try:
        client, _ = await session_on(killed)
        assert value(scrape(a), "smooth_open_sockets") - value(before, "smooth_open_sockets") == 1
    finally:
        os.kill(killed.process.pid, signal.SIGKILL)  # no shutdown: the socket is never counted closed
        killed.process.wait()
    assert live_gauge_file(metrics_dir, killed).exists()  # what it left behind
    after = scrape(a)
    assert value(after, "smooth_open_sockets") == value(before, "smooth_open_sockets")
    assert value(after, "smooth_sessions_created_total") - value(before, "smooth_sessions_created_total") == 1
    assert not live_gauge_file(metrics_dir, killed).exists()
    await client.close()


def test_a_folder_that_is_not_there_stops_start_up_with_one_clear_line(tmp_path):
    missing = tmp_path / "not-made"
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(missing), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: PROMETHEUS_MULTIPROC_DIR={missing} is not a folder: "
        "create it (empty) before starting Smooth, or unset it"
    )
