import json
import uuid

import pytest

from agents.models import Agent
from tests.adminapi.test_read_endpoints import token
from tests.factories import make_agent, make_policy
from widget_auth.models import WidgetPolicy
from widget_auth.signatures import generate_ed25519_key_pair

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256", "acme_agent")]
AGENT = "11111111-1111-1111-1111-111111111111"
THEIRS = "22222222-2222-2222-2222-222222222222"


@pytest.fixture
def acme_agent():
    return make_agent(agent_id=AGENT, organization_id="acme")


def call(client, method, path, body=None, who=None):
    who = who or {"role": "admin"}
    return getattr(client, method)(
        f"/api/v1/{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(**who)}",
    )


def test_an_admin_creates_reads_updates_and_deletes_a_policy_without_ever_seeing_the_secret(client):
    created = call(
        client,
        "post",
        "embed-policies",
        {"agentId": AGENT, "allowedOrigins": ["HTTPS://Shop.Example.com"], "keyScheme": "hmac-sha256", "hmacSecret": "TOP-SECRET"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["allowedOrigins"] == ["https://shop.example.com"] and body["organizationId"] == "acme"
    assert body["hmacSecretSet"] is True and "TOP-SECRET" not in created.content.decode()
    assert WidgetPolicy.objects.get().hmac_secret == "TOP-SECRET"

    for response in (call(client, "get", "embed-policies"), call(client, "get", f"embed-policies/{AGENT}")):
        assert response.status_code == 200 and "TOP-SECRET" not in response.content.decode()

    _, public_key = generate_ed25519_key_pair()
    updated = call(client, "patch", f"embed-policies/{AGENT}", {"keyScheme": "ed25519", "publicKey": public_key, "enabled": False})
    assert (updated.status_code, updated.json()["keyScheme"], updated.json()["hmacSecretSet"], updated.json()["enabled"]) == (
        200,
        "ed25519",
        False,
        False,
    )
    assert WidgetPolicy.objects.get().hmac_secret == ""  # a scheme change drops the old secret

    assert call(client, "delete", f"embed-policies/{AGENT}").status_code == 204
    assert not WidgetPolicy.objects.exists()


@pytest.mark.parametrize("role", ["basic", "curator"])
def test_only_admins_manage_policies(client, role):
    assert call(client, "get", "embed-policies", who={"role": role}).status_code == 403
    assert call(client, "post", "embed-policies", {"agentId": AGENT}, who={"role": role}).status_code == 403


@pytest.mark.parametrize("theirs_has_a_policy", [False, True])
def test_another_organisations_agent_cannot_be_captured_and_looks_like_no_agent_at_all(client, theirs_has_a_policy):
    if theirs_has_a_policy:
        make_policy(agent_id=THEIRS, organization_id="globex", allowed_origins=["https://globex.example.com"])
    else:
        make_agent(agent_id=THEIRS, organization_id="globex")
    answers = [
        call(client, "post", "embed-policies", {"agentId": agent_id, "allowedOrigins": ["*"]}) for agent_id in (THEIRS, str(uuid.uuid4()))
    ]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (
            400,
            {
                "code": "VALIDATION_ERROR",
                "message": "some fields are not valid",
                "details": {"agentId": ["no agent of your organisation has this id"]},
            },
        )
    ] * 2
    assert Agent.objects.get(id=THEIRS).organization_id == "globex"
    assert list(WidgetPolicy.objects.values_list("agent_id", "allowed_origins")) == (
        [(uuid.UUID(THEIRS), ["https://globex.example.com"])] if theirs_has_a_policy else []
    )


def test_another_organisations_policy_does_not_exist(client):
    call(client, "post", "embed-policies", {"agentId": AGENT, "allowedOrigins": ["*"]})
    other = {"role": "admin", "org": "globex", "sub": "g"}
    assert call(client, "get", "embed-policies", who=other).json() == []
    for method, body in (("get", None), ("patch", {"enabled": False}), ("delete", None)):
        response = call(client, method, f"embed-policies/{AGENT}", body, who=other)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND"), method
    assert WidgetPolicy.objects.get().enabled is True


@pytest.mark.parametrize(
    "body, field, words",
    [
        ({"allowedOrigins": ["https://x.com/path"]}, "allowedOrigins", "an origin has no path"),
        ({"keyScheme": "ed25519", "publicKey": "abc"}, "publicKey", "Not an Ed25519 public key"),
        ({"keyScheme": "hmac-sha256"}, "hmacSecret", "An HMAC-SHA256 policy needs a shared secret."),
        ({"keyScheme": "rsa"}, "keyScheme", "not a valid choice"),
        ({"agentId": "nope"}, "agentId", "agentId is required (a UUID)"),
    ],
)
def test_bad_input_is_400_with_the_same_words_as_the_admin(client, body, field, words):
    response = call(client, "post", "embed-policies", {"agentId": AGENT, **body})
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "VALIDATION_ERROR"
    assert words in " ".join(payload["details"][field])
    assert not WidgetPolicy.objects.exists()


def test_a_second_policy_for_one_agent_is_refused(client):
    call(client, "post", "embed-policies", {"agentId": AGENT})
    response = call(client, "post", "embed-policies", {"agentId": AGENT})
    assert response.status_code == 400 and response.json()["details"]["agentId"] == ["this agent already has a policy"]


def test_an_unknown_agent_is_404(client):
    assert call(client, "get", f"embed-policies/{uuid.uuid4()}").status_code == 404
