"""Bad input gets VALIDATION_ERROR, the socket stays open, and nothing is written."""

import json

import pytest
from channels.db import database_sync_to_async

from tests.factories import AGENT_ID, NO_ROWS, row_counts

pytestmark = pytest.mark.django_db(transaction=True)

SESSION = "22222222-2222-2222-2222-222222222222"
CREATE = {"action": "create_conversation_session", "agentId": AGENT_ID}
GET = {"action": "get_session", "sessionId": SESSION}
SEND = {"action": "send_message", "requestId": "r", "sessionId": SESSION, "message": "hi"}

ONE_MIB_FRAME = '{"action": "ping", "pad": "' + "x" * (1024 * 1024 - 29) + '"}'
assert len(ONE_MIB_FRAME) == 1024 * 1024

RAW_FRAMES = [
    ("not JSON", "hello {", "frame is not valid JSON"),
    ("empty text", "", "frame is not valid JSON"),
    ("JSON array", "[1, 2]", "frame must be a JSON object, not an array"),
    ("JSON number", "42", "frame must be a JSON object, not a number"),
    ("JSON string", '"ping"', "frame must be a JSON object, not a string"),
    ("JSON null", "null", "frame must be a JSON object, not null"),
    ("binary", b'{"action": "ping"}', "binary frames are not supported: send one JSON object per text frame"),
    ("NaN", '{"action": "ping", "x": NaN}', "frame is not valid JSON"),
    # Valid JSON that overflows to infinity: no database stores it (it was an IntegrityError).
    (
        "1e400 in metadata",
        '{"action": "create_conversation_session", "agentId": "%s", "metadata": {"big": 1e400}}' % AGENT_ID,
        "frame holds a number too large to store (1e400)",
    ),
    ("-1e400", '{"action": "ping", "x": -1e400}', "frame holds a number too large to store (-1e400)"),
    (
        "NUL",
        '{"action": "create_conversation_session", "agentId": "%s", "userName": "a\\u0000b"}' % AGENT_ID,
        "frame contains a NUL character",
    ),
    ("lone surrogate", '{"action": "ping", "requestId": "\\ud800"}', "frame contains text that is not valid Unicode (a lone surrogate)"),
    ("deep nesting", '{"action": "ping", "x": ' + "[" * 100 + "]" * 100 + "}", "frame is nested more than 64 levels deep"),
    ("very deep nesting", "[" * 100_000 + "]" * 100_000, "frame is not valid JSON"),
    ("1 MiB frame", ONE_MIB_FRAME, f"frame too large: {len(ONE_MIB_FRAME)} bytes, the limit is 262144"),
    ("missing action", '{"requestId": "r-1"}', "action is required"),
    ("action not a string", '{"action": 7}', "action must be a string"),
    ("requestId not a string", '{"action": "ping", "requestId": 5}', "requestId must be a string, not a number"),
    ("requestId too long", json.dumps({"action": "ping", "requestId": "r" * 257}), "requestId must be at most 256 characters"),
    # The schema requires an answer's requestId: without one it is invalid, not "nothing pending".
    (
        "confirm_tool_action without requestId",
        json.dumps({"action": "confirm_tool_action", "sessionId": SESSION, "approved": True}),
        "confirm_tool_action needs a requestId: the requestId of the turn it answers",
    ),
    (
        "submit_interaction without requestId",
        json.dumps({"action": "submit_interaction", "sessionId": SESSION, "interactionId": "i-1", "values": {}}),
        "submit_interaction needs a requestId: the requestId of the turn it answers",
    ),
    ("cancel with a sessionId not a string", json.dumps({"action": "cancel", "sessionId": 7}), "sessionId must be a string, not a number"),
]


@pytest.mark.parametrize("frame, message", [case[1:] for case in RAW_FRAMES], ids=[case[0] for case in RAW_FRAMES])
async def test_bad_frames_get_validation_error_and_the_socket_stays_open(ws, frame, message):
    client = await ws()
    event = await client.request(frame)
    assert event["type"] == "error"
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert event["data"]["error"] == event["error"]
    await client.assert_open()
    assert await database_sync_to_async(row_counts)() == NO_ROWS


WRONG_TYPES = [
    (CREATE, "agentId", 1, "agentId must be a string, not a number"),
    (CREATE, "userName", ["Al"], "userName must be a string, not an array"),
    (CREATE, "userName", "A" * 256, "userName must be at most 255 characters, got 256"),
    (CREATE, "userEmail", True, "userEmail must be a string, not a boolean"),
    (CREATE, "browserFingerprint", {"a": 1}, "browserFingerprint must be a string, not an object"),
    (CREATE, "metadata", "plan=pro", "metadata must be an object, not a string"),
    (CREATE, "supports", "chips", "supports must be an array of strings"),
    (CREATE, "supports", [1], "supports must be an array of strings"),
    (CREATE, "authContext", "signed", "authContext must be an object, not a string"),
    (CREATE, "authContext", {"signature": "ab", "timestamp": 1}, "authContext.userId is required"),
    (CREATE, "authContext", {"userId": "", "signature": "ab", "timestamp": 1}, "authContext.userId must not be empty"),
    (CREATE, "authContext", {"userId": "u", "timestamp": 1}, "authContext.signature is required"),
    (CREATE, "authContext", {"userId": "u", "signature": 12, "timestamp": 1}, "authContext.signature must be a string, not a number"),
    (CREATE, "authContext", {"userId": "u", "signature": "ab"}, "authContext.timestamp is required"),
    (
        CREATE,
        "authContext",
        {"userId": "u", "signature": "ab", "timestamp": "1700000000"},
        "authContext.timestamp must be an integer (unix seconds)",
    ),
    (
        CREATE,
        "authContext",
        {"userId": "u", "signature": "ab", "timestamp": 1.5},
        "authContext.timestamp must be an integer (unix seconds)",
    ),
    (
        CREATE,
        "authContext",
        {"userId": "u", "signature": "ab", "timestamp": True},
        "authContext.timestamp must be an integer (unix seconds)",
    ),
    (GET, "sessionId", 12, "sessionId must be a string, not a number"),
    (GET, "sessionId", "not-a-uuid", "sessionId must be a UUID"),
    (GET, "sessionId", "{22222222-2222-2222-2222-222222222222}", "sessionId must be a UUID"),
    (GET, "sessionId", None, "sessionId is required"),
    (SEND, "sessionId", ["x"], "sessionId must be a string, not an array"),
    (SEND, "message", 3, "message must be a string, not a number"),
    (SEND, "stream", 1, "stream must be true or false, not a number"),
]


@pytest.mark.parametrize(
    "base, field, value, message",
    WRONG_TYPES,
    ids=[f"{base['action']}.{field}={json.dumps(value)[:20]}" for base, field, value, _ in WRONG_TYPES],
)
async def test_each_field_with_the_wrong_type_is_named_in_the_error(ws, base, field, value, message):
    client = await ws()
    frame = {**base, "requestId": "r-type", field: value}
    if value is None:
        del frame[field]
    event = await client.request(frame)
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert event["requestId"] == "r-type"
    await client.assert_open()
    assert await database_sync_to_async(row_counts)() == NO_ROWS


async def test_unknown_fields_are_ignored(ws):
    client = await ws()
    data = await client.create_session(AGENT_ID, futureField={"x": 1})
    assert data["agentId"] == AGENT_ID


async def test_an_unsupported_action_is_named_and_the_request_id_echoed(ws):
    client = await ws()
    for action in ["frobnicate_widget", "get_weather"]:
        event = await client.request({"action": action, "requestId": f"u-{action}"})
        assert event["error"] == {"code": "UNSUPPORTED_ACTION", "message": f"action {action!r} is not supported by this server"}
        assert event["requestId"] == f"u-{action}"
    await client.assert_open()
