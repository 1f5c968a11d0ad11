import json

import pytest

from tests.adminapi.test_read_endpoints import token
from tests.factories import AGENT_ID
from tests.identity.tokens import make_token
from tests.turns.test_turns import turn

pytestmark = pytest.mark.usefixtures("jwt_hs256")


@pytest.fixture(autouse=True)
def server_defaults(settings):
    settings.SMOOTH_AGENT_MODEL, settings.SMOOTH_AGENT_SYSTEM_PROMPT = "server-default-model", None


def put(client, body, role="admin", org="acme"):
    return client.put("/api/v1/agent-settings", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token(role=role, org=org)}")


def get(client, role="curator", org="acme"):
    return client.get("/api/v1/agent-settings", HTTP_AUTHORIZATION=f"Bearer {token(role=role, org=org)}")


@pytest.mark.django_db
def test_defaults_then_an_admin_sets_and_resets_per_organisation(client):
    assert get(client).json()["model"] == "server-default-model"
    body = put(client, {"model": "acme-model", "systemPrompt": "You are Acme's agent.", "maxIterations": 2}).json()
    assert (body["model"], body["systemPrompt"], body["maxIterations"]) == ("acme-model", "You are Acme's agent.", 2)
    assert get(client, org="globex").json()["model"] == "server-default-model"  # another organisation is untouched
    reset = put(client, {"model": ""}).json()
    assert (reset["model"], reset["customised"]["model"], reset["maxIterations"]) == ("server-default-model", False, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("role, method, status", [("basic", "get", 403), ("curator", "get", 200), ("curator", "put", 403), ("admin", "put", 200)])
def test_roles(client, role, method, status):
    response = get(client, role=role) if method == "get" else put(client, {"maxIterations": 3}, role=role)
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("body, field", [({"maxIterations": 0}, "maxIterations"), ({"maxIterations": 51}, "maxIterations"), ({"model": "m" * 256}, "model")])
def test_bad_settings_are_400(client, body, field):
    response = put(client, body)
    assert response.status_code == 400 and field in response.json()["details"]


@pytest.mark.django_db(transaction=True)
async def test_a_turn_uses_its_organisations_settings(ws, settings, fake_gateway):
    from channels.db import database_sync_to_async

    from chat.models import AgentSettings

    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-x"
    await database_sync_to_async(AgentSettings.objects.create)(organization_id="acme", model="acme-model", system_prompt="Speak like a pirate.", max_iterations=1)
    fake_gateway.push({"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "x"}'}, {"kind": "text", "text": "unused"})
    client = await ws(token=make_token({"sub": "alice", "org": "acme"}))
    events = await turn(client, (await client.create_session(AGENT_ID))["sessionId"], "hello")
    request = fake_gateway.requests[0]
    assert (request["model"], request["messages"][0]["content"]) == ("acme-model", "Speak like a pirate.")
    assert "tools" not in request  # max_iterations 1: the only call is the final one, without tools
    # The model asked for a tool it was not offered: nothing runs, no text, one AGENT_ERROR.
    assert [event["type"] for event in events] == ["error"]
    assert events[-1]["error"]["code"] == "AGENT_ERROR"
