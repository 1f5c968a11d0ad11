"""Escalation to a person in one process: the visitor's own words (offline too, and past a
spent budget) and the escalate_to_human tool end the turn with needsEscalation and a
reason; the conversation waits for a person; the organisation's inbox group hears of it
at once, and email and a signed webhook follow in the background, with retries."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core import mail
from jsonschema import ValidationError

from agents.models import Agent
from chat.models import Message
from handoff import notify, phrases
from handoff.consumers import same_site
from handoff.models import Handoff
from tests.factories import AGENT_ID, make_agent
from tests.helpers import send, until_terminal
from tests.httpserver import Reply
from tests.spec import validate_inbox_event, validate_inbox_frame

pytestmark = pytest.mark.django_db(transaction=True)
ESCALATE = {"kind": "toolCall", "name": "escalate_to_human", "arguments": '{"reason": "a refund the agent cannot grant"}'}


@pytest.mark.parametrize(
    "message",
    ["Can I talk to a human?", "agent please", "I want to SPEAK TO A REAL PERSON!!", "live agent", "human, please"],
)
def test_words_that_ask_for_a_person(message):
    assert phrases.asks_for_a_person(message)


@pytest.mark.parametrize(
    "message",
    ["Is your packaging humane?", "What does a travel agent charge?", "", "talk to a human " + "and more " * 40],
)
def test_words_that_do_not(message):
    assert not phrases.asks_for_a_person(message)


def test_an_operator_adds_phrases_or_replaces_the_list(settings):
    settings.SMOOTH_ESCALATION_PHRASES = ["menschlich bitte"]
    assert phrases.asks_for_a_person("Menschlich, bitte.") and phrases.asks_for_a_person("agent please")
    settings.SMOOTH_ESCALATION_PHRASES_REPLACE = True
    assert phrases.asks_for_a_person("menschlich bitte") and not phrases.asks_for_a_person("agent please")


async def inbox_listener(organization_id="default") -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(notify.inbox_group(organization_id), channel)
    return channel


async def heard(channel, kind="escalation") -> dict:
    """The next inbox event of `kind` (each visitor message comes first: the inbox lists it)."""
    while True:
        message = await get_channel_layer().receive(channel)
        assert message["type"] == notify.MESSAGE_TYPE
        validate_inbox_event(message["event"])
        if message["event"]["type"] == kind:
            return message["event"]


def escalated(event: dict) -> dict:
    assert event["type"] == "eventual_response", event
    data = event["data"]["data"]
    assert data["needsEscalation"] is True and data["response"]["resolutionStatus"] == "requires_escalation"
    return data


async def test_the_visitors_words_escalate_offline_with_no_model(ws, settings):
    settings.SMOOTH_AGENT_LLM = "offline"
    listener = await inbox_listener()
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userName="Dana"))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "Can I talk to a human?")))["status"] == 202
    events = await until_terminal(client)
    data = escalated(events[-1])
    assert data["escalationReason"] == "the visitor asked for a person"
    assert "".join(event["token"] for event in events if event["type"] == "stream_token") == settings.SMOOTH_ESCALATION_REPLY
    assert data["response"]["responseParts"] == [settings.SMOOTH_ESCALATION_REPLY]
    waiting = await database_sync_to_async(Handoff.objects.get)()
    assert (waiting.state, waiting.source, str(waiting.session_id)) == ("waiting", "phrase", session_id)
    reply = await Message.objects.aget(direction="outbound")
    assert "passages" not in reply.metadata  # no search was made: not a question the knowledge found nothing for
    said = await heard(listener, "visitor_message")
    assert (said["text"], said["sessionId"], said["heldBy"]) == ("Can I talk to a human?", session_id, None)
    notice = await heard(listener)
    assert notice["type"] == "escalation" and notice["sessionId"] == session_id and notice["visitor"] == "Dana"
    assert notice["lastMessage"] == "Can I talk to a human?" and notice["reason"] == "the visitor asked for a person"


async def test_a_visitor_past_their_budget_can_still_ask_for_a_person(ws, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-handoff"
    settings.SMOOTH_BUDGET_PER_SESSION = "15 tokens"
    fake_gateway.push({"kind": "text", "text": "Thirty days."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "return window?")))["status"] == 202
    await until_terminal(client)
    assert (await client.request(send(session_id, "m-2", "agent please")))["status"] == 202
    escalated((await until_terminal(client))[-1])
    assert len(fake_gateway.requests) == 1  # the model was not asked


async def test_the_model_escalates_with_the_tool_and_its_reason(ws, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-handoff"
    fake_gateway.push(ESCALATE, {"kind": "text", "text": "I have asked a colleague to help you with this refund."})
    listener = await inbox_listener()
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "I need my money back for order 7")))["status"] == 202
    events = await until_terminal(client)
    data = escalated(events[-1])
    assert data["escalationReason"] == "a refund the agent cannot grant"
    assert data["response"]["responseParts"] == ["I have asked a colleague to help you with this refund."]
    result = next(event for event in events if event["type"] == "stream_chunk" and "toolResult" in event["data"]["state"]["rawResponse"])
    assert result["data"]["state"]["rawResponse"]["toolResult"]["result"] == {
        "escalated": True,
        "reason": "a refund the agent cannot grant",
    }
    assert (await heard(listener))["source"] == "tool"
    offered = [tool["function"]["name"] for tool in fake_gateway.requests[0]["tools"]]
    assert "escalate_to_human" in offered


async def test_an_agent_without_the_tool_is_not_offered_it(ws, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-handoff"
    await database_sync_to_async(make_agent)(tools=["knowledge_search"])
    fake_gateway.push({"kind": "text", "text": "Thirty days."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "return window?")))["status"] == 202
    final = (await until_terminal(client))[-1]
    assert final["data"]["data"]["needsEscalation"] is False and "escalationReason" not in final["data"]["data"]
    assert [tool["function"]["name"] for tool in fake_gateway.requests[0]["tools"]] == ["knowledge_search"]


async def test_asking_again_keeps_the_place_in_the_queue(ws, settings):
    settings.SMOOTH_AGENT_LLM = "offline"
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for request_id in ("m-1", "m-2"):
        assert (await client.request(send(session_id, request_id, "human please")))["status"] == 202
        await until_terminal(client)
        if request_id == "m-1":
            first = (await database_sync_to_async(Handoff.objects.get)()).requested_at
    assert (await database_sync_to_async(Handoff.objects.get)()).requested_at == first
    assert await database_sync_to_async(Handoff.objects.count)() == 1


async def test_operators_are_emailed_and_a_signed_webhook_is_retried_until_it_lands(ws, settings, http_server):
    settings.SMOOTH_AGENT_LLM = "offline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMOOTH_ESCALATION_EMAIL = ["support@shop.example", "lead@shop.example"]
    settings.SMOOTH_ESCALATION_WEBHOOK_URL = f"{http_server.url}/hooks/smooth"
    settings.SMOOTH_ESCALATION_WEBHOOK_SECRET = "whsec-test-secret"
    settings.SMOOTH_ESCALATION_RETRY_SECONDS = 0
    answers = iter([Reply(500, "down"), Reply(200, "ok")])
    http_server.routes["/hooks/smooth"] = lambda request: next(answers)
    await database_sync_to_async(make_agent)(name="Shop helper")
    client = await ws()
    session_id = (await client.create_session(AGENT_ID, userName="Dana"))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "talk to a person")))["status"] == 202
    escalated((await until_terminal(client))[-1])  # the turn did not wait for either
    await notify.drain()
    [email] = mail.outbox
    assert email.to == ["support@shop.example", "lead@shop.example"] and "Shop helper" in email.subject
    assert "Dana is waiting" in email.body and "talk to a person" in email.body
    first, second = http_server.requests  # a 500, then retried
    body = second.body
    assert json.loads(body)["sessionId"] == session_id and first.body == body
    timestamp = second.headers["x-smooth-timestamp"]
    assert second.headers["x-smooth-signature"] == notify.signature("whsec-test-secret", timestamp, body)
    assert "whsec-test-secret" not in body.decode()


async def test_a_webhook_that_refuses_is_not_retried_and_one_that_stays_down_is_given_up(settings, http_server, caplog):
    settings.SMOOTH_ESCALATION_RETRY_SECONDS = 0
    settings.SMOOTH_ESCALATION_WEBHOOK_URL = f"{http_server.url}/hook"
    settings.SMOOTH_ESCALATION_WEBHOOK_SECRET = "whsec-never-logged"
    event = {"type": "escalation", "organizationId": "default", "conversationId": "c", "agentName": "a"}
    http_server.routes["/hook"] = Reply(403, "no")
    await notify.announce(event)
    await notify.drain()
    assert len(http_server.requests) == 1
    http_server.routes["/hook"] = Reply(503, "down")
    await notify.announce(event)
    await notify.drain()
    assert len(http_server.requests) == 1 + settings.SMOOTH_ESCALATION_ATTEMPTS
    assert "not delivered after 3 attempts: HTTP 503" in caplog.text and "whsec-never-logged" not in caplog.text


async def test_the_admin_lists_waiting_conversations(ws, settings, client, django_user_model):
    settings.SMOOTH_AGENT_LLM = "offline"
    socket = await ws()
    session_id = (await socket.create_session(AGENT_ID))["sessionId"]
    assert (await socket.request(send(session_id, "m-1", "human please")))["status"] == 202
    await until_terminal(socket)

    def page():
        admin = django_user_model.objects.create_superuser("root", password="pw")
        client.force_login(admin)
        return client.get("/admin/handoff/handoff/").content.decode()

    assert "the visitor asked for a person" in await database_sync_to_async(page)()
    assert await database_sync_to_async(Agent.objects.count)() == 1


def handshake(origin: str, host: str = "support.example:8000", scheme: str = "ws", peer: str = "203.0.113.9", proto: str | None = None):
    headers = [(b"origin", origin.encode()), (b"host", host.encode())]
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto.encode()))
    return {"scheme": scheme, "client": [peer, 50000], "headers": headers}


@pytest.mark.parametrize(
    "scope, allowed",
    [
        (handshake("http://support.example:8000"), True),
        (handshake("https://support.example:8000", scheme="wss"), True),
        (handshake("HTTP://Support.Example:8000/"), True),
        # The same host and port, another scheme: another site (an http page can be anyone's on the path).
        (handshake("https://support.example:8000"), False),
        (handshake("http://support.example:8000", scheme="wss"), False),
        (handshake("http://support.example:8001"), False),
        (handshake("http://evil.example"), False),
        (handshake(""), False),
        # Behind a trusted proxy that ended TLS, its X-Forwarded-Proto says the page was https...
        (handshake("https://support.example:8000", peer="10.0.0.2", proto="https"), True),
        (handshake("http://support.example:8000", peer="10.0.0.2", proto="https"), False),
        # ...and anyone else's is their own claim.
        (handshake("https://support.example:8000", proto="https"), False),
    ],
)
def test_the_inbox_opens_only_from_this_servers_own_pages_scheme_included(settings, scope, allowed):
    settings.SMOOTH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert same_site(scope) is allowed


def test_the_inbox_schema_is_closed_and_every_frame_kind_fits_it():
    from handoff import inbox_protocol as wire

    row = wire.conversation_row(
        conversation_id=AGENT_ID, session_id=AGENT_ID, organization_id="o", visitor="V", agent="A", last_message="hi", last_at=None,
        state="waiting", holder=None, reason="wants a person", since="2026-12-03T10:00:00+00:00", active_at="2026-12-03T10:00:00+00:00",
    )  # fmt: skip
    step = wire.operator_step(
        step="joined", conversation_id=AGENT_ID, author="Sam", text="Hi", previous_holder=None, at="2026-12-03T10:00:00Z"
    )
    frames = [
        wire.conversations([row]),
        wire.opened(AGENT_ID, [], wire.handoff_state(state=None, holder=None, holder_user_id=None, reason=None)),
        wire.done("reply", AGENT_ID, AGENT_ID),
        wire.inbox(step),
        wire.error(wire.InboxErrorCode.NOT_FOUND, "no such conversation"),
    ]
    for frame in frames:
        validate_inbox_frame(frame)
    for bad in ({**frames[2], "extra": 1}, {**frames[4], "code": "TEAPOT"}, wire.inbox({**step, "type": "waved"})):
        with pytest.raises(ValidationError):
            validate_inbox_frame(bad)
