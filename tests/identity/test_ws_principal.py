"""/ws?token=: the connection is the token's principal."""

import pytest
from channels.db import database_sync_to_async

from chat.backplane import publish
from chat.models import Session
from tests.factories import AGENT_ID, make_agent
from tests.helpers import turn
from tests.identity.tokens import make_token
from tests.knowledge.kb import add

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("jwt_hs256", "acme_agent")]

ALICE = {"sub": "alice", "org": "acme", "groups": ["support"]}
BOB = {"sub": "bob", "org": "acme"}


@pytest.fixture
def acme_agent(db):
    return make_agent(organization_id="acme")


async def test_a_principals_session_belongs_to_it_and_its_organisation(ws):
    alice = await ws(token=make_token(ALICE))
    created = await alice.create_session(AGENT_ID)
    session = await Session.objects.aget(session_id=created["sessionId"])
    assert (session.owner_id, session.organization_id) == ("alice", "acme")

    again = await ws(token=make_token(ALICE))  # the same principal, another connection
    assert (await again.request({"action": "get_session", "sessionId": created["sessionId"]}))["type"] == "immediate_response"


@pytest.mark.parametrize("who", ["another principal", "anonymous", "same user in another organisation"])
async def test_another_callers_see_a_principals_session_as_not_found(ws, who):
    alice = await ws(token=make_token(ALICE))
    session_id = (await alice.create_session(AGENT_ID))["sessionId"]
    token = {
        "another principal": make_token(BOB),
        "anonymous": None,
        "same user in another organisation": make_token({"sub": "alice", "org": "globex"}),
    }[who]
    other = await ws(token=token)
    for action in ({"action": "get_session"}, {"action": "send_message", "message": "hi"}, {"action": "get_conversation_messages"}):
        event = await other.request({**action, "requestId": "x", "sessionId": session_id})
        assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}, action


async def test_an_anonymous_session_works_by_id_in_its_organisation_only(ws):
    anonymous = await ws()
    session_id = (await anonymous.create_session(AGENT_ID))["sessionId"]
    bob = await ws(token=make_token(BOB))
    assert (await bob.request({"action": "get_session", "sessionId": session_id}))["type"] == "immediate_response"
    outsider = await ws(token=make_token({"sub": "bob", "org": "globex"}))
    event = await outsider.request({"action": "get_session", "sessionId": session_id})
    assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}


async def test_a_principal_cannot_open_a_session_with_another_organisations_agent(ws):
    globex = await ws(token=make_token({"sub": "gina", "org": "globex"}))
    answers = [
        await globex.request({"action": "create_conversation_session", "agentId": agent_id})
        for agent_id in (AGENT_ID, "99999999-9999-4999-8999-999999999999")
    ]
    # Another organisation's agent, and one nobody registered (it would join the default organisation): the same refusal.
    assert [answer["error"] for answer in answers] == [{"code": "AGENT_NOT_AUTHORIZED", "message": "this agent is not available"}] * 2
    assert await Session.objects.acount() == 0


@pytest.mark.parametrize("token", ["garbage", make_token(ALICE, key="the-wrong-secret-but-long-enough!!")])
async def test_a_bad_token_makes_the_connection_anonymous_and_is_logged_without_the_token(ws, token, caplog):
    client = await ws(token=token)
    created = await client.create_session(AGENT_ID)
    assert (await Session.objects.aget(session_id=created["sessionId"])).owner_id is None
    assert "refused" in caplog.text and token not in caplog.text


async def test_a_token_is_ignored_when_jwt_mode_is_off(ws, settings):
    settings.AUTH_MODE = None
    client = await ws(token=make_token(ALICE))
    created = await client.create_session(AGENT_ID)
    assert (await Session.objects.aget(session_id=created["sessionId"])).owner_id is None


async def test_a_group_members_turn_retrieves_a_group_document_and_an_anonymous_one_does_not(ws, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-x"
    await database_sync_to_async(add)(
        "acme", "runbook.md", "# Escalation runbook\n\nPage the duty manager on 5555.", access={"groups": ["support"]}
    )
    await database_sync_to_async(add)("acme", "runbook-public.md", "# Escalation\n\nAsk us in chat.")
    fake_gateway.push({"kind": "text", "text": "ok"}, {"kind": "text", "text": "ok"})

    alice = await ws(token=make_token(ALICE))
    events = await turn(alice, (await alice.create_session(AGENT_ID))["sessionId"], "who do I page for escalation?")
    assert "5555" in str(fake_gateway.requests[0]["messages"])
    assert events[-1]["data"]["data"]["citations"][0]["id"] == "runbook.md"

    anonymous = await ws()
    events = await turn(anonymous, (await anonymous.create_session(AGENT_ID))["sessionId"], "who do I page for escalation?")
    assert "5555" not in str(fake_gateway.requests[1]["messages"]) + str(events)


async def test_an_authenticated_connection_joins_its_user_and_organisation_groups(ws):
    alice = await ws(token=make_token(ALICE))
    await publish("user", "alice", {"type": "for_alice"})
    assert (await alice.communicator.receive_json_from())["type"] == "for_alice"
    await publish("org", "acme", {"type": "for_acme"})
    assert (await alice.communicator.receive_json_from())["type"] == "for_acme"
    anonymous = await ws()
    await publish("org", "acme", {"type": "for_acme_again"})
    assert (await alice.communicator.receive_json_from())["type"] == "for_acme_again"
    await anonymous.assert_silent()
