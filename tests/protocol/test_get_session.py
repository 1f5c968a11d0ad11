import uuid

import pytest
from channels.db import database_sync_to_async

from chat.models import Session
from tests.factories import AGENT_ID, make_session
from tests.spec import validate_definition

pytestmark = pytest.mark.django_db(transaction=True)


async def test_get_session_answers_the_snapshot_read_from_the_database(ws):
    # Stored without any socket: only a database read can find it.
    session = await database_sync_to_async(make_session)()
    await Session.objects.filter(session_id=session.session_id).aupdate(status="idle")
    client = await ws()

    event = await client.request({"action": "get_session", "requestId": "g-1", "sessionId": str(session.session_id)})

    assert event["type"] == "immediate_response"
    assert (event["requestId"], event["status"]) == ("g-1", 200)
    validate_definition("actions/get-session.schema.json", "Response", event["data"])
    assert event["data"] == {
        "sessionId": str(session.session_id),
        "conversationId": str(session.conversation_id),
        "agentId": AGENT_ID,
        "agentName": "Smooth",
        "userParticipantId": str(session.user_participant_id),
        "agentParticipantId": str(session.agent_participant_id),
        "threadId": session.thread_id,
        "status": "idle",
    }


async def test_a_session_created_on_one_connection_is_found_on_another(ws):
    first, second = await ws(), await ws()
    created = await first.create_session(AGENT_ID)
    event = await second.request({"action": "get_session", "sessionId": created["sessionId"]})
    assert event["data"]["conversationId"] == created["conversationId"]


async def test_an_agentless_legacy_session_omits_agent_id_rather_than_inventing_one(ws):
    session = await database_sync_to_async(make_session)()
    await Session.objects.filter(session_id=session.session_id).aupdate(agent_id=None)
    client = await ws()
    event = await client.request({"action": "get_session", "sessionId": str(session.session_id)})
    assert "agentId" not in event["data"]


async def test_an_unknown_session_is_session_not_found(ws):
    client = await ws()
    unknown = str(uuid.uuid4())
    event = await client.request({"action": "get_session", "requestId": "g-2", "sessionId": unknown})
    assert event["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {unknown} not found"}
    assert event["requestId"] == "g-2"
    await client.assert_open()
