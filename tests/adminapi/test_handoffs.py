"""Handoffs over the admin API: the waiting list, take over, reply, hand back; curator and up,
the caller's organisation only, conflicts as 409, and a visitor's socket hearing each step."""

import json

import pytest
from channels.layers import get_channel_layer

from chat import backplane
from chat.models import Message
from handoff import services
from handoff.models import Handoff
from tests.adminapi.test_read_endpoints import token
from tests.factories import make_session

pytestmark = [pytest.mark.usefixtures("jwt_hs256"), pytest.mark.django_db(transaction=True)]


def call(client, method, path, body=None, role="curator", org="acme", sub="cora", name="Cora Curator"):
    return getattr(client, method)(
        f"/api/v1/{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(sub=sub, role=role, org=org, name=name)}",
    )


@pytest.fixture
def waiting():
    session = make_session(organization_id="acme", user_name="Dana")
    services.escalate(session, reason="the visitor asked for a person", source="phrase")
    return session


def test_a_curator_lists_takes_over_replies_and_hands_back(client, waiting):
    conversation = str(waiting.conversation_id)
    rows = call(client, "get", "handoffs").json()
    assert [(row["conversationId"], row["state"], row["visitor"]) for row in rows] == [(conversation, "waiting", "Dana")]
    taken = call(client, "post", f"conversations/{conversation}/take-over", {})
    assert taken.status_code == 200 and taken.json()["event"] == "joined"
    assert call(client, "get", "handoffs").json()[0]["holder"] == "Cora Curator"
    replied = call(client, "post", f"conversations/{conversation}/reply", {"text": "Hello Dana."})
    assert replied.status_code == 201
    stored = Message.objects.get(id=replied.json()["messageId"])
    assert (stored.text, stored.from_participant.type, stored.from_participant.name) == ("Hello Dana.", "human-agent", "Cora Curator")
    assert call(client, "post", f"conversations/{conversation}/hand-back").status_code == 200
    assert Handoff.objects.get().state == "returned" and call(client, "get", "handoffs").json() == []


def test_conflicts_are_409_and_nothing_changes(client, waiting):
    conversation = str(waiting.conversation_id)
    assert call(client, "post", f"conversations/{conversation}/reply", {"text": "hi"}).status_code == 409  # not held yet
    call(client, "post", f"conversations/{conversation}/take-over", {})
    other = call(client, "post", f"conversations/{conversation}/take-over", {}, sub="otto", name="Otto")
    assert other.status_code == 409 and "Cora Curator holds this conversation" in other.json()["message"]
    assert call(client, "post", f"conversations/{conversation}/take-over", {"takeFrom": True}, sub="otto", name="Otto").status_code == 200
    assert call(client, "post", f"conversations/{conversation}/hand-back").status_code == 409  # Cora no longer holds it
    assert Handoff.objects.get().holder_name == "Otto"


def test_another_organisations_conversation_is_404_and_basic_callers_403(client, waiting):
    conversation = str(waiting.conversation_id)
    for path in ("take-over", "reply", "hand-back"):
        answer = call(client, "post", f"conversations/{conversation}/{path}", {"text": "x"}, org="globex")
        assert answer.status_code == 404 and answer.json()["code"] == "NOT_FOUND"
    assert call(client, "get", "handoffs", org="globex").json() == []
    assert call(client, "get", "handoffs", role="basic").status_code == 403
    assert call(client, "post", f"conversations/{conversation}/take-over", {}, role="basic").status_code == 403
    assert Handoff.objects.get().state == "waiting"


def test_a_bad_reply_is_400(client, waiting):
    conversation = str(waiting.conversation_id)
    call(client, "post", f"conversations/{conversation}/take-over", {})
    for body in ({}, {"text": ""}, {"text": "x" * 10_001}, {"text": 7}):
        assert call(client, "post", f"conversations/{conversation}/reply", body).status_code == 400, body
    assert Message.objects.filter(from_participant__type="human-agent").count() == 1  # the joined notice only


def test_the_visitors_sockets_hear_the_reply_as_an_eventual_response(client, waiting):
    layer = get_channel_layer()

    async def listen():
        channel = await layer.new_channel()
        await layer.group_add(backplane.group_name("session", str(waiting.session_id)), channel)
        return channel

    from asgiref.sync import async_to_sync

    channel = async_to_sync(listen)()
    conversation = str(waiting.conversation_id)
    call(client, "post", f"conversations/{conversation}/take-over", {})
    call(client, "post", f"conversations/{conversation}/reply", {"text": "Hello Dana."})
    events = [async_to_sync(layer.receive)(channel)["event"] for _ in range(2)]
    response = events[1]["data"]["data"]["response"]
    assert events[1]["type"] == "eventual_response" and events[1]["requestId"].startswith("human-")
    assert response["responseParts"] == ["Hello Dana."] and response["operator"] == {"name": "Cora Curator", "step": "message"}
