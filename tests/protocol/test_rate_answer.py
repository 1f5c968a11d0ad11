"""smooth.rate_answer, Smooth's own action: a visitor rates an agent's answer 👍 or 👎 with
an optional comment. Only an answer of the session's own conversation can be rated, and
every other message id answers exactly as an unknown one does."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from prometheus_client import REGISTRY

from chat import services
from chat.models import Message, Session
from tests.factories import AGENT_ID, make_session

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://shop.example.com"
OTHER_AGENT = "22222222-2222-2222-2222-222222222222"
NOT_FOUND = {"code": "MESSAGE_NOT_FOUND", "message": "no answer with this messageId in this session"}


def exchange(session: Session, question: str, answer: str, request_id: str) -> tuple[Message, Message]:
    asked = services.record_user_message(session=session, text=question, request_id=request_id)
    answered = services.record_reply(session=session, text=answer, items=[], tokens=0, request_id=request_id, passages=1)
    return asked, answered


def ratings_counted(rating: str) -> float:
    return REGISTRY.get_sample_value("smooth_answer_feedback_total", {"agent": AGENT_ID, "rating": rating}) or 0.0


def feedback_of(message_id) -> tuple[str, str, bool]:
    message = Message.objects.get(id=message_id)
    return message.feedback, message.feedback_comment, message.feedback_at is not None


def all_feedback() -> list[tuple[str, str]]:
    return sorted(Message.objects.values_list("feedback", "feedback_comment"))


async def rate(client, session_id, message_id, request_id="f", **fields):
    frame = {"action": "smooth.rate_answer", "requestId": request_id, "sessionId": str(session_id), "messageId": str(message_id)}
    return await client.request({**frame, **fields})


@pytest.fixture
async def visitor(ws):
    """A socket with its own session, and one exchange in it."""
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    session = await Session.objects.aget(session_id=session_id)
    question, answer = await database_sync_to_async(exchange)(session, "How long is the return window?", "17 days.", "m-1")
    return client, session, question, answer


async def test_a_visitor_rates_an_answer_and_a_new_rating_replaces_the_earlier_one(visitor):
    client, session, _, answer = visitor
    ups, downs = ratings_counted("up"), ratings_counted("down")

    event = await rate(client, session.session_id, answer.id, rating="up")
    assert {key: value for key, value in event.items() if key != "timestamp"} == {
        "type": "immediate_response",
        "requestId": "f",
        "status": 200,
        "message": "Rating stored",
        "data": {"messageId": str(answer.id), "rating": "up"},
    }
    assert await database_sync_to_async(feedback_of)(answer.id) == ("up", "", True)

    event = await rate(client, session.session_id, answer.id, request_id="f2", rating="down")
    assert event["data"] == {"messageId": str(answer.id), "rating": "down"}
    # The comment follows the rating, as the page's box sends it: stored, not counted again.
    await rate(client, session.session_id, answer.id, request_id="f2c", rating="down", comment="  It is 30 days for sale items.  ")
    assert await database_sync_to_async(feedback_of)(answer.id) == ("down", "It is 30 days for sale items.", True)

    # The last rating counts whole: a new one without a comment drops the earlier comment.
    await rate(client, session.session_id, answer.id, request_id="f3", rating="up")
    assert await database_sync_to_async(feedback_of)(answer.id) == ("up", "", True)
    assert (ratings_counted("up") - ups, ratings_counted("down") - downs) == (2, 1)  # each rating given or changed to
    await client.assert_silent()


async def test_a_persons_answer_can_be_rated_too(visitor):
    """Outbound is what counts: an operator's message (handoff) is an answer of the conversation."""
    client, session, _, _ = visitor
    person = await Message.objects.acreate(
        conversation_id=session.conversation_id,
        session=session,
        organization_id=session.organization_id,
        direction=Message.Direction.OUTBOUND,
        content={"text": "I have checked your order."},
        metadata={"handoff": "message"},
    )
    event = await rate(client, session.session_id, person.id, rating="up")
    assert event["data"] == {"messageId": str(person.id), "rating": "up"}


async def test_any_message_but_an_answer_of_the_sessions_own_conversation_is_not_found(visitor, ws):
    client, session, question, answer = visitor
    # Another conversation of the same organisation and agent, and one of another organisation.
    neighbour = await database_sync_to_async(make_session)(user_name="Neighbour")
    _, neighbours_answer = await database_sync_to_async(exchange)(neighbour, "Shipping?", "3 days.", "n-1")
    stranger = await database_sync_to_async(make_session)(agent_id=OTHER_AGENT, organization_id="globex")
    _, strangers_answer = await database_sync_to_async(exchange)(stranger, "Returns?", "90 days.", "s-1")

    refused = {
        "another conversation's answer": neighbours_answer.id,
        "another organisation's answer": strangers_answer.id,
        "the visitor's own question": question.id,
        "an unknown id": uuid.uuid4(),
        "an id that is not a UUID": "not-a-message",
        "a blank id": "",
        "a UUID in braces": "{" + str(answer.id) + "}",
    }
    answers = []
    for name, message_id in refused.items():
        event = await rate(client, session.session_id, message_id, request_id="same", rating="down", comment="bad")
        assert event["type"] == "error", name
        answers.append({key: value for key, value in event.items() if key != "timestamp"})
    # One answer for all of them: a refusal reads exactly as "not found".
    assert answers == [{"type": "error", "requestId": "same", "error": NOT_FOUND, "data": {"error": NOT_FOUND, "requestId": "same"}}] * len(
        refused
    )
    assert await database_sync_to_async(all_feedback)() == [("", "")] * 6  # nothing rated anywhere
    await client.assert_open()


async def test_a_session_the_socket_may_not_use_is_not_found_and_nothing_is_rated(ws):
    session = await database_sync_to_async(make_session)(origin=SITE)
    _, answer = await database_sync_to_async(exchange)(session, "Returns?", "17 days.", "m-1")
    for intruder in (await ws(), await ws(origin="https://evil.example.com")):  # no origin, another origin
        event = await rate(intruder, session.session_id, answer.id, rating="down")
        assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session.session_id} not found"}
        await intruder.assert_open()
    unknown = uuid.uuid4()
    event = await rate(await ws(origin=SITE), unknown, answer.id, rating="down")
    assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {unknown} not found"}
    assert await database_sync_to_async(feedback_of)(answer.id) == ("", "", False)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rating": None}, "rating is required: up or down"),
        ({"rating": "meh"}, "rating must be up or down"),
        ({"rating": "UP"}, "rating must be up or down"),
        ({"rating": 1}, "rating must be a string, not a number"),
        ({"comment": 42}, "comment must be a string, not a number"),
        ({"comment": "x" * 2001}, "comment must be at most 2000 characters, got 2001"),
        ({"messageId": None}, "messageId is required"),
        ({"messageId": 7}, "messageId must be a string, not a number"),
        ({"sessionId": "s-1"}, "sessionId must be a UUID"),
        ({"requestId": None}, "smooth.rate_answer needs a requestId: its answer is correlated by it"),
    ],
    ids=lambda value: str(value)[:30],
)
async def test_a_bad_rating_frame_is_named_and_the_socket_goes_on(visitor, fields, message):
    client, session, _, answer = visitor
    frame = {"action": "smooth.rate_answer", "requestId": "bad", "sessionId": str(session.session_id), "messageId": str(answer.id)}
    frame = {**frame, "rating": "down", "comment": "wrong", **fields}
    frame = {key: value for key, value in frame.items() if value is not None}
    event = await client.request(frame)
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert await database_sync_to_async(feedback_of)(answer.id) == ("", "", False)
    await client.assert_open()


async def test_a_comment_of_the_longest_length_is_kept_whole(visitor):
    client, session, _, answer = visitor
    event = await rate(client, session.session_id, answer.id, rating="down", comment="y" * 2000)
    assert event["status"] == 200
    assert await database_sync_to_async(feedback_of)(answer.id) == ("down", "y" * 2000, True)


async def test_the_history_shows_the_visitors_rating_on_the_answer_it_was_given(visitor):
    """So that a page reloaded, or another tab, shows the answer as rated (the comment is not sent back)."""
    client, session, question, answer = visitor
    await rate(client, session.session_id, answer.id, rating="down", comment="Not what I asked.")
    page = await client.request({"action": "get_conversation_messages", "requestId": "h", "sessionId": str(session.session_id)})
    by_id = {message["id"]: message for message in page["data"]["messages"]}
    assert by_id[str(answer.id)]["content"] == {"text": "17 days.", "structuredResponse": {"feedback": "down"}}
    assert by_id[str(question.id)]["content"] == {"text": "How long is the return window?"}
