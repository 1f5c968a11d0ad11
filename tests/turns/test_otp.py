"""Visitor verification: a tool only a verified visitor may run is refused to the model,
a one-time code goes to the visitor's email (Django's locmem backend here), and
verify_otp checks it: a wrong code, the attempts running out, expiry, strays."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.core import mail
from django.utils import timezone

from chat.models import OtpChallenge, Session
from chat.otp import Delivery, Invalid, Verified
from chat.turns.tools import BaseTool
from chat.turns.verification import NO_WAY_TO_VERIFY, VERIFY_FIRST
from tests.factories import AGENT_ID, make_policy
from tests.helpers import send, until_terminal
from tests.protocol.test_session_binding import PUBLIC, SITE, auth_context

pytestmark = pytest.mark.django_db(transaction=True)
LOOKUP = {"kind": "toolCall", "name": "order_status", "arguments": '{"order": "A-17"}'}
LOOKED_UP: list[str] = []


class OrderStatus(BaseTool):
    name = "order_status"
    description = "Where one of the visitor's orders is."
    parameters = {"type": "object", "properties": {"order": {"type": "string"}}, "required": ["order"]}

    def call(self, arguments, context):
        LOOKED_UP.append(arguments["order"])
        return f"Order {arguments['order']} left the warehouse today."


order_status = OrderStatus()


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-otp"
    settings.SMOOTH_AGENT_TOOLS = [f"{__name__}.order_status"]
    settings.SMOOTH_AGENT_END_USER_TOOLS = ["order_*"]
    LOOKED_UP.clear()
    return fake_gateway


def verify(session_id, code, request_id="v-1"):
    return {"action": "verify_otp", "requestId": request_id, "sessionId": session_id, "code": code}


def code_in_mail() -> str:
    (message,) = mail.outbox
    return re.search(r"\b(\d{6})\b", message.body).group(1)


async def refused_turn(client, session_id, request_id="m-1") -> list[dict]:
    assert (await client.request(send(session_id, request_id, "where is order A-17?")))["status"] == 202
    return await until_terminal(client)


async def test_an_unverified_visitor_is_sent_a_code_and_the_tool_runs_once_verified(ws, gateway, caplog):
    caplog.set_level(logging.DEBUG)
    gateway.push(LOOKUP, {"kind": "text", "text": "I sent you a code."}, LOOKUP, {"kind": "text", "text": "It left today."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userEmail="alice@example.com"))["sessionId"]
    events = await refused_turn(client, session_id)
    kinds = [event["type"] for event in events]
    assert kinds[:4] == ["stream_chunk", "otp_verification_required", "otp_sent", "stream_chunk"]
    assert events[1]["requestId"] == "m-1" and events[1]["data"]["data"] == {
        "toolId": "order_status",
        "actionDescription": "Verify your identity so that the assistant can use order_status.",
        "availableChannels": ["email"],
        "authLevel": "end_user",
    }
    assert events[2]["data"]["data"] == {"channel": "email", "maskedDestination": "a***@example.com"}
    assert events[3]["data"]["state"]["rawResponse"]["toolResult"] == {"name": "order_status", "isError": True, "result": VERIFY_FIRST}
    assert events[-1]["type"] == "eventual_response" and LOOKED_UP == []
    assert gateway.requests[1]["messages"][-1]["content"] == VERIFY_FIRST

    code = code_in_mail()
    assert mail.outbox[0].to == ["alice@example.com"]
    wrong = "000000" if code != "000000" else "111111"
    invalid = await client.request(verify(session_id, wrong))
    assert (invalid["type"], invalid["requestId"], invalid["data"]["data"]) == (
        "otp_invalid",
        "v-1",
        {"error": "INVALID_CODE", "attemptsRemaining": 4, "message": "That code is not right."},
    )
    verified = await client.request(verify(session_id, f" {code} ", "v-2"))
    assert (verified["type"], verified["requestId"]) == ("otp_verified", "v-2")
    assert (await Session.objects.aget(session_id=session_id)).visitor_verified
    assert not await OtpChallenge.objects.aexists()  # a used code is gone

    again = await refused_turn(client, session_id, "m-2")
    assert "otp_verification_required" not in [event["type"] for event in again]
    assert LOOKED_UP == ["A-17"] and again[-1]["type"] == "eventual_response"
    assert len(mail.outbox) == 1

    stored = await OtpChallenge.objects.acount()
    for text in [json.dumps(event) for event in events + again] + [record.getMessage() for record in caplog.records]:
        assert not re.search(rf"(?<!\d){code}(?!\d)", text)  # the code reaches the visitor's mailbox and nowhere else
    assert stored == 0


async def test_the_attempts_run_out_and_then_even_the_right_code_is_refused(ws, gateway, settings):
    settings.SMOOTH_OTP_MAX_ATTEMPTS = 3
    gateway.push(LOOKUP, {"kind": "text", "text": "Code sent."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userEmail="bob@example.com"))["sessionId"]
    await refused_turn(client, session_id)
    code = code_in_mail()
    wrong = "123456" if code != "123456" else "654321"
    answers = [(await client.request(verify(session_id, wrong, f"v-{n}")))["data"]["data"] for n in range(3)]
    assert [(answer["error"], answer["attemptsRemaining"]) for answer in answers] == [
        ("INVALID_CODE", 2),
        ("INVALID_CODE", 1),
        ("MAX_ATTEMPTS", 0),
    ]
    locked = (await client.request(verify(session_id, code)))["data"]["data"]
    assert (locked["error"], locked["attemptsRemaining"]) == ("MAX_ATTEMPTS", 0)
    assert not (await Session.objects.aget(session_id=session_id)).visitor_verified


async def test_an_expired_code_is_refused(ws, gateway, settings):
    settings.SMOOTH_OTP_TTL_MINUTES = -1  # already past when sent
    gateway.push(LOOKUP, {"kind": "text", "text": "Code sent."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userEmail="carol@example.com"))["sessionId"]
    await refused_turn(client, session_id)
    expired = (await client.request(verify(session_id, code_in_mail())))["data"]["data"]
    assert (expired["error"], expired["attemptsRemaining"]) == ("EXPIRED", 0)


async def test_a_stray_or_foreign_verify_is_not_found_and_spends_no_attempt(ws, gateway):
    gateway.push(LOOKUP, {"kind": "text", "text": "Code sent."})
    owner = await ws(origin="https://shop.example")
    session_id = (await owner.create_session(AGENT_ID, userEmail="dan@example.com"))["sessionId"]
    stray = (await owner.request(verify(session_id, "123456")))["data"]["data"]
    assert (stray["error"], stray["attemptsRemaining"]) == ("NOT_FOUND", 0)
    await refused_turn(owner, session_id)
    thief = await ws(origin="https://evil.example")
    stolen = await thief.request(verify(session_id, code_in_mail()))
    assert (stolen["type"], stolen["data"]["data"]["error"]) == ("otp_invalid", "NOT_FOUND")
    assert (await OtpChallenge.objects.aget(session_id=session_id)).attempts == 0
    assert not (await Session.objects.aget(session_id=session_id)).visitor_verified


async def test_a_visitor_with_no_email_is_refused_without_an_offer(ws, gateway):
    gateway.push(LOOKUP, {"kind": "text", "text": "I cannot look that up."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    events = await refused_turn(client, session_id)
    assert [event["type"] for event in events if event["type"].startswith("otp_")] == []
    assert events[1]["data"]["state"]["rawResponse"]["toolResult"]["result"] == NO_WAY_TO_VERIFY
    assert mail.outbox == [] and LOOKED_UP == []


async def test_a_visitor_the_host_verified_needs_no_code(ws, gateway):
    await make_policy_async()
    gateway.push(LOOKUP, {"kind": "text", "text": "It left today."})
    client = await ws(origin=SITE)
    session_id = (await client.create_session(AGENT_ID, userEmail="erin@example.com", authContext=auth_context("erin")))["sessionId"]
    events = await refused_turn(client, session_id)
    assert "otp_verification_required" not in [event["type"] for event in events]
    assert LOOKED_UP == ["A-17"] and mail.outbox == []


async def make_policy_async():
    from channels.db import database_sync_to_async

    await database_sync_to_async(make_policy)(allowed_origins=[SITE], key_scheme="ed25519", public_key=PUBLIC)


SENT: list[tuple] = []


class TextMessageOtp:
    """A host's own service, plugged in by dotted path: it sends texts."""

    channels = ("sms",)

    def send_code(self, session_id, contact):
        SENT.append((str(session_id), contact.phone))
        return Delivery("sms", "***0143")

    def verify(self, session_id, code):
        return Verified("sms") if code == "4242" else Invalid("INVALID_CODE", 1, "no")


async def test_a_host_plugs_in_its_own_service(ws, gateway, settings):
    settings.SMOOTH_OTP_SERVICE = f"{__name__}.TextMessageOtp"
    settings.SMOOTH_PHONE_DEFAULT_REGION = "US"
    SENT.clear()
    gateway.push(LOOKUP, {"kind": "text", "text": "Texted you."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userEmail="fay@example.com"))["sessionId"]
    session = await Session.objects.select_related("user_participant").aget(session_id=session_id)
    participant = session.user_participant
    participant.phone = "+12025550143"
    await participant.asave()
    events = await refused_turn(client, session_id)
    offer = next(event for event in events if event["type"] == "otp_verification_required")
    assert offer["data"]["data"]["availableChannels"] == ["sms"]  # only what this service can send
    assert next(event for event in events if event["type"] == "otp_sent")["data"]["data"] == {
        "channel": "sms",
        "maskedDestination": "***0143",
    }
    assert [(session_id, "+12025550143")] == SENT and mail.outbox == []
    assert (await client.request(verify(session_id, "4242")))["type"] == "otp_verified"


@pytest.mark.parametrize(
    "frame, words",
    [
        ({"code": "123456"}, "verify_otp needs a requestId"),
        ({"requestId": "v", "code": 123456}, "code must be a string, not a number"),
        ({"requestId": "v", "code": "  "}, "code must not be empty"),
        ({"requestId": "v"}, "code is required"),
        ({"requestId": "v", "code": "1" * 33}, "code must be at most 32 characters"),
    ],
)
async def test_a_malformed_verify_is_a_validation_error(ws, gateway, frame, words):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    event = await client.request({"action": "verify_otp", "sessionId": session_id, **frame})
    assert event["error"]["code"] == "VALIDATION_ERROR" and words in event["error"]["message"]
    await client.assert_open()


async def test_a_contact_given_after_the_code_was_sent_or_used_is_not_vouched_for(ws, gateway, settings):
    """The attack: verify with one's own address, then name someone else's and look up their orders."""
    ask_email = {
        "kind": "toolCall",
        "name": "request_identity_intake",
        "arguments": json.dumps({"fields": [{"key": "email", "required": True}], "reason": "to look it up"}),
    }
    noted = {"kind": "text", "text": "Noted."}
    gateway.push(LOOKUP, {"kind": "text", "text": "Code sent."}, ask_email, noted, ask_email, noted)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userEmail="mallory@example.com", supports=["identity_form"]))["sessionId"]
    await refused_turn(client, session_id)
    code = code_in_mail()

    async def give_email(request_id, email):
        assert (await client.request(send(session_id, request_id, "my email changed")))["status"] == 202
        card = (await client.receive())["data"]["data"]
        await client.receive()  # the call's chunk
        frame = {"action": "submit_interaction", "requestId": "s", "sessionId": session_id, "interactionId": card["interactionId"]}
        assert (await client.request({**frame, "values": {"email": email}}))["status"] == 200
        await until_terminal(client)

    await give_email("m-2", "victim@example.com")  # a code on its way: another address given now voids it
    assert (await client.request(verify(session_id, code)))["data"]["data"]["error"] == "NOT_FOUND"

    await Session.objects.filter(session_id=session_id).aupdate(code_verified_channel="email", code_verified_at=timezone.now())
    await give_email("m-3", "other@example.com")  # verified, then another address: the verification is undone
    assert not (await Session.objects.aget(session_id=session_id)).visitor_verified


async def test_codes_to_one_address_are_capped_whichever_sessions_ask(ws, gateway, settings):
    """Anyone can name any address: a stranger must not be able to mail-bomb it with codes."""
    settings.SMOOTH_OTP_SENDS_PER_ADDRESS = "2/h"
    client = await ws()
    for index in range(3):
        gateway.push(LOOKUP, {"kind": "text", "text": "Code sent, maybe."})
        session_id = (await client.create_session(AGENT_ID, userEmail="Target@Example.com" if index else "target@example.com"))["sessionId"]
        events = await refused_turn(client, session_id, f"m-{index}")
        assert ("otp_sent" in [event["type"] for event in events]) == (index < 2)
    assert len(mail.outbox) == 2
