import asyncio
import time
import uuid

import pytest
from channels.db import database_sync_to_async
from django.db import IntegrityError, transaction

from chat.models import Conversation, Participant, Session
from tests.factories import AGENT_ID, NO_ROWS, make_policy, make_session, row_counts
from tests.spec import validate_definition
from widget_auth.signatures import generate_ed25519_key_pair, sign_ed25519, sign_hmac_sha256

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://shop.example.com"


async def test_creates_conversation_participants_and_session_and_answers_the_descriptor(ws, settings):
    settings.SMOOTH_AGENT_NAME = "Aria"
    client = await ws(user_agent="TestBrowser/1.0")
    event = await client.request(
        {
            "action": "create_conversation_session",
            "requestId": "c-1",
            "agentId": AGENT_ID,
            "userName": "Alice",
            "userEmail": "alice@example.com",
            "browserFingerprint": "fp_abc",
            "metadata": {"planTier": "pro"},
            "supports": ["choice_chips"],
        }
    )
    assert event["type"] == "immediate_response"
    assert event["requestId"] == "c-1"
    assert event["status"] == 200
    data = event["data"]
    validate_definition("actions/create-conversation-session.schema.json", "Response", data)
    assert set(data) == {"sessionId", "conversationId", "agentId", "agentName", "userParticipantId", "agentParticipantId"}
    assert data["agentId"] == AGENT_ID
    assert data["agentName"] == "Aria"

    session = await Session.objects.select_related("conversation", "user_participant", "agent_participant").aget(
        session_id=data["sessionId"]
    )
    assert str(session.conversation_id) == data["conversationId"]
    assert session.organization_id == "default"
    assert session.status == "active"
    assert session.thread_id
    assert session.metadata == {"client": {"planTier": "pro"}}
    assert (session.conversation.supports, session.conversation.metadata) == (["choice_chips"], {})
    user, agent = session.user_participant, session.agent_participant
    assert (str(user.id), user.type, user.name, user.email) == (data["userParticipantId"], "user", "Alice", "alice@example.com")
    assert user.browser_fingerprint == "fp_abc"
    assert user.browser_info == {"userAgent": "TestBrowser/1.0"}
    assert user.external_id is None
    assert (str(agent.id), agent.type, agent.name, agent.internal_id) == (data["agentParticipantId"], "ai-agent", "Aria", AGENT_ID)
    assert await database_sync_to_async(row_counts)() == {"conversations": 1, "participants": 2, "sessions": 1, "messages": 0}


async def test_user_name_defaults_to_visitor(ws):
    client = await ws()
    data = await client.create_session(AGENT_ID)
    user = await Participant.objects.aget(id=data["userParticipantId"])
    assert user.name == "Visitor"
    assert user.email is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "agentId is required"),
        ({"agentId": None}, "agentId is required"),
        ({"agentId": "not-a-uuid"}, "agentId must be a UUID"),
        ({"agentId": 42}, "agentId must be a string, not a number"),
        ({"agentId": AGENT_ID, "userEmail": "not an email"}, "userEmail must be an email address"),
    ],
)
async def test_a_missing_or_bad_agent_id_is_refused_and_never_invented(ws, fields, message):
    client = await ws()
    event = await client.request({"action": "create_conversation_session", "requestId": "c-bad", **fields})
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert event["requestId"] == "c-bad"
    assert await database_sync_to_async(row_counts)() == NO_ROWS
    await client.assert_open()


async def test_sessions_belong_to_the_default_organisation_or_the_policy_organisation(ws, settings):
    settings.SMOOTH_DEFAULT_ORG_ID = "acme-default"
    other_agent = str(uuid.uuid4())
    await database_sync_to_async(make_policy)(agent_id=other_agent, allowed_origins=[SITE], organization_id="org-42")
    client = await ws(origin=SITE)

    default_session = await client.create_session(AGENT_ID)
    policy_session = await client.create_session(other_agent)

    assert (await Session.objects.aget(session_id=default_session["sessionId"])).organization_id == "acme-default"
    stored = await Session.objects.select_related("conversation", "user_participant").aget(session_id=policy_session["sessionId"])
    assert stored.organization_id == stored.conversation.organization_id == stored.user_participant.organization_id == "org-42"


@pytest.mark.parametrize(
    "policy, origin, strict, code",
    [
        (None, SITE, True, "AGENT_NOT_AUTHORIZED"),
        ({"allowed_origins": [SITE], "enabled": False}, SITE, False, "AGENT_NOT_AUTHORIZED"),
        ({"allowed_origins": [SITE]}, "https://evil.example.net", False, "ORIGIN_NOT_ALLOWED"),
        ({"allowed_origins": [SITE]}, None, False, "ORIGIN_NOT_ALLOWED"),
        ({"allowed_origins": []}, SITE, False, "ORIGIN_NOT_ALLOWED"),
        ({"allowed_origins": ["*"]}, None, False, "ORIGIN_NOT_ALLOWED"),
    ],
)
async def test_embed_refusals_answer_their_code_and_store_nothing(ws, settings, policy, origin, strict, code):
    settings.WIDGET_AUTH_STRICT = strict
    if policy is not None:
        await database_sync_to_async(make_policy)(**policy)
    client = await ws(origin=origin)
    event = await client.request({"action": "create_conversation_session", "requestId": "c-x", "agentId": AGENT_ID})
    assert event["type"] == "error"
    assert event["error"]["code"] == code
    assert event["data"] == {"requestId": "c-x", "error": event["error"]}
    assert await database_sync_to_async(row_counts)() == NO_ROWS
    await client.assert_open()


async def test_strict_mode_allows_an_agent_with_a_policy(ws, settings):
    settings.WIDGET_AUTH_STRICT = True
    await database_sync_to_async(make_policy)(allowed_origins=[SITE])
    client = await ws(origin=SITE)
    data = await client.create_session(AGENT_ID)
    assert data["agentId"] == AGENT_ID


async def test_a_verified_auth_context_records_the_user_and_marks_the_session_verified(ws):
    private_key, public_key = generate_ed25519_key_pair()
    await database_sync_to_async(make_policy)(allowed_origins=[SITE], key_scheme="ed25519", public_key=public_key)
    now = int(time.time())
    auth_context = {"userId": "user-7", "signature": sign_ed25519(private_key, "user-7", now), "timestamp": now}
    client = await ws(origin=SITE)

    data = await client.create_session(AGENT_ID, authContext=auth_context)

    session = await Session.objects.select_related("user_participant").aget(session_id=data["sessionId"])
    assert session.user_participant.external_id == "user-7"
    assert session.identity_verified
    assert (session.verified_user_id, session.verified_scheme, session.verified_format) == ("user-7", "ed25519", "legacy")
    assert session.verified_at is not None and session.metadata == {"client": {}}


async def test_a_client_cannot_claim_a_verified_identity_through_metadata(ws):
    client = await ws()
    forged = {"identity": {"verified": True, "userId": "admin"}, "externalId": "admin"}
    data = await client.create_session(AGENT_ID, metadata=forged)
    session = await Session.objects.select_related("user_participant").aget(session_id=data["sessionId"])
    assert not session.identity_verified and session.verified_user_id is None
    assert session.metadata == {"client": forged}
    assert session.user_participant.external_id is None


@pytest.mark.parametrize(
    "half",
    [{"verified_user_id": "user-7"}, {"verified_at": "2026-11-02T10:00:00Z"}, {"code_verified_at": "2026-11-02T10:00:00Z"}],
)
def test_the_database_refuses_half_a_verification(half):
    session = make_session()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(**half)
    assert not Session.objects.get(pk=session.pk).visitor_verified


async def test_an_auth_context_that_does_not_verify_is_refused_before_anything_is_stored(ws):
    await database_sync_to_async(make_policy)(allowed_origins=[SITE], key_scheme="hmac-sha256", hmac_secret="s3cret")
    now = int(time.time())
    client = await ws(origin=SITE)
    event = await client.request(
        {
            "action": "create_conversation_session",
            "requestId": "c-auth",
            "agentId": AGENT_ID,
            "authContext": {"userId": "mallory", "signature": sign_hmac_sha256("s3cret", "alice", now), "timestamp": now},
        }
    )
    assert event["error"] == {"code": "AUTH_CONTEXT_INVALID", "message": "authContext signature does not verify"}
    assert "s3cret" not in str(event)
    assert await database_sync_to_async(row_counts)() == NO_ROWS


async def test_an_auth_context_for_an_agent_without_a_policy_is_refused(ws):
    client = await ws()
    now = int(time.time())
    event = await client.request(
        {
            "action": "create_conversation_session",
            "agentId": AGENT_ID,
            "authContext": {"userId": "alice", "signature": "00" * 32, "timestamp": now},
        }
    )
    assert event["error"]["code"] == "AUTH_CONTEXT_INVALID"
    assert await database_sync_to_async(row_counts)() == NO_ROWS


async def test_a_storage_failure_midway_stores_nothing_and_answers_internal_error(ws, monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full at /secret/path")

    monkeypatch.setattr(Session.objects, "bulk_create", fail)
    client = await ws()
    event = await client.request({"action": "create_conversation_session", "requestId": "c-fail", "agentId": AGENT_ID})
    assert event["error"] == {"code": "INTERNAL_ERROR", "message": "internal server error"}
    assert event["requestId"] == "c-fail"
    assert await Conversation.objects.acount() == 0
    assert await Participant.objects.acount() == 0
    assert "disk full" in caplog.text  # the traceback is logged server-side, never sent
    await client.assert_open()


async def test_a_burst_of_creates_is_stored_in_batches_and_each_is_answered_only_once_stored(ws, monkeypatch):
    """Creates that arrive while a batch is on the database thread are stored together;
    every answered session has its rows at the moment its answer arrives."""
    batch_sizes = []
    store = Session.objects.bulk_create

    def counting_bulk_create(sessions, *args, **kwargs):
        batch_sizes.append(len(sessions))
        return store(sessions, *args, **kwargs)

    monkeypatch.setattr(Session.objects, "bulk_create", counting_bulk_create)
    clients = [await ws() for _ in range(20)]

    async def create_and_check(client, number):
        data = await client.create_session(AGENT_ID, userName=f"Visitor {number}")
        session = await Session.objects.select_related("conversation", "user_participant").aget(session_id=data["sessionId"])
        assert (str(session.conversation_id), session.user_participant.name) == (data["conversationId"], f"Visitor {number}")
        return data["sessionId"]

    session_ids = await asyncio.gather(*(create_and_check(client, number) for number, client in enumerate(clients)))
    assert len(set(session_ids)) == 20
    assert sum(batch_sizes) == 20 and max(batch_sizes) > 1, batch_sizes
    assert await database_sync_to_async(row_counts)() == {"conversations": 20, "participants": 40, "sessions": 20, "messages": 0}


async def test_one_create_that_cannot_be_stored_fails_alone_in_its_batch(ws, monkeypatch):
    from chat import services

    rows_of = services._session_rows
    batches_with_mallory = []

    def refuse_mallory(request):
        if request.user_name == "Mallory":
            batches_with_mallory.append(request)
            raise IntegrityError("a row Mallory cannot store")
        return rows_of(request)

    monkeypatch.setattr(services, "_session_rows", refuse_mallory)
    clients = [await ws() for _ in range(6)]
    names = ["Ann", "Bob", "Mallory", "Cid", "Dee", "Eve"]
    events = await asyncio.gather(
        *(
            client.request({"action": "create_conversation_session", "requestId": f"c-{name}", "agentId": AGENT_ID, "userName": name})
            for client, name in zip(clients, names, strict=True)
        )
    )
    answered = {event["requestId"]: event for event in events}
    assert answered["c-Mallory"]["error"]["code"] == "INTERNAL_ERROR"
    stored = {name async for name in Participant.objects.filter(type="user").values_list("name", flat=True)}
    assert stored == {"Ann", "Bob", "Cid", "Dee", "Eve"}
    for name in stored:
        assert answered[f"c-{name}"]["status"] == 200
    assert len(batches_with_mallory) == 2  # tried in a batch with others, then alone
    assert await database_sync_to_async(row_counts)() == {"conversations": 5, "participants": 10, "sessions": 5, "messages": 0}
    await clients[2].assert_open()


async def test_an_unknown_agent_is_registered_on_first_use_in_the_default_organisation(ws, settings):
    from agents.models import Agent

    settings.SMOOTH_DEFAULT_ORG_ID, settings.SMOOTH_AGENT_NAME = "acme-default", "Aria"
    client = await ws()
    first = await client.create_session(AGENT_ID)
    agent = await Agent.objects.aget(id=AGENT_ID)
    assert (agent.organization_id, agent.name, first["agentName"]) == ("acme-default", "Aria", "Aria")
    settings.SMOOTH_DEFAULT_ORG_ID = "moved-default"  # owned from then on: a later default changes nothing
    await client.create_session(AGENT_ID)
    assert await Agent.objects.filter(id=AGENT_ID, organization_id="acme-default").aexists()
    assert await Session.objects.filter(organization_id="acme-default").acount() == 2


async def test_in_strict_mode_an_unknown_agent_is_refused_and_not_registered(ws, settings):
    from agents.models import Agent

    settings.WIDGET_AUTH_STRICT = True
    client = await ws()
    event = await client.request({"action": "create_conversation_session", "agentId": AGENT_ID})
    assert event["error"] == {"code": "AGENT_NOT_AUTHORIZED", "message": "this agent is not available"}
    assert not await Agent.objects.aexists()
