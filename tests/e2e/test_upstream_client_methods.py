"""Every public method of the PyPI client (smooai-smooth-operator 1.66.0), unchanged,
against a real `manage.py serve` whose model is the fake gateway: the turn verbs
(send_message awaited and iterated, both cancels), the reads (get_session,
get_messages paged with `before`, list_conversations paged and searched, ping), and
the answers a parked or refused turn waits for (confirm_tool_action approved and
denied, submit_interaction with values, invalid values and a decline, verify_otp
wrong and right, the code read from the mail Smooth sent)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import pytest
from smooth_operator import SmoothAgentClient

from tests.e2e.live import WireClient, start_server_with_tools
from tests.fakegateway import FakeGateway
from tests.turns.scenario_tools import DELETE, ORDER

pytestmark = pytest.mark.live
AGENT = str(uuid.uuid4())


@pytest.fixture(scope="module")
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def server(gateway, tmp_path_factory):
    live = start_server_with_tools(tmp_path_factory.mktemp("client-methods"), gateway.url)
    yield live
    live.stop()


@pytest.fixture
async def client(server):
    upstream = SmoothAgentClient(server.ws_url, request_timeout=10, turn_timeout=30)
    await upstream.connect()
    yield upstream
    await upstream.disconnect()


async def events_of(turn) -> list:
    return [event async for event in turn]


def text_of(final) -> str:
    return final.data.data.response["responseParts"][0]


async def test_reads_turns_and_cancels(client, server, gateway):
    assert await client.ping() > 0
    created = await client.create_conversation_session(
        agent_id=AGENT, user_name="Ada", user_email="ada@example.com", metadata={"page": "/"}
    )
    session_id = str(created.session_id)

    gateway.push({"kind": "text", "text": "First answer."})
    final = await client.send_message(session_id=session_id, message="first question")
    assert (final.type, text_of(final)) == ("eventual_response", "First answer.")

    gateway.push({"kind": "slow", "text": "Second answer, streamed.", "delay": 0.01})
    streamed = await events_of(client.send_message(session_id=session_id, message="second question"))
    assert "".join(event.token for event in streamed if event.type == "stream_token") == "Second answer, streamed."
    assert streamed[-1].type == "eventual_response"

    found = await client.get_session(session_id=session_id)
    assert (str(found.session_id), found.agent_name) == (session_id, "Smooth")
    newest = await client.get_messages(session_id=session_id, limit=2)
    older = await client.get_messages(session_id=session_id, limit=2, before=newest.next_cursor)
    texts = [message.content.text for message in newest.messages + older.messages]
    assert texts == ["Second answer, streamed.", "second question", "First answer.", "first question"]
    assert (newest.has_more, older.has_more) == (True, False)

    for stop in ("the turn's own cancel", "the client's cancel", "the client's cancel without a session"):
        gateway.push({"kind": "slow", "text": "a long reply that is stopped half way " * 5, "delay": 0.05})
        turn = client.send_message(session_id=session_id, message="tell me a long story")
        await asyncio.sleep(0.3)
        if stop == "the turn's own cancel":
            turn.cancel()
        elif stop == "the client's cancel":
            client.cancel(request_id=turn.request_id, session_id=session_id)
        else:
            client.cancel(request_id=turn.request_id)
        ended = await turn.result()
        assert (ended.type, turn.cancelled) == ("cancelled", True), stop

    second = await client.create_conversation_session(agent_id=AGENT, user_name="Ada")
    gateway.push({"kind": "text", "text": "About refunds."})
    await client.send_message(session_id=str(second.session_id), message="a question about refunds")
    page = await client.list_conversations(limit=1)
    rest = await client.list_conversations(limit=1, cursor=page.next_cursor)
    assert [item.title for item in page.conversations + rest.conversations] == ["a question about refunds", "first question"]
    assert (page.has_more, rest.has_more) == (True, False)
    searched = await client.list_conversations(query="REFUND")
    assert [item.title for item in searched.conversations] == ["a question about refunds"]


async def test_confirmations_approved_and_denied(client, gateway):
    session_id = str((await client.create_conversation_session(agent_id=AGENT)).session_id)
    for approved, reply in ((True, "Deleted record 42."), (False, "I left record 42 alone.")):
        gateway.push(DELETE, {"kind": "text", "text": reply})
        turn = client.send_message(session_id=session_id, message="delete record 42")
        seen = []
        async for event in turn:
            seen.append(event)
            if event.type == "write_confirmation_required":
                assert event.data.data.tool_id == "delete_record"
                client.confirm_tool_action(session_id=session_id, request_id=turn.request_id, approved=approved)
        chunks = [event.data.state.raw_response for event in seen if event.type == "stream_chunk"]
        results = [chunk["toolResult"] for chunk in chunks if "toolResult" in chunk]
        assert [result["isError"] for result in results] == [not approved]
        assert text_of(await turn.result()) == reply


async def test_interactions_on_a_card_and_in_conversation(client, server, gateway):
    # The client has no `supports`: a session made by a browser that shows cards, re-attached by it.
    browser = await WireClient.connect(server)
    created = await browser.request(
        {"action": "create_conversation_session", "agentId": AGENT, "supports": ["identity_form", "choice_chips"]}
    )
    await browser.close()
    session_id = created["data"]["sessionId"]
    await client.get_session(session_id=session_id)

    ask = {
        "kind": "toolCall",
        "name": "request_identity_intake",
        "arguments": json.dumps({"fields": [{"key": "email", "required": True}], "reason": "to send it"}),
    }
    gateway.push(ask, {"kind": "text", "text": "Sent to you."})
    turn = client.send_message(session_id=session_id, message="email me the quote")
    seen = []
    async for event in turn:
        seen.append(event.type)
        if event.type == "interaction_required":
            card = event.data.data
            client.submit_interaction(
                session_id=session_id, request_id=turn.request_id, interaction_id=card.interaction_id, values={"email": "nope"}
            )
        elif event.type == "interaction_invalid":
            assert event.data.data.errors[0].field == "email"
            client.submit_interaction(
                session_id=session_id,
                request_id=turn.request_id,
                interaction_id=card.interaction_id,
                kind="identity_intake",
                values={"email": "ada@example.com"},
            )
    assert "interaction_invalid" in seen and text_of(await turn.result()) == "Sent to you."

    choose = {
        "kind": "toolCall",
        "name": "request_choices",
        "arguments": json.dumps(
            {"questions": [{"question": "Which?", "header": "Plan", "options": [{"label": "A"}, {"label": "B"}]}], "reason": "r"}
        ),
    }
    gateway.push(choose, {"kind": "text", "text": "No worries."})
    turn = client.send_message(session_id=session_id, message="which plan?")
    async for event in turn:
        if event.type == "interaction_required":
            client.submit_interaction(
                session_id=session_id, request_id=turn.request_id, interaction_id=event.data.data.interaction_id, declined=True
            )
    assert text_of(await turn.result()) == "No worries."

    plain = str((await client.create_conversation_session(agent_id=AGENT)).session_id)  # no cards: the conversational path
    gateway.push(ask, {"kind": "text", "text": "What is your email?"})
    events = await events_of(client.send_message(session_id=plain, message="email me the quote"))
    assert "interaction_required" not in [event.type for event in events] and events[-1].type == "eventual_response"


async def test_verify_otp_with_the_code_from_the_mail(client, server, gateway):
    heard = []
    unsubscribe = client.on_event(heard.append)
    session_id = str((await client.create_conversation_session(agent_id=AGENT, user_email="otp@example.com")).session_id)
    gateway.push(ORDER, {"kind": "text", "text": "I sent you a code."}, ORDER, {"kind": "text", "text": "It shipped."})
    turn = client.send_message(session_id=session_id, message="where is my order?")
    kinds = [event.type for event in await events_of(turn)]
    assert "otp_verification_required" in kinds and "otp_sent" in kinds
    (mail,) = list(server.mail.iterdir())
    code = re.search(r"\b(\d{6})\b", mail.read_text()).group(1)

    client.verify_otp(session_id=session_id, request_id=turn.request_id, code="000000" if code != "000000" else "111111")
    client.verify_otp(session_id=session_id, request_id=turn.request_id, code=code)
    for _ in range(100):
        if len(heard) >= 2:
            break
        await asyncio.sleep(0.05)
    unsubscribe()
    assert [event.type for event in heard[:2]] == ["otp_invalid", "otp_verified"]
    assert heard[0].data.data.attempts_remaining == 4
    final = await client.send_message(session_id=session_id, message="where is my order now?")
    assert text_of(final) == "It shipped."


async def test_the_refusals_on_a_real_server(server, gateway):
    """A stray confirm, a stale card and a stray code, on the wire: each refused, nothing lost."""
    browser = await WireClient.connect(server)
    try:
        created = await browser.request({"action": "create_conversation_session", "agentId": AGENT, "supports": ["identity_form"]})
        session_id = created["data"]["sessionId"]
        stray = await browser.request({"action": "confirm_tool_action", "requestId": "c", "sessionId": session_id, "approved": True})
        assert stray["error"]["code"] == "NO_PENDING_CONFIRMATION"
        code = await browser.request({"action": "verify_otp", "requestId": "v", "sessionId": session_id, "code": "123456"})
        assert (code["type"], code["data"]["data"]["error"]) == ("otp_invalid", "NOT_FOUND")

        ask = {
            "kind": "toolCall",
            "name": "request_identity_intake",
            "arguments": json.dumps({"fields": [{"key": "email", "required": True}]}),
        }
        gateway.push(ask, {"kind": "text", "text": "Thanks."})
        assert (await browser.request({"action": "send_message", "requestId": "m", "sessionId": session_id, "message": "quote"}))[
            "status"
        ] == 202
        card = (await browser.receive())["data"]["data"]
        await browser.receive()
        submit = {"action": "submit_interaction", "requestId": "m", "sessionId": session_id, "values": {"email": "a@b.co"}}
        stale = await browser.request({**submit, "interactionId": "stale"})
        assert stale["error"]["code"] == "INTERACTION_MISMATCH"
        assert (await browser.request({**submit, "interactionId": card["interactionId"]}))["status"] == 200  # still parked
        events = [await browser.receive()]
        while events[-1]["type"] != "eventual_response":
            events.append(await browser.receive())
    finally:
        await browser.close()
