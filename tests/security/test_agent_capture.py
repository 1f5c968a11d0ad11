"""Hole 3, as found: without WIDGET_AUTH_STRICT, an admin of one organisation could POST
an embed policy for an agent id whose visitors' sessions lived in another, and the next
visitors' sessions landed in the first; and the answer for an id another organisation
had configured ("this agent already has a policy") told an outsider it existed."""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from tests.security.conftest import ACME, GLOBEX, connect, principal_token

pytestmark = pytest.mark.live


def api(server, method: str, path: str, body=None, tenant=ACME):
    headers = {"Authorization": f"Bearer {principal_token(tenant, 'root', role='admin')}"}
    return httpx.request(method, f"http://127.0.0.1:{server.port}/api/v1/{path}", json=body, headers=headers, timeout=10)


def answer(response) -> tuple[int, dict]:
    return response.status_code, response.json()


def organisation_of_sessions(server, agent_id: str) -> set[str]:
    database = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT DISTINCT organization_id FROM chat_session WHERE agent_id = ?", [uuid.UUID(agent_id).hex]).fetchall()
    return {row[0] for row in rows}


async def test_another_organisations_agent_cannot_be_captured_and_answers_as_no_agent_at_all(two_orgs):
    nobody = str(uuid.uuid4())
    policy = {"allowedOrigins": ["*"], "keyScheme": "none"}
    assert (
        answer(api(two_orgs, "POST", "embed-policies", {"agentId": GLOBEX.agent, **policy}))
        == answer(api(two_orgs, "POST", "embed-policies", {"agentId": nobody, **policy}))
        == (
            400,
            {
                "code": "VALIDATION_ERROR",
                "message": "some fields are not valid",
                "details": {"agentId": ["no agent of your organisation has this id"]},
            },
        )
    )
    for method, path, body in (
        ("GET", "agents/{}", None),
        ("PATCH", "agents/{}", {"name": "Ours now"}),
        ("DELETE", "agents/{}", None),
        ("GET", "embed-policies/{}", None),
        ("PATCH", "embed-policies/{}", {"allowedOrigins": ["*"]}),
        ("DELETE", "embed-policies/{}", None),
    ):
        theirs, missing = api(two_orgs, method, path.format(GLOBEX.agent), body), api(two_orgs, method, path.format(nobody), body)
        assert answer(theirs) == answer(missing) == (404, {"code": "NOT_FOUND", "message": "not found"}), (method, path)
    assert GLOBEX.agent not in api(two_orgs, "GET", "agents").text + api(two_orgs, "GET", "embed-policies").text

    # Globex's visitors still land in globex, under globex's own policy.
    visitor = await connect(two_orgs, origin=GLOBEX.site)
    created = await visitor.request({"action": "create_conversation_session", "agentId": GLOBEX.agent})
    assert created["data"]["agentName"] == "Globex help"
    assert organisation_of_sessions(two_orgs, GLOBEX.agent) == {"globex"}
    refused = await (await connect(two_orgs, origin="https://evil.example")).request(
        {"action": "create_conversation_session", "agentId": GLOBEX.agent}
    )
    assert refused["error"]["code"] == "ORIGIN_NOT_ALLOWED"


async def test_an_agent_first_used_by_a_visitor_is_owned_from_then_on(two_orgs):
    """Without strict mode an unknown id registers on first use, in the default organisation;
    after that no organisation's admin can claim it."""
    embedded = str(uuid.uuid4())
    visitor = await connect(two_orgs, origin="https://someone.example")
    assert (await visitor.request({"action": "create_conversation_session", "agentId": embedded}))["status"] == 200
    for tenant in (ACME, GLOBEX):
        refused = api(
            two_orgs, "POST", "embed-policies", {"agentId": embedded, "allowedOrigins": ["https://attacker.example"]}, tenant=tenant
        )
        assert answer(refused)[0] == 400
    assert organisation_of_sessions(two_orgs, embedded) == {"default"}
    assert "organisation 'default'" in two_orgs.manage("widget_policy", "set", "--agent", embedded, "--org", "acme").stderr


async def test_the_admin_api_gives_no_way_to_choose_an_agents_id(two_orgs):
    created = api(two_orgs, "POST", "agents", {"name": "Claimer", "id": GLOBEX.agent})
    assert created.status_code == 201 and created.json()["id"] != GLOBEX.agent
    assert api(two_orgs, "DELETE", f"agents/{created.json()['id']}").status_code == 204
