"""A session id is an identifier, not a credential: every action that names a session
checks again what creating it checked, and what the session is bound to."""

import time
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from agents.models import Agent
from chat import resume
from chat.models import Message, Session
from tests.factories import AGENT_ID, make_policy, row_counts
from tests.signing_times import unused_second
from widget_auth.models import WidgetPolicy
from widget_auth.signatures import generate_ed25519_key_pair, sign_ed25519

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://shop.example.com"
OTHER_SITE = "https://other.example.com"
OTHER_AGENT = "22222222-2222-2222-2222-222222222222"
PRIVATE, PUBLIC = generate_ed25519_key_pair()


@pytest.fixture(autouse=True)
def offline(settings):
    settings.SMOOTH_AGENT_LLM = "offline"  # turns run without a gateway


@pytest.fixture
def policy(db):
    return make_policy(allowed_origins=[SITE], key_scheme="ed25519", public_key=PUBLIC)


def auth_context(user_id="alice", origin=SITE, agent_id=AGENT_ID):
    signed_at = unused_second(user_id, origin, agent_id)  # each context a fresh one
    return {
        "userId": user_id,
        "signature": sign_ed25519(PRIVATE, user_id, signed_at, agent_id=agent_id, origin=origin),
        "timestamp": signed_at,
    }


def not_found(event, session_id, request_id="x"):
    assert event["type"] == "error", event
    assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}
    assert event["requestId"] == request_id


ACTIONS = [
    {"action": "get_session"},
    {"action": "get_conversation_messages"},
    {"action": "send_message", "message": "what is your returns window?"},
    {"action": "smooth.rate_answer", "messageId": "7a4f3b8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "rating": "up"},
    {"action": "smooth.download_transcript"},
    {"action": "smooth.delete_conversation"},
]


async def assert_refused_everywhere(client, session_id, **extra):
    """Every action naming the session answers as for an unknown id, and nothing is stored."""
    before = await database_sync_to_async(row_counts)()
    for action in ACTIONS:
        not_found(await client.request({**action, "requestId": "x", "sessionId": session_id, **extra}), session_id)
    await client.assert_silent()
    assert await database_sync_to_async(row_counts)() == before
    await client.assert_open()


async def assert_usable(client, session_id, **extra):
    first = await client.request({"action": "get_session", "requestId": "g", "sessionId": session_id, **extra})
    assert (first["type"], first["status"], first["data"]["sessionId"]) == ("immediate_response", 200, session_id)
    if "resumeToken" in extra:
        assert (await client.receive())["message"] == "Resume token"  # renewed
    ack = await client.request({"action": "send_message", "requestId": "m", "sessionId": session_id, "message": "returns?"})
    assert (ack["type"], ack["status"]) == ("immediate_response", 202)
    while (event := await client.receive())["type"] == "stream_token":
        pass
    assert event["type"] == "eventual_response", event


async def test_upstream_clients_re_attach_by_id_from_the_same_origin(ws, policy):
    created = await (await ws(origin=SITE)).create_session(AGENT_ID)
    await assert_usable(await ws(origin=SITE), created["sessionId"])


@pytest.mark.parametrize("origin", [OTHER_SITE, None, "http://shop.example.com", "null"])
async def test_a_session_is_refused_from_any_other_origin(ws, settings, origin):
    make = database_sync_to_async(make_policy)
    await make(allowed_origins=["*"])
    created = await (await ws(origin=SITE)).create_session(AGENT_ID)
    await assert_refused_everywhere(await ws(origin=origin), created["sessionId"])


async def test_a_session_created_without_an_origin_is_usable_only_without_one(ws):
    created = await (await ws()).create_session(AGENT_ID)
    await assert_refused_everywhere(await ws(origin=SITE), created["sessionId"])
    await assert_usable(await ws(), created["sessionId"])


async def test_a_session_is_refused_from_another_agents_site(ws, policy):
    await database_sync_to_async(make_policy)(agent_id=OTHER_AGENT, allowed_origins=[OTHER_SITE])
    created = await (await ws(origin=SITE)).create_session(AGENT_ID)
    elsewhere = await ws(origin=OTHER_SITE)
    assert (await elsewhere.create_session(OTHER_AGENT))["agentId"] == OTHER_AGENT  # that site is allowed its own agent
    await assert_refused_everywhere(elsewhere, created["sessionId"])


@pytest.mark.parametrize(
    "change",
    [
        lambda: WidgetPolicy.objects.update(enabled=False),
        lambda: WidgetPolicy.objects.update(allowed_origins=[OTHER_SITE]),
        lambda: Agent.objects.update(enabled=False),
    ],
    ids=["policy disabled", "origin removed from the policy", "agent disabled"],
)
async def test_a_change_to_the_agent_or_policy_refuses_its_sessions_even_on_the_socket_that_made_them(ws, policy, change):
    owner = await ws(origin=SITE)
    session_id = (await owner.create_session(AGENT_ID))["sessionId"]
    await database_sync_to_async(change)()

    await assert_refused_everywhere(await ws(origin=SITE), session_id)
    # The creating socket is refused too: a send_message it had attached is checked again
    # before the question is stored (its 202 was already on the way).
    ack = await owner.request({"action": "send_message", "requestId": "late", "sessionId": session_id, "message": "still there?"})
    assert (ack["type"], ack["status"]) == ("immediate_response", 202)
    not_found(await owner.receive(), session_id, "late")
    assert await Message.objects.acount() == 0
    not_found(await owner.request({"action": "get_session", "requestId": "x", "sessionId": session_id}), session_id)


async def test_a_session_without_an_agent_is_not_found(ws):
    created = await (await ws()).create_session(AGENT_ID)
    await Session.objects.filter(session_id=created["sessionId"]).aupdate(agent=None)
    await assert_refused_everywhere(await ws(), created["sessionId"])


class TestVerifiedVisitors:
    async def verified_session(self, ws) -> tuple:
        creator = await ws(origin=SITE)
        context = auth_context()
        session_id = (await creator.create_session(AGENT_ID, authContext=context))["sessionId"]
        return creator, session_id, context

    async def test_the_creating_socket_needs_nothing_more(self, ws, policy):
        creator, session_id, _ = await self.verified_session(ws)
        await assert_usable(creator, session_id)

    async def test_another_connection_is_refused_without_a_fresh_auth_context(self, ws, policy):
        _, session_id, _ = await self.verified_session(ws)
        await assert_refused_everywhere(await ws(origin=SITE), session_id)

    async def test_a_fresh_auth_context_for_the_same_visitor_re_attaches(self, ws, policy):
        _, session_id, _ = await self.verified_session(ws)
        await assert_usable(await ws(origin=SITE), session_id, authContext=auth_context())

    @pytest.mark.parametrize(
        "context",
        [lambda: auth_context("mallory"), lambda: auth_context(origin=OTHER_SITE), lambda: auth_context(agent_id=OTHER_AGENT)],
        ids=["another visitor", "signed for another site", "signed for another agent"],
    )
    async def test_a_context_for_another_visitor_site_or_agent_is_refused(self, ws, policy, context):
        _, session_id, _ = await self.verified_session(ws)
        await assert_refused_everywhere(await ws(origin=SITE), session_id, authContext=context())

    async def test_the_creation_context_replayed_is_refused(self, ws, policy):
        _, session_id, used = await self.verified_session(ws)
        await assert_refused_everywhere(await ws(origin=SITE), session_id, authContext=used)
        # ...and so is a second session made with it
        event = await (await ws(origin=SITE)).request({"action": "create_conversation_session", "agentId": AGENT_ID, "authContext": used})
        assert event["error"] == {
            "code": "AUTH_CONTEXT_INVALID",
            "message": "this authContext was already used: sign a new one for every session",
        }
        assert await Session.objects.acount() == 1


class TestResumeTokens:
    async def created(self, ws, origin=SITE) -> tuple:
        client = await ws(origin=origin)
        descriptor = await client.request(
            {"action": "create_conversation_session", "requestId": "c", "agentId": AGENT_ID, "supports": ["resume_token"]}
        )
        token = await client.receive()
        return client, descriptor, token

    async def test_the_token_comes_after_the_spec_descriptor_only_when_asked_for(self, ws, policy):
        _, descriptor, token = await self.created(ws)
        assert set(descriptor["data"]) == {"sessionId", "conversationId", "agentId", "agentName", "userParticipantId", "agentParticipantId"}
        assert (token["type"], token["requestId"], token["status"], token["message"]) == ("immediate_response", "c", 200, "Resume token")
        assert set(token["data"]) == {"sessionId", "resumeToken", "expiresAt"}
        assert token["data"]["sessionId"] == descriptor["data"]["sessionId"]
        assert token["data"]["expiresAt"] > time.time() * 1000 + 23 * 3600 * 1000

        plain = await ws(origin=SITE)
        await plain.create_session(AGENT_ID, supports=["choice_chips"])
        await plain.assert_silent()  # an upstream client gets the descriptor alone

    async def test_in_token_mode_only_the_token_re_attaches_and_each_re_attach_renews_it(self, ws, settings, policy):
        settings.SMOOTH_SESSION_RESUME = "token"
        _, descriptor, token = await self.created(ws)
        session_id = descriptor["data"]["sessionId"]
        await assert_refused_everywhere(await ws(origin=SITE), session_id)

        again = await ws(origin=SITE)
        found = await again.request(
            {"action": "get_session", "requestId": "g", "sessionId": session_id, "resumeToken": token["data"]["resumeToken"]}
        )
        assert found["data"]["sessionId"] == session_id
        renewed = await again.receive()
        assert renewed["message"] == "Resume token" and renewed["data"]["sessionId"] == session_id
        await assert_usable(await ws(origin=SITE), session_id, resumeToken=renewed["data"]["resumeToken"])

    async def test_a_session_made_without_the_capability_still_re_attaches_by_origin_in_token_mode(self, ws, settings, policy):
        settings.SMOOTH_SESSION_RESUME = "token"
        created = await (await ws(origin=SITE)).create_session(AGENT_ID)
        await assert_usable(await ws(origin=SITE), created["sessionId"])

    async def test_the_token_re_attaches_a_verified_visitor_without_a_new_auth_context(self, ws, policy):
        client = await ws(origin=SITE)
        created = await client.create_session(AGENT_ID, supports=["resume_token"], authContext=auth_context())
        token = (await client.receive())["data"]["resumeToken"]
        await assert_usable(await ws(origin=SITE), created["sessionId"], resumeToken=token)

    async def test_a_token_does_not_carry_a_session_to_another_origin(self, ws, settings, policy):
        settings.SMOOTH_SESSION_RESUME = "token"
        await database_sync_to_async(WidgetPolicy.objects.update)(allowed_origins=[SITE, OTHER_SITE])
        _, descriptor, token = await self.created(ws)
        await assert_refused_everywhere(
            await ws(origin=OTHER_SITE), descriptor["data"]["sessionId"], resumeToken=token["data"]["resumeToken"]
        )

    async def test_tampered_foreign_and_expired_tokens_are_refused(self, ws, settings, policy, monkeypatch):
        settings.SMOOTH_SESSION_RESUME = "token"
        _, descriptor, token = await self.created(ws)
        _, _, other_token = await self.created(ws)
        session_id, genuine = descriptor["data"]["sessionId"], token["data"]["resumeToken"]
        tampered = genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB")
        for bad in (tampered, other_token["data"]["resumeToken"], "not-a-token", ""):
            await assert_refused_everywhere(await ws(origin=SITE), session_id, resumeToken=bad)

        real_time = time.time
        with monkeypatch.context() as signed_long_ago:
            signed_long_ago.setattr(time, "time", lambda: real_time() - 25 * 3600)
            expired, _ = resume.issue(uuid.UUID(session_id))
        await assert_refused_everywhere(await ws(origin=SITE), session_id, resumeToken=expired)

    async def test_an_idle_session_cannot_be_re_attached_even_with_its_token(self, ws, settings, policy):
        creator, descriptor, token = await self.created(ws)
        session_id = descriptor["data"]["sessionId"]
        await Session.objects.filter(session_id=session_id).aupdate(last_activity_at=timezone.now() - timedelta(hours=25))
        await assert_refused_everywhere(await ws(origin=SITE), session_id, resumeToken=token["data"]["resumeToken"])
        await assert_usable(creator, session_id)  # the socket that holds it carries on


@pytest.mark.parametrize(
    "frame, words",
    [
        ({"resumeToken": 5}, "resumeToken must be a string, not a number"),
        ({"resumeToken": "x" * 513}, "resumeToken must be at most 512 characters, got 513"),
        ({"authContext": "alice"}, "authContext must be an object, not a string"),
        ({"authContext": {"userId": "a", "signature": "s"}}, "authContext.timestamp is required"),
    ],
)
async def test_malformed_credentials_are_validation_errors(ws, frame, words):
    client = await ws()
    event = await client.request({"action": "get_session", "sessionId": str(uuid.uuid4()), **frame})
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": words}
