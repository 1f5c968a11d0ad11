"""Agents over the admin API: the caller's organisation's only, ids chosen by the server."""

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from agents.models import Agent
from tests.adminapi.test_read_endpoints import token
from tests.factories import make_agent, make_session
from tests.helpers import turn
from tests.identity.tokens import make_token

pytestmark = pytest.mark.usefixtures("jwt_hs256")


@pytest.fixture(autouse=True)
def server_defaults(settings):
    settings.SMOOTH_AGENT_MODEL, settings.SMOOTH_AGENT_SYSTEM_PROMPT, settings.SMOOTH_AGENT_MAX_ITERATIONS = "server-default-model", None, 6


def call(client, method, path, body=None, role="admin", org="acme"):
    return getattr(client, method)(
        f"/api/v1/{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(role=role, org=org)}",
    )


@pytest.mark.django_db
def test_an_admin_creates_tunes_resets_and_deletes_an_agent(client):
    claimed = str(uuid.uuid4())
    created = call(client, "post", "agents", {"name": "Sales bot", "id": claimed, "model": "acme-model", "maxIterations": 2})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["id"] != claimed  # the server chooses ids: nobody claims one that is embedded somewhere
    assert (body["organizationId"], body["name"], body["enabled"], body["embedPolicy"]) == ("acme", "Sales bot", True, False)
    assert (body["model"], body["maxIterations"], body["customised"]) == (
        "acme-model",
        2,
        {"model": True, "systemPrompt": False, "maxIterations": True, "tools": False, "confirmTools": False, "endUserTools": False},
    )
    assert body["systemPrompt"].startswith("You are a helpful customer-support agent")  # the server's default, shown as effective

    path = f"agents/{body['id']}"
    changed = call(client, "patch", path, {"systemPrompt": "Sell politely.", "enabled": False}).json()
    assert (changed["systemPrompt"], changed["enabled"], changed["model"]) == ("Sell politely.", False, "acme-model")
    reset = call(client, "patch", path, {"model": "", "maxIterations": None}).json()
    assert (reset["model"], reset["maxIterations"], reset["customised"]["model"]) == ("server-default-model", 6, False)
    assert call(client, "get", path, role="curator").json() == reset
    assert [agent["id"] for agent in call(client, "get", "agents", role="curator").json()] == [body["id"]]

    assert call(client, "delete", path).status_code == 204
    assert not Agent.objects.exists()


@pytest.mark.django_db
def test_an_admin_sets_which_tools_an_agent_may_call_and_which_wait_for_approval(client, settings):
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["delete_*"]
    body = call(
        client, "post", "agents", {"name": "Bot", "tools": ["knowledge_search", "refund_order"], "confirmTools": ["refund_*"]}
    ).json()
    assert (body["tools"], body["confirmTools"]) == (["knowledge_search", "refund_order"], ["refund_*"])
    path = f"agents/{body['id']}"
    reset = call(client, "patch", path, {"tools": None, "confirmTools": None}).json()
    assert (reset["tools"], reset["confirmTools"], reset["customised"]["confirmTools"]) == (None, ["delete_*"], False)
    for bad in ({"tools": "knowledge_search"}, {"confirmTools": [""]}, {"confirmTools": [7]}, {"tools": ["x"] * 101}):
        refused = call(client, "patch", path, bad)
        assert refused.status_code == 400, (bad, refused.json())
    assert call(client, "get", path).json() == reset  # a refused change wrote nothing


@pytest.mark.django_db
def test_an_agent_with_sessions_is_disabled_not_deleted(client):
    session = make_session(organization_id="acme")
    response = call(client, "delete", f"agents/{session.agent_id}")
    assert (response.status_code, response.json()["code"]) == (409, "CONFLICT")
    assert "disable it instead" in response.json()["message"]
    assert Agent.objects.filter(id=session.agent_id).exists()


@pytest.mark.django_db
def test_another_organisations_agent_answers_exactly_as_a_missing_one(client):
    theirs = make_agent(agent_id=str(uuid.uuid4()), organization_id="globex", name="Globex bot", system_prompt="Globex secrets.")
    assert call(client, "get", "agents").json() == []
    for method, body in (("get", None), ("patch", {"name": "Mine now"}), ("delete", None)):
        answers = [call(client, method, f"agents/{agent_id}", body) for agent_id in (theirs.id, uuid.uuid4())]
        assert [(answer.status_code, answer.json()) for answer in answers] == [(404, {"code": "NOT_FOUND", "message": "not found"})] * 2, (
            method
        )
        assert b"Globex" not in answers[0].content
    theirs.refresh_from_db()
    assert (theirs.name, theirs.organization_id) == ("Globex bot", "globex")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x", "maxIterations": 0}, "maxIterations"),
        ({"name": "x", "maxIterations": 51}, "maxIterations"),
        ({"name": "x", "model": "m" * 256}, "model"),
        ({}, "name"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_agents_are_400_and_not_stored(client, body, field):
    response = call(client, "post", "agents", body)
    assert (response.status_code, response.json()["code"]) == (400, "VALIDATION_ERROR") and field in response.json()["details"]
    assert not Agent.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_turn_uses_its_agents_settings(ws, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-x"
    pirate = await database_sync_to_async(make_agent)(
        agent_id=str(uuid.uuid4()), organization_id="acme", model="acme-model", system_prompt="Speak like a pirate.", max_iterations=1
    )
    plain = await database_sync_to_async(make_agent)(agent_id=str(uuid.uuid4()), organization_id="acme", name="Plain")
    fake_gateway.push({"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "x"}'}, {"kind": "text", "text": "Hello."})
    client = await ws(token=make_token({"sub": "alice", "org": "acme"}))
    events = await turn(client, (await client.create_session(str(pirate.id)))["sessionId"], "hello")
    request = fake_gateway.requests[0]
    assert (request["model"], request["messages"][0]["content"]) == ("acme-model", "Speak like a pirate.")
    assert "tools" not in request  # max_iterations 1: the only call is the final one, without tools
    # The model asked for a tool it was not offered: nothing runs, no text, one AGENT_ERROR.
    assert [event["type"] for event in events] == ["error"]
    assert events[-1]["error"]["code"] == "AGENT_ERROR"

    created = await client.create_session(str(plain.id))
    assert created["agentName"] == "Plain"  # each agent's own name, not SMOOTH_AGENT_NAME
    await turn(client, created["sessionId"], "hello")
    assert fake_gateway.requests[1]["model"] == "server-default-model"


@pytest.mark.django_db
def test_an_admin_sets_an_agents_rate_limits_and_a_bad_rate_is_refused(client, settings):
    settings.SMOOTH_LIMIT_MESSAGES_PER_AGENT = "600/min"
    body = call(client, "post", "agents", {"name": "Bot", "sessionsPerIp": "30/h", "messagesPerSession": "0"}).json()
    assert body["rateLimits"] == {"sessionsPerIp": "30/h", "messagesPerSession": "0", "messagesPerAgent": "600/min"}
    path = f"agents/{body['id']}"
    refused = call(client, "patch", path, {"messagesPerAgent": "lots"})
    assert refused.status_code == 400 and "is not a rate" in json.dumps(refused.json())
    assert call(client, "get", path).json()["rateLimits"]["messagesPerAgent"] == "600/min"


@pytest.mark.django_db
def test_an_admin_sets_budgets_and_reads_spend_and_reports(client, settings):
    from django.utils import timezone

    from limits import enforcement
    from limits.models import Spend

    settings.SMOOTH_BUDGET_PER_SESSION, settings.SMOOTH_BUDGET_PER_ORG_MONTH = "200k tokens", "$100"
    body = call(client, "post", "agents", {"name": "Bot", "budgetPerAgentDay": "1M tokens, $5", "enforcement": "report"}).json()
    assert body["budgets"] == {
        "perSession": "200000 tokens",
        "perVisitorDay": "0",
        "perAgentDay": "1000000 tokens, $5.00",
        "perOrganizationMonth": "$100.00",
    }
    assert body["enforcement"] == "report" and body["wouldHaveRefused"] == []
    agent = Agent.objects.get(id=body["id"])
    Spend.objects.create(
        scope="agent",
        key=body["id"],
        period=timezone.now().date(),
        organization_id="acme",
        tokens=900,
        nano_usd=2 * 10**9,
        updated_at=timezone.now(),
    )
    enforcement.report(agent=agent, kind="origin", reason="not an allowed origin", origin="https://evil.example")
    path = f"agents/{body['id']}"
    shown = call(client, "get", path).json()
    assert shown["spend"]["agentToday"] == {"tokens": 900, "costUsd": "2.00", "capTokens": 1_000_000, "capUsd": "5.00"}
    assert shown["spend"]["organizationMonth"] == {"tokens": 0, "costUsd": "0.00", "capTokens": None, "capUsd": "100.00"}
    assert shown["wouldHaveRefused"] == [{"kind": "origin", "origin": "https://evil.example", "count": 1}]
    refused = call(client, "patch", path, {"budgetPerSession": "heaps"})
    assert refused.status_code == 400 and "is not a budget" in json.dumps(refused.json())
    assert call(client, "patch", path, {"enforcement": "sometimes"}).status_code == 400
    assert call(client, "get", path).json()["budgets"]["perSession"] == "200000 tokens"  # nothing half-written


def test_camel_and_snake_case_are_mapped_by_one_rule_both_ways():
    from core.names import camel, camel_keys, snake

    for model_name, api_name in [
        ("system_prompt", "systemPrompt"),
        ("budget_per_visitor_day", "budgetPerVisitorDay"),
        ("accept_legacy_auth_context", "acceptLegacyAuthContext"),
        ("name", "name"),
    ]:
        assert (camel(model_name), snake(api_name)) == (api_name, model_name)
    assert camel_keys({"end_user_tools": ["bad"], "messages_per_agent": ["bad"]}) == {"endUserTools": ["bad"], "messagesPerAgent": ["bad"]}


def test_a_model_error_on_any_field_is_keyed_as_the_api_names_it():
    from django.core.exceptions import ValidationError as DjangoValidationError

    from adminapi.agents import _validation

    error = _validation(DjangoValidationError({"budget_per_session": ["not a budget"], "max_iterations": ["too many"]}))
    assert set(error.detail) == {"budgetPerSession", "maxIterations"}  # the old hand-written map knew only two fields
