import uuid

import pytest
from channels.db import database_sync_to_async

from chat import services
from chat.models import Message
from tests.factories import make_session
from tests.spec import validate_definition

pytestmark = pytest.mark.django_db(transaction=True)


def _conversation(count: int):
    session = make_session()
    for index in range(count):
        if index % 2 == 0:
            services.record_user_message(session=session, text=f"q{index}", request_id=f"r{index}")
        else:
            services.record_reply(session=session, text=f"a{index}", items=[], tokens=0, request_id=f"r{index}")
    # Two messages sharing one timestamp: the cursor must neither drop nor repeat them.
    first, second = Message.objects.order_by("created_at")[:2]
    Message.objects.filter(id=second.id).update(created_at=first.created_at)
    return session


async def fetch(client, session_id, **fields):
    event = await client.request({"action": "get_conversation_messages", "requestId": "h", "sessionId": str(session_id), **fields})
    assert event["type"] == "immediate_response", event
    validate_definition("actions/get-messages.schema.json", "Response", event["data"])
    return event["data"]


async def test_pages_walk_the_whole_conversation_newest_first_without_gaps_or_repeats(ws):
    session = await database_sync_to_async(_conversation)(7)
    client = await ws()
    seen, cursor = [], None
    while True:
        page = await fetch(client, session.session_id, limit=3, **({"cursor": cursor} if cursor else {}))
        seen += page["messages"]
        assert (page["nextCursor"] is not None) == page["hasMore"]
        if not page["hasMore"]:
            break
        cursor = page["nextCursor"]
    assert len(seen) == 7 and len({m["id"] for m in seen}) == 7
    expected = await database_sync_to_async(
        lambda: [str(i) for i in Message.objects.order_by("-created_at", "-id").values_list("id", flat=True)]
    )()
    assert [m["id"] for m in seen] == expected


async def test_a_message_names_its_sender_and_recipient(ws):
    session = await database_sync_to_async(_conversation)(2)
    client = await ws()
    page = await fetch(client, session.session_id)
    reply = next(m for m in page["messages"] if m["direction"] == "outbound")
    assert reply["content"] == {"text": "a1"}
    assert reply["from"] == {"id": str(session.agent_participant_id), "type": "ai-agent", "name": "Smooth"}
    assert reply["to"]["type"] == "user"
    assert page["hasMore"] is False and page["nextCursor"] is None


@pytest.mark.parametrize("name", ["cursor", "before"])
async def test_before_pages_as_cursor_does(ws, name):
    """The PyPI client 1.66 pages with `before`; the spec names it `cursor`."""
    session = await database_sync_to_async(_conversation)(5)
    client = await ws()
    first = await fetch(client, session.session_id, limit=2)
    second = await fetch(client, session.session_id, limit=2, **{name: first["nextCursor"]})
    reference = await fetch(client, session.session_id, limit=2, cursor=first["nextCursor"])
    assert second == reference and {m["id"] for m in second["messages"]}.isdisjoint(m["id"] for m in first["messages"])


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"cursor": str(uuid.uuid4()), "before": str(uuid.uuid4())}, "cursor and before name the same position: send one of them"),
        ({"before": "page-2"}, "cursor is not one this server issued"),
        ({"limit": 0}, "limit must be an integer from 1 to 100"),
        ({"limit": 101}, "limit must be an integer from 1 to 100"),
        ({"limit": "5"}, "limit must be an integer from 1 to 100"),
        ({"limit": True}, "limit must be an integer from 1 to 100"),
        ({"cursor": "page-2"}, "cursor is not one this server issued"),
        ({"cursor": 5}, "cursor must be a string, not a number"),
        ({"cursor": str(uuid.uuid4())}, "cursor is not one this server issued for this session"),
    ],
)
async def test_bad_paging_fields_are_refused(ws, fields, words):
    session = await database_sync_to_async(_conversation)(2)
    client = await ws()
    event = await client.request({"action": "get_conversation_messages", "requestId": "h", "sessionId": str(session.session_id), **fields})
    assert event["error"]["code"] == "VALIDATION_ERROR" and words in event["error"]["message"]
    await client.assert_open()


async def test_a_cursor_from_another_conversation_is_refused(ws):
    mine = await database_sync_to_async(_conversation)(2)
    other = await database_sync_to_async(make_session)()
    foreign = await database_sync_to_async(services.record_user_message)(session=other, text="x", request_id="o")
    client = await ws()
    event = await client.request({"action": "get_conversation_messages", "sessionId": str(mine.session_id), "cursor": str(foreign.id)})
    assert event["error"]["code"] == "VALIDATION_ERROR"


async def test_an_unknown_session_is_session_not_found(ws):
    client = await ws()
    event = await client.request({"action": "get_conversation_messages", "requestId": "h", "sessionId": str(uuid.uuid4())})
    assert event["error"]["code"] == "SESSION_NOT_FOUND" and event["requestId"] == "h"
