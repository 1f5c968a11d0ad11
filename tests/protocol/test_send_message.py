import uuid

import pytest

from chat.models import Message
from tests.factories import AGENT_ID

pytestmark = pytest.mark.django_db(transaction=True)


async def _session(client) -> str:
    return (await client.create_session(AGENT_ID))["sessionId"]


async def test_without_a_gateway_key_a_turn_is_llm_unavailable_naming_the_variable(ws):
    client = await ws()
    session_id = await _session(client)
    event = await client.request({"action": "send_message", "requestId": "m-1", "sessionId": session_id, "message": "hi"})
    assert event["type"] == "error"
    assert event["requestId"] == "m-1"
    assert event["error"]["code"] == "LLM_UNAVAILABLE"
    assert "SMOOAI_GATEWAY_KEY" in event["error"]["message"]
    await client.assert_silent()  # exactly one terminal event, no 202 before it
    assert await Message.objects.acount() == 0


async def test_a_message_of_exactly_ten_thousand_characters_passes_validation(ws):
    client = await ws()
    session_id = await _session(client)
    event = await client.request({"action": "send_message", "requestId": "m-max", "sessionId": session_id, "message": "x" * 10_000})
    assert event["error"]["code"] == "LLM_UNAVAILABLE"


async def test_an_unknown_session_is_session_not_found(ws):
    client = await ws()
    event = await client.request(
        {"action": "send_message", "requestId": "m-2", "sessionId": "00000000-0000-0000-0000-000000000000", "message": "anyone?"}
    )
    assert event["error"]["code"] == "SESSION_NOT_FOUND"
    assert event["requestId"] == "m-2"


@pytest.mark.parametrize(
    "fields, code, message",
    [
        ({"requestId": None}, "VALIDATION_ERROR", "send_message needs a requestId: every event of the turn is correlated by it"),
        ({"message": ""}, "VALIDATION_ERROR", "message must not be empty"),
        ({"message": "   \n"}, "VALIDATION_ERROR", "message must not be empty"),
        ({"message": "x" * 10_001}, "VALIDATION_ERROR", "message must be at most 10000 characters, got 10001"),
        ({"message": None}, "VALIDATION_ERROR", "message is required"),
        ({"message": ["hi"]}, "VALIDATION_ERROR", "message must be a string, not an array"),
        ({"stream": "yes"}, "VALIDATION_ERROR", "stream must be true or false, not a string"),
        ({"sessionId": "session-1"}, "VALIDATION_ERROR", "sessionId must be a UUID"),
        ({"model": 5}, "VALIDATION_ERROR", "model must be a string, not a number"),
        ({"skill": "code-review"}, "SKILL_NOT_FOUND", "skill 'code-review' is not available on this server"),
        ({"skill": "bad skill!"}, "VALIDATION_ERROR", "skill must be 1 to 128 letters, digits, '_' or '-'"),
    ],
)
async def test_bad_send_message_fields_are_refused_and_nothing_is_stored(ws, fields, code, message):
    client = await ws()
    session_id = await _session(client)
    frame = {"action": "send_message", "requestId": "m-bad", "sessionId": session_id, "message": "hello", **fields}
    frame = {key: value for key, value in frame.items() if value is not None}
    event = await client.request(frame)
    assert event["error"] == {"code": code, "message": message}
    assert event.get("requestId") == frame.get("requestId")
    assert await Message.objects.acount() == 0
    await client.assert_open()


async def test_send_message_attaches_the_connection_to_the_session(ws):
    """A reconnecting client that goes straight to send_message still gets the session's events."""
    from chat.backplane import publish

    first, second = await ws(), await ws()
    session_id = await _session(first)
    await second.request({"action": "send_message", "requestId": "m-3", "sessionId": session_id, "message": "hi"})
    await publish("session", session_id, {"type": "stream_chunk", "note": str(uuid.uuid4())})
    assert (await second.communicator.receive_json_from())["type"] == "stream_chunk"
