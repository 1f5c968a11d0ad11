"""Rich Interactions over the socket: the card path (park, submit, resume), the
conversational path (the submit_interaction tool), and every way a submission is refused."""

from __future__ import annotations

import json

import pytest

from chat.models import ParkedTurn, Participant, Session
from tests.factories import AGENT_ID
from tests.helpers import send, text_of, until_terminal

pytestmark = pytest.mark.django_db(transaction=True)
ASK_EMAIL = {
    "kind": "toolCall",
    "name": "request_identity_intake",
    "arguments": json.dumps(
        {"fields": [{"key": "name", "required": False}, {"key": "email", "required": True}], "reason": "to send the quote"}
    ),
}


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-interactions"
    return fake_gateway


async def session_with(ws, supports, origin=None):
    client = await ws(origin=origin)
    session_id = (await client.create_session(AGENT_ID, supports=supports))["sessionId"]
    return client, session_id


async def parked_card(client, session_id) -> dict:
    assert (await client.request(send(session_id, "m-1", "send me a quote")))["status"] == 202
    card, call = await client.receive(), await client.receive()
    assert card["type"] == "interaction_required" and call["data"]["state"]["rawResponse"]["toolCall"]["name"] == "request_identity_intake"
    return card["data"]["data"]


def submit(session_id, interaction_id, request_id="s-1", **fields):
    return {"action": "submit_interaction", "requestId": request_id, "sessionId": session_id, "interactionId": interaction_id, **fields}


async def contact_of(session_id) -> tuple:
    session = await Session.objects.select_related("user_participant").aget(session_id=session_id)
    participant = session.user_participant
    return participant.name, participant.email, participant.phone


async def test_the_card_path_parks_validates_records_and_resumes(ws, gateway, settings):
    settings.SMOOTH_PHONE_DEFAULT_REGION = "US"
    gateway.push(ASK_EMAIL, {"kind": "text", "text": "Thanks, the quote is on its way."})
    client, session_id = await session_with(ws, ["identity_form"])
    card = await parked_card(client, session_id)
    assert (card["kind"], card["reason"]) == ("identity_intake", "to send the quote")
    assert card["spec"] == {"fields": [{"key": "name", "required": False}, {"key": "email", "required": True}]}

    invalid = await client.request(submit(session_id, card["interactionId"], values={"email": "nope", "phone": "12"}))
    assert invalid["type"] == "interaction_invalid" and invalid["requestId"] == "m-1"
    assert invalid["data"]["data"]["errors"] == [
        {"field": "email", "message": "must be a valid email address"},
        {"field": "phone", "message": "must be a valid phone number, with its country code (e.g. +15551234567)"},
    ]
    assert await ParkedTurn.objects.acount() == 1 and len(gateway.requests) == 1  # still parked, nothing asked of the model
    assert await contact_of(session_id) == ("Visitor", None, None)  # and nothing recorded

    values = {"name": "Alice", "email": "alice@Example.com", "phone": "(202) 555-0143"}
    ack = await client.request(submit(session_id, card["interactionId"], kind="identity_intake", values=values))
    assert (ack["type"], ack["status"], ack["requestId"], ack["data"]["status"]) == ("immediate_response", 200, "s-1", "submitted")
    events = await until_terminal(client)
    result = events[0]["data"]["state"]["rawResponse"]["toolResult"]
    canonical = {"name": "Alice", "email": "alice@example.com", "phone": "+12025550143"}
    assert result == {"name": "request_identity_intake", "isError": False, "result": {"status": "submitted", "values": canonical}}
    assert json.loads(gateway.requests[1]["messages"][-1]["content"]) == {"status": "submitted", "values": canonical}
    assert events[-1]["type"] == "eventual_response" and text_of(events) == "Thanks, the quote is on its way."
    assert await contact_of(session_id) == ("Alice", "alice@example.com", "+12025550143")


async def test_a_decline_resumes_with_a_declined_payload_and_records_nothing(ws, gateway):
    gateway.push(ASK_EMAIL, {"kind": "text", "text": "No problem."})
    client, session_id = await session_with(ws, ["identity_form"])
    card = await parked_card(client, session_id)
    ack = await client.request(submit(session_id, card["interactionId"], declined=True))
    assert ack["data"]["status"] == "declined"
    events = await until_terminal(client)
    assert events[0]["data"]["state"]["rawResponse"]["toolResult"]["result"]["status"] == "declined"
    assert events[-1]["type"] == "eventual_response" and await contact_of(session_id) == ("Visitor", None, None)


async def test_a_stale_id_a_wrong_kind_and_nothing_parked_are_refused_and_the_card_stays(ws, gateway):
    gateway.push(ASK_EMAIL, {"kind": "text", "text": "Got it."})
    client, session_id = await session_with(ws, ["identity_form"])
    nothing = await client.request(submit(session_id, "whatever", values={"email": "a@b.com"}))
    assert nothing["error"]["code"] == "NO_PENDING_INTERACTION"
    card = await parked_card(client, session_id)
    stale = await client.request(submit(session_id, "stale-id", values={"email": "a@b.com"}))
    wrong_kind = await client.request(submit(session_id, card["interactionId"], kind="choices", values={"answers": []}))
    for refused in (stale, wrong_kind):
        assert (refused["type"], refused["error"]["code"], refused["requestId"]) == ("error", "INTERACTION_MISMATCH", "s-1")
    assert await ParkedTurn.objects.acount() == 1
    confirm = await client.request({"action": "confirm_tool_action", "requestId": "c", "sessionId": session_id, "approved": True})
    assert confirm["error"]["code"] == "NO_PENDING_CONFIRMATION"  # a card is not a confirmation
    assert (await client.request(submit(session_id, card["interactionId"], values={"email": "a@b.com"})))["status"] == 200
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    again = await client.request(submit(session_id, card["interactionId"], values={"email": "a@b.com"}))
    assert again["error"]["code"] == "NO_PENDING_INTERACTION"


async def test_another_origin_holding_the_session_id_cannot_fill_the_card(ws, gateway):
    gateway.push(ASK_EMAIL)
    client, session_id = await session_with(ws, ["identity_form"], origin="https://shop.example")
    card = await parked_card(client, session_id)
    thief = await ws(origin="https://evil.example")
    refused = await thief.request(submit(session_id, card["interactionId"], values={"email": "thief@evil.example"}))
    assert refused["error"] == {"code": "NO_PENDING_INTERACTION", "message": "nothing in this session is waiting for an interaction"}
    assert await ParkedTurn.objects.acount() == 1 and await contact_of(session_id) == ("Visitor", None, None)


async def test_without_the_capability_the_ask_is_conversational_and_the_tool_validates(ws, gateway):
    submit_call = {
        "kind": "toolCall",
        "name": "submit_interaction",
        "arguments": json.dumps({"kind": "identity_intake", "values": {"email": "bad@"}}),
    }
    fixed_call = {
        "kind": "toolCall",
        "name": "submit_interaction",
        "arguments": json.dumps({"kind": "identity_intake", "values": {"email": "bo@b.com"}}),
    }
    gateway.push(ASK_EMAIL, submit_call, fixed_call, {"kind": "text", "text": "Thanks Bo."})
    client, session_id = await session_with(ws, ["choice_chips"])  # a client with chips but no form
    assert (await client.request(send(session_id, "m-1", "send me a quote")))["status"] == 202
    events = await until_terminal(client)
    assert "interaction_required" not in [event["type"] for event in events]
    results = [
        event["data"]["state"]["rawResponse"]["toolResult"]
        for event in events
        if "toolResult" in event["data"].get("state", {}).get("rawResponse", {})
    ]
    assert results[0]["result"]["mode"] == "conversational" and results[0]["isError"] is False
    assert results[1]["isError"] is True and "email: must be a valid email address" in results[1]["result"]
    assert results[2] == {
        "name": "submit_interaction",
        "isError": False,
        "result": {"status": "submitted", "values": {"email": "bo@b.com"}},
    }
    assert events[-1]["type"] == "eventual_response" and await contact_of(session_id) == ("Visitor", "bo@b.com", None)
    offered = [tool["function"]["name"] for tool in gateway.requests[0]["tools"]]
    assert {"request_identity_intake", "request_choices", "submit_interaction"} <= set(offered)


async def test_a_client_that_shows_every_card_is_not_offered_the_conversational_submit(ws, gateway):
    gateway.push({"kind": "text", "text": "Hello."})
    client, session_id = await session_with(ws, ["identity_form", "choice_chips"])
    await client.request(send(session_id, "m-1"))
    await until_terminal(client)
    assert "submit_interaction" not in [tool["function"]["name"] for tool in gateway.requests[0]["tools"]]


async def test_choice_chips_park_and_resume_with_the_validated_answers(ws, gateway):
    ask = {
        "kind": "toolCall",
        "name": "request_choices",
        "arguments": json.dumps(
            {
                "questions": [{"question": "Which plan?", "header": "Plan", "options": [{"label": "Starter"}, {"label": "Pro"}]}],
                "reason": "to quote",
            }
        ),
    }
    gateway.push(ask, {"kind": "text", "text": "Pro it is."})
    client, session_id = await session_with(ws, ["choice_chips"])
    assert (await client.request(send(session_id, "m-1", "a quote please")))["status"] == 202
    card = (await client.receive())["data"]["data"]
    await client.receive()
    assert card["spec"]["questions"][0]["options"] == [{"label": "Starter"}, {"label": "Pro"}]
    bad = await client.request(submit(session_id, card["interactionId"], values={"answers": [{"header": "Plan", "options": ["Gold"]}]}))
    assert bad["data"]["data"]["errors"] == [{"field": "Plan", "message": "'Gold' is not one of the options"}]
    ok = await client.request(submit(session_id, card["interactionId"], values={"answers": [{"header": "Plan", "options": ["Pro"]}]}))
    assert ok["status"] == 200
    events = await until_terminal(client)
    assert events[0]["data"]["state"]["rawResponse"]["toolResult"]["result"] == {
        "status": "submitted",
        "values": {"answers": [{"header": "Plan", "options": ["Pro"]}]},
    }


async def test_a_re_attached_socket_keeps_the_sessions_capabilities(ws, gateway):
    gateway.push(ASK_EMAIL, {"kind": "text", "text": "Done."})
    first, session_id = await session_with(ws, ["identity_form"])
    await first.communicator.disconnect()
    again = await ws()
    assert (await again.request({"action": "get_session", "sessionId": session_id}))["type"] == "immediate_response"
    assert (await again.request(send(session_id, "m-1", "send me a quote")))["status"] == 202
    assert (await again.receive())["type"] == "interaction_required"  # the card, not the fallback


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"interactionId": "i"}, "values is required unless declined is true"),
        ({"interactionId": "i", "values": "a@b.com"}, "values must be an object, not a string"),
        ({"values": {}}, "interactionId is required"),
        ({"interactionId": "i", "declined": "yes"}, "declined must be true or false, not a string"),
        ({"interactionId": "i" * 129, "declined": True}, "interactionId must be at most 128 characters, got 129"),
    ],
)
async def test_a_malformed_submission_is_a_validation_error(ws, gateway, fields, words):
    client, session_id = await session_with(ws, ["identity_form"])
    event = await client.request({"action": "submit_interaction", "requestId": "s", "sessionId": session_id, **fields})
    assert (event["error"]["code"], event["error"]["message"]) == ("VALIDATION_ERROR", words)
    await client.assert_open()
    assert not await Participant.objects.filter(email__isnull=False).aexists()
