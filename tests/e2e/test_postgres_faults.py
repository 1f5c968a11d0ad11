"""PostgreSQL goes away and comes back: actions that need the database answer
INTERNAL_ERROR, the process and its sockets keep running, and everything works
again when the database returns, without restarting Smooth. Runs a private
PostgreSQL cluster (initdb in a temporary folder), so the machine's own is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.live import WireClient, free_port, service_missing, start_server

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def _pg_binary(name: str) -> str | None:
    """On PATH, or in Debian's newest /usr/lib/postgresql/<version>/bin."""
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


class PrivatePostgres:
    """initdb + pg_ctl as the postgres user when run as root (PostgreSQL refuses root)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="smooth-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run(_pg_binary("initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c fsync=off"
        self._run(_pg_binary("pg_ctl"), "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self) -> None:
        self._run(_pg_binary("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        subprocess.run([*self.as_user, _pg_binary("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres():
    if not (_pg_binary("initdb") and _pg_binary("pg_ctl")):
        service_missing("PostgreSQL's initdb and pg_ctl are not installed")
    postgres = PrivatePostgres()
    postgres.start()
    yield postgres
    postgres.remove()


def _ready(server) -> tuple[int, dict]:
    response = httpx.get(f"http://127.0.0.1:{server.port}/readyz", timeout=10)
    return response.status_code, response.json()["checks"]


async def test_actions_answer_internal_error_while_postgres_is_down_and_recover(private_postgres, tmp_path):
    server = start_server(
        tmp_path / "smooth",
        DATABASE_URL=private_postgres.url,
        SMOOTH_DB_POOL_TIMEOUT_SECONDS="2",
        SMOOTH_AGENT_LLM="offline",
        SMOOTH_AGENT_SEED_KB="1",
    )
    client = await WireClient.connect(server)
    try:
        session_id = (await client.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())}))["data"]["sessionId"]
        _, answer = await client.turn(session_id, "How long is the return window?", request_id="before")
        assert answer["type"] == "eventual_response"

        private_postgres.stop()
        # What needs no database still works; what does answers INTERNAL_ERROR, naming nothing.
        assert (await client.request({"action": "ping", "requestId": "p1"}))["type"] == "pong"
        for frame in (
            {"action": "create_conversation_session", "agentId": str(uuid.uuid4()), "requestId": "c1"},
            {"action": "get_session", "sessionId": session_id, "requestId": "g1"},
            {"action": "get_conversation_messages", "sessionId": session_id, "requestId": "h1"},
        ):
            event = await client.request(frame, timeout=15)
            assert (event["type"], event["error"]["code"], event["error"]["message"]) == (
                "error",
                "INTERNAL_ERROR",
                "internal server error",
            ), event
        ack = await client.request(
            {"action": "send_message", "requestId": "during", "sessionId": session_id, "message": "And shipping?"}, timeout=15
        )
        assert ack["status"] == 202
        failed = await client.receive(timeout=15)
        assert (failed["type"], failed["error"]["code"]) == ("error", "INTERNAL_ERROR")
        assert _ready(server) == (503, {"database": "unavailable", "channelLayer": "ok"})
        assert server.process.poll() is None
        assert private_postgres.url not in server.log()

        private_postgres.start()
        deadline = time.monotonic() + 20
        while _ready(server)[0] != 200:
            assert time.monotonic() < deadline, "Smooth did not see PostgreSQL come back"
            time.sleep(0.2)
        # The same socket, and the same session, carry on.
        assert (await client.request({"action": "get_session", "sessionId": session_id, "requestId": "g2"}))["type"] == "immediate_response"
        _, answer = await client.turn(session_id, "How long is the return window?", request_id="after")
        assert answer["type"] == "eventual_response" and "17 days" in answer["data"]["data"]["response"]["responseParts"][0]
    finally:
        await client.close()
        server.stop()
