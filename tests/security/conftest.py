"""Two organisations on one real `manage.py serve`, set up as an operator would, with
colliding user and group names and a secret in each, for the attack suite.

acme and globex each have an agent (with an embed policy for its own site, both on
one shared HMAC secret), an organisation-wide page, a page for group `support` and
one for user `alice`. Every secret is a marker string that must never cross over.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.live import LiveServer, WireClient, start_server
from tests.identity.tokens import HS_SECRET, make_token
from tests.signing_times import unused_second
from widget_auth.signatures import sign_hmac_sha256

SHARED_HMAC_SECRET = "one-secret-two-agents"


@dataclass(frozen=True)
class Tenant:
    org: str
    agent: str
    site: str
    support_secret: str  # in a document restricted to group "support"
    alice_secret: str  # in a document restricted to user "alice"
    public_fact: str  # in an organisation-wide document

    @property
    def markers(self) -> tuple[str, ...]:
        return (self.support_secret, self.alice_secret, self.public_fact, self.org)


ACME = Tenant(
    "acme", str(uuid.UUID(int=0xACE)), "https://acme.example", "ACME-RUNBOOK-7781", "ACME-ALICE-SALARY-1100", "ACME-OPENS-AT-NINE"
)
GLOBEX = Tenant(
    "globex", str(uuid.UUID(int=0x6E0)), "https://globex.example", "GLOBEX-RUNBOOK-4242", "GLOBEX-ALICE-BONUS-3300", "GLOBEX-OPENS-AT-TEN"
)


def _write_knowledge(folder: Path, tenant: Tenant) -> dict[str, Path]:
    folder.mkdir()
    # Titles and file names (citation ids) name the organisation too, so that a leaked
    # title or citation shows as plainly as a leaked passage.
    files = {
        "support": (
            f"{tenant.org}-escalation.md",
            f"# Escalation runbook ({tenant.org})\n\nFor an escalation page the duty manager with code {tenant.support_secret}.",
        ),
        "alice": (
            f"{tenant.org}-alice.md",
            f"# Escalation pay for alice ({tenant.org})\n\nAlice's escalation allowance is {tenant.alice_secret}.",
        ),
        "public": (
            f"{tenant.org}-hours.md",
            f"# Opening hours and escalation ({tenant.org})\n\nThe escalation desk opens at {tenant.public_fact}.",
        ),
    }
    paths = {}
    for key, (name, text) in files.items():
        paths[key] = folder / key / name
        paths[key].parent.mkdir()
        paths[key].write_text(text)
    return paths


def _ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def two_orgs(tmp_path_factory) -> LiveServer:
    workdir = tmp_path_factory.mktemp("two-orgs")
    server = start_server(workdir, AUTH_MODE="jwt", AUTH_JWT_HS256_SECRET=HS_SECRET, SMOOTH_AGENT_LLM="offline")
    secret_file = workdir / "hmac-secret"
    secret_file.write_text(SHARED_HMAC_SECRET)
    commands = []  # the operator's commands, run in one process (each its own would start Django and the model again)
    for tenant in (ACME, GLOBEX):
        paths = _write_knowledge(workdir / f"kb-{tenant.org}", tenant)
        commands += [
            ["agent", "create", "--org", tenant.org, "--id", tenant.agent, "--name", f"{tenant.org.title()} help"],
            [
                "widget_policy",
                "set",
                "--agent",
                tenant.agent,
                "--origin",
                tenant.site,
                "--scheme",
                "hmac-sha256",
                "--hmac-secret-file",
                str(secret_file),
            ],
            ["kb_ingest", str(paths["support"].parent), "--org", tenant.org, "--group", "support"],
            ["kb_ingest", str(paths["alice"].parent), "--org", tenant.org, "--user", "alice"],
            ["kb_ingest", str(paths["public"].parent), "--org", tenant.org, "--set", f"{tenant.org}-help"],
        ]
    script = "from django.core.management import call_command\n" + "".join(f"call_command(*{argv!r})\n" for argv in commands)
    _ok(server.manage("shell", "-v", "0", "-c", script))
    yield server
    server.stop()


def principal_token(tenant: Tenant, sub: str, groups=("support",), role: str = "basic") -> str:
    return make_token({"sub": sub, "org": tenant.org, "groups": list(groups), "role": role})


async def connect(server: LiveServer, origin: str | None = None, token: str | None = None) -> WireClient:
    import websockets

    url = server.ws_url + (f"?token={token}" if token else "")
    return WireClient(await websockets.connect(url, origin=origin, max_size=8 * 1024 * 1024))


async def received(client: WireClient, seconds: float = 1.0) -> list[dict]:
    """Every event that arrives within `seconds` (to show that nothing more came)."""
    events = []
    try:
        while True:
            events.append(await client.receive(timeout=seconds))
    except TimeoutError:
        return events


async def ask(client: WireClient, session_id: str, message: str, request_id: str = "ask") -> tuple[str, dict]:
    """A whole turn: the streamed text and its terminal event."""
    return await client.turn(session_id, message, request_id)


def said(events) -> str:
    return json.dumps(events)


def row_counts(server: LiveServer) -> dict[str, int]:
    """The chat tables of the server's own database, read from outside it."""
    database = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM chat_{table}").fetchone()[0]
            for table in ("conversation", "participant", "session", "message")
        }


def hmac_context(tenant: Tenant, user_id: str, *, bound: bool = True) -> dict:
    """A fresh context: never the same second twice for one visitor."""
    timestamp = unused_second(tenant.org, user_id, bound)
    binding = {"agent_id": tenant.agent, "origin": tenant.site} if bound else {}
    return {"userId": user_id, "signature": sign_hmac_sha256(SHARED_HMAC_SECRET, user_id, timestamp, **binding), "timestamp": timestamp}


def not_found(event: dict, session_id: str) -> bool:
    return event["type"] == "error" and event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}
