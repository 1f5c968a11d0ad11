"""list_conversations: a caller's own conversations and nobody else's, newest first,
paged with an opaque cursor, searchable by title."""

from __future__ import annotations

import datetime

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from chat import services
from chat.models import Conversation, Message, Session
from tests.factories import AGENT_ID, make_agent, make_policy, make_session
from tests.identity.tokens import make_token
from tests.protocol.test_session_binding import PUBLIC, SITE, auth_context

pytestmark = pytest.mark.django_db(transaction=True)


def listing(**fields):
    return {"action": "list_conversations", "requestId": "l", **fields}


async def conversations(client, **fields) -> dict:
    event = await client.request(listing(**fields))
    assert (event["type"], event["status"], event["requestId"]) == ("immediate_response", 200, "l"), event
    return event["data"]


def say(session_id, text, *, minutes_ago=0):
    """A visitor's message (and a reply), `minutes_ago` in the past."""
    session = Session.objects.get(session_id=session_id)
    services.record_user_message(session=session, text=text, request_id="r")
    services.record_reply(session=session, text="noted", items=[], tokens=0, request_id="r")
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Message.objects.filter(session_id=session_id).update(created_at=moment)


async def test_an_anonymous_visitor_sees_the_conversation_of_its_session_only(ws):
    client = await ws()
    mine = (await client.create_session(AGENT_ID))["sessionId"]
    await database_sync_to_async(say)(
        mine, "Where is my order 1234? It has been a week and nothing has arrived yet, not even a tracking email"
    )
    other = await database_sync_to_async(make_session)()
    await database_sync_to_async(say)(other.session_id, "someone else's question")
    page = await conversations(client)
    (only,) = page["conversations"]
    session = await Session.objects.aget(session_id=mine)
    assert only["conversationId"] == str(session.conversation_id) and only["messageCount"] == 2
    assert only["title"] == "Where is my order 1234? It has been a week and nothing has arrived yet, not…"  # 80 characters, cut at a space
    assert (page["hasMore"], page["nextCursor"]) == (False, None)
    assert (await conversations(await ws()))["conversations"] == []  # a socket holding nothing sees nothing


async def test_a_conversation_with_no_message_yet_is_not_listed(ws):
    client = await ws()
    await client.create_session(AGENT_ID)
    assert (await conversations(client))["conversations"] == []


@pytest.fixture
def acme(db, jwt_hs256):
    return make_agent(organization_id="acme")


async def test_a_principal_pages_through_its_own_newest_first_and_searches(ws, acme):
    alice = await ws(token=make_token({"sub": "alice", "org": "acme"}))
    created = []
    for index in range(5):
        session_id = (await alice.create_session(AGENT_ID))["sessionId"]
        await database_sync_to_async(say)(
            session_id, f"question {index} about {'refunds' if index % 2 else 'delivery'}", minutes_ago=10 - index
        )
        created.append(session_id)
    bob = await ws(token=make_token({"sub": "bob", "org": "acme"}))
    await database_sync_to_async(say)((await bob.create_session(AGENT_ID))["sessionId"], "bob's question")

    reader = await ws(token=make_token({"sub": "alice", "org": "acme"}))  # another socket of the same principal
    seen, cursor = [], None
    while True:
        page = await conversations(reader, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [item["title"] for item in page["conversations"]]
        assert (page["nextCursor"] is not None) == page["hasMore"]
        if not page["hasMore"]:
            break
        cursor = page["nextCursor"]
    assert seen == [f"question {index} about {'refunds' if index % 2 else 'delivery'}" for index in range(4, -1, -1)]
    found = await conversations(reader, query="  REFUNDS ")
    assert [item["title"] for item in found["conversations"]] == ["question 3 about refunds", "question 1 about refunds"]
    assert (await conversations(reader, query="bob"))["conversations"] == []  # a query narrows, never widens


async def test_the_same_user_id_in_another_organisation_is_someone_else(ws, acme):
    globex_agent = "33333333-3333-3333-3333-333333333333"
    await database_sync_to_async(make_agent)(agent_id=globex_agent, organization_id="globex")
    globex_alice = await ws(token=make_token({"sub": "alice", "org": "globex"}))
    await database_sync_to_async(say)((await globex_alice.create_session(globex_agent))["sessionId"], "globex secret")
    acme_alice = await ws(token=make_token({"sub": "alice", "org": "acme"}))
    assert (await conversations(acme_alice))["conversations"] == []


async def test_a_verified_visitor_sees_its_earlier_conversations(ws):
    await database_sync_to_async(make_policy)(allowed_origins=[SITE], key_scheme="ed25519", public_key=PUBLIC)
    earlier = await ws(origin=SITE)
    first = (await earlier.create_session(AGENT_ID, authContext=auth_context("carol")))["sessionId"]
    await database_sync_to_async(say)(first, "carol asked this yesterday", minutes_ago=60 * 24)
    stranger = await ws(origin=SITE)
    await database_sync_to_async(say)((await stranger.create_session(AGENT_ID, authContext=auth_context("dave")))["sessionId"], "dave's")

    later = await ws(origin=SITE)
    second = (await later.create_session(AGENT_ID, authContext=auth_context("carol")))["sessionId"]
    await database_sync_to_async(say)(second, "carol asks again today")
    titles = [item["title"] for item in (await conversations(later))["conversations"]]
    assert titles == ["carol asks again today", "carol asked this yesterday"]


async def test_a_session_its_socket_may_no_longer_use_drops_out_of_the_list(ws):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await database_sync_to_async(say)(session_id, "hello")
    await Session.objects.filter(session_id=session_id).aupdate(agent=None)  # refused from now on
    assert (await conversations(client))["conversations"] == []


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"limit": 0}, "limit must be an integer from 1 to 200"),
        ({"limit": "5"}, "limit must be an integer from 1 to 200"),
        ({"cursor": "not base64!"}, "cursor is not one this server issued"),
        ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor is not one this server issued"),
        ({"query": 7}, "query must be a string, not a number"),
    ],
)
async def test_bad_fields_are_refused(ws, fields, words):
    client = await ws()
    event = await client.request(listing(**fields))
    assert (event["error"]["code"], event["requestId"]) == ("VALIDATION_ERROR", "l") and words in event["error"]["message"]
    await client.assert_open()


async def test_a_large_limit_is_clamped_not_refused(ws):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await database_sync_to_async(say)(session_id, "hi")
    assert len((await conversations(client, limit=10_000))["conversations"]) == 1
    assert await Conversation.objects.acount() == 1
