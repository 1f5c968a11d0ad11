import uuid

import pytest

from chat import services
from knowledge.models import IndexingRun
from tests.factories import make_session
from tests.identity.tokens import make_token
from tests.knowledge.kb import add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256")]


def session(org: str, owner: str | None, name: str):
    created = make_session(agent_id=str(uuid.uuid4()), organization_id=org, user_name=name, owner_id=owner)
    services.record_user_message(session=created, text=f"hello from {name}", request_id="r")
    return created


@pytest.fixture
def data():
    rows = {
        "alice": session("acme", "alice", "Alice"),
        "bob": session("acme", "bob", "Bob"),
        "anon": session("acme", None, "Anon"),
        "globex": session("globex", "gina", "Gina"),
    }
    add("acme", "a.md", "# A\n\nAcme text.", sets=["help"])
    add("acme", "b.md", "# B\n\nMore acme text.", sets=["help", "policies"])
    add("globex", "g.md", "# G\n\nGlobex text.", sets=["secret-set"])
    IndexingRun.objects.create(organization_id="acme", source="docs/")
    IndexingRun.objects.create(organization_id="globex", source="globex-docs/")
    return rows


def get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/{path}", params, **headers)


def token(sub="alice", org="acme", role="basic", **claims):
    return make_token({"sub": sub, "org": org, "role": role, **claims})


def names(response) -> set[str]:
    return {row["name"].split(" and ")[0] for row in response.json()["results"]}


def test_health_needs_no_token_in_any_mode(client, settings):
    for mode in ("jwt", "none", None):
        settings.AUTH_MODE = mode
        response = client.get("/api/v1/health")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "bearer, status, code, words",
    [
        (None, 401, "UNAUTHENTICATED", "send Authorization: Bearer <token>"),
        ("garbage", 401, "UNAUTHENTICATED", "the token is malformed"),
        (
            make_token({"sub": "alice", "org": "acme"}, key="wrong-secret-but-long-enough-for-hs256"),
            401,
            "UNAUTHENTICATED",
            "the token's signature does not verify",
        ),
    ],
)
def test_no_or_bad_token_is_401_in_the_protocols_error_shape(client, bearer, status, code, words):
    response = get(client, "me", bearer)
    assert response.status_code == status
    assert response.json() == {"code": code, "message": words}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_me_describes_the_principal(client):
    response = get(client, "me", token(role="curator", groups=["support"], name="Alice", email="a@x.test"))
    assert response.json() == {
        "userId": "alice",
        "organizationId": "acme",
        "role": "curator",
        "groups": ["support"],
        "name": "Alice",
        "email": "a@x.test",
    }


def test_an_unset_auth_mode_refuses_every_call(client, settings):
    settings.AUTH_MODE = None
    response = get(client, "conversations", token(role="admin"))
    assert response.status_code == 401
    assert "AUTH_MODE" in response.json()["message"]


def test_auth_mode_none_makes_every_caller_an_admin_of_the_dev_organisation(client, settings, data):
    settings.AUTH_MODE, settings.AUTH_DEV_ORG_ID = "none", "acme"
    me = get(client, "me").json()
    assert (me["role"], me["organizationId"]) == ("admin", "acme")
    assert names(get(client, "conversations")) == {"Alice", "Bob", "Anon"}


@pytest.mark.parametrize(
    "who, visible",
    [
        (dict(sub="x", role="admin"), {"Alice", "Bob", "Anon"}),
        (dict(sub="x", role="curator"), {"Alice", "Bob", "Anon"}),
        (dict(sub="alice", role="basic"), {"Alice"}),
        (dict(sub="nobody", role="basic"), set()),
        (dict(sub="gina", org="globex", role="admin"), {"Gina"}),
    ],
)
def test_conversations_by_role_and_organisation(client, data, who, visible):
    assert names(get(client, "conversations", token(**who))) == visible


def test_conversations_are_paged_newest_first_with_a_cursor(client, data):
    first = get(client, "conversations", token(role="admin"), limit=2).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {token(role='admin')}").json()
    all_ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(all_ids) == len(set(all_ids)) == 3


def test_messages_of_a_visible_conversation(client, data):
    conversation_id = data["alice"].conversation_id
    response = get(client, f"conversations/{conversation_id}/messages", token(sub="alice"))
    (message,) = response.json()["results"]
    assert (message["direction"], message["text"]) == ("inbound", "hello from Alice")
    assert message["fromParticipant"]["type"] == "user"


@pytest.mark.parametrize(
    "who, conversation",
    [(dict(sub="alice"), "bob"), (dict(sub="gina", org="globex", role="admin"), "alice"), (dict(role="admin"), None)],
    ids=["basic: another user's", "admin: another organisation's", "unknown id"],
)
def test_messages_of_an_invisible_conversation_are_404(client, data, who, conversation):
    conversation_id = data[conversation].conversation_id if conversation else uuid.uuid4()
    response = get(client, f"conversations/{conversation_id}/messages", token(**who))
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")


def test_document_sets_with_counts_for_curators_of_the_organisation(client, data):
    assert get(client, "document-sets", token(role="basic")).status_code == 403
    response = get(client, "document-sets", token(role="curator"))
    assert {row["name"]: row["documentCount"] for row in response.json()} == {"help": 2, "policies": 1}
    assert get(client, "document-sets", token(role="basic")).json() == {
        "code": "FORBIDDEN",
        "message": "this needs the curator role or higher",
    }


def test_indexing_runs_for_curators_of_the_organisation(client, data):
    assert get(client, "indexing/runs", token(role="basic")).status_code == 403
    runs = get(client, "indexing/runs", token(role="admin")).json()["results"]
    assert [run["source"] for run in runs] == ["docs/"]
