"""A person taking over the same stream, against a real `manage.py serve` with the fake
gateway as the model: escalation by phrase and the inbox hearing of it; a running turn
cancelled cleanly by a take-over; the AI silent while a person holds the conversation
(each visitor message acknowledged, stored, shown to the operator, ended with
`cancelled`); a reply reaching two tabs; handing back; two operators and "take from";
who may open the inbox; and the PyPI client reading an operator's message as an ordinary
eventual_response."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
import websockets
from smooth_operator import SmoothAgentClient

from tests.e2e.live import WireClient, start_server
from tests.helpers import send, until_terminal
from tests.spec import validate_inbox_frame

pytestmark = pytest.mark.live
AGENT = "7d3c5a8e-1f00-4c1b-9a55-7a0c2b1e9d01"
SLOW = {"kind": "slow", "text": "one two three four five six seven eight nine ten eleven twelve", "delay": 0.25}


@pytest.fixture
def gateway(fake_gateway):
    return fake_gateway


@pytest.fixture
def server(tmp_path, gateway):
    live = start_server(tmp_path / "s", SMOOAI_GATEWAY_URL=gateway.url, SMOOAI_GATEWAY_KEY="sk-handoff", SMOOTH_AGENT_SEED_KB="1")
    users = [("alex", "Alex", "Rivera", "default", True), ("sam", "Sam", "Lee", "default", True), ("gina", "Gina", "Other", "globex", True)]
    users.append(("vic", "Vic", "Visitor", "default", False))
    code = "from django.contrib.auth.models import Group, User\n"
    for username, first, last, organization, staff in users:
        code += (
            f"u = User.objects.create_user('{username}', password='pw-{username}', first_name='{first}', last_name='{last}', is_staff={staff})\n"
            f"u.groups.add(Group.objects.get_or_create(name='org:{organization}')[0])\n"
        )
    done = live.manage("shell", "-v", "0", "-c", code)
    assert done.returncode == 0, done.stderr
    yield live
    live.stop()


def signed_in(server, username: str) -> str:
    """The session cookie of a user signed in through the admin's login form."""
    base = f"http://127.0.0.1:{server.port}"
    with httpx.Client(base_url=base) as http:
        form = http.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        http.post(
            "/admin/login/", data={"username": username, "password": f"pw-{username}", "csrfmiddlewaretoken": token, "next": "/admin/"}
        )
        return http.cookies["sessionid"]


def session_made_for(server, username: str) -> str:
    """A signed-in session for a user the admin's login would turn away (not staff)."""
    code = (
        "from django.contrib.auth.models import User; from django.contrib.sessions.backends.db import SessionStore\n"
        f"u = User.objects.get(username='{username}'); s = SessionStore()\n"
        "s['_auth_user_id'] = str(u.pk); s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    done = server.manage("shell", "-v", "0", "-c", code)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Operator:
    def __init__(self, socket):
        self.socket, self.seen = socket, []

    @classmethod
    async def connect(cls, server, username: str, origin: str | None = None, cookie: str | None = None) -> Operator:
        cookie = cookie or signed_in(server, username)
        socket = await websockets.connect(
            f"ws://127.0.0.1:{server.port}/ws/inbox",
            origin=origin or f"http://127.0.0.1:{server.port}",
            additional_headers={"Cookie": f"sessionid={cookie}"},
        )
        return cls(socket)

    async def send(self, frame: dict) -> None:
        await self.socket.send(json.dumps(frame))

    async def until(self, match, timeout: float = 10) -> dict:
        """The next frame `match` accepts (the others are kept in `seen`)."""
        while True:
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            validate_inbox_frame(frame)
            self.seen.append(frame)
            if match(frame):
                return frame

    async def ask(self, frame: dict) -> dict:
        await self.send(frame)
        return await self.until(lambda answer: answer["type"] in ("conversations", "opened", "done", "error"))

    async def close(self) -> None:
        await self.socket.close()


def inbox(kind: str):
    return lambda frame: frame["type"] == "inbox" and frame["event"]["type"] == kind


def by_person(event: dict) -> dict:
    assert event["type"] == "eventual_response" and event["requestId"].startswith("human-"), event
    data = event["data"]["data"]
    assert data["needsEscalation"] is False
    return data["response"]


async def test_a_person_takes_over_answers_two_tabs_and_hands_back(server, gateway):
    tab = await WireClient.connect(server)
    other_tab = await WireClient.connect(server)
    operator = await Operator.connect(server, "alex")
    try:
        created = await tab.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT, "userName": "Dana"})
        session_id, conversation_id = created["data"]["sessionId"], created["data"]["conversationId"]
        assert (await other_tab.request({"action": "get_session", "requestId": "g", "sessionId": session_id}))[
            "type"
        ] == "immediate_response"

        # Escalation by the visitor's words: no model call, the inbox hears of it at once.
        assert (await tab.request(send(session_id, "m-1", "Can I talk to a human?")))["status"] == 202
        final = (await until_terminal(tab))[-1]
        assert final["data"]["data"]["needsEscalation"] is True and final["data"]["data"]["escalationReason"]
        assert (await operator.until(inbox("escalation")))["event"]["conversationId"] == conversation_id
        rows = (await operator.ask({"action": "list"}))["items"]
        assert (rows[0]["conversationId"], rows[0]["state"], rows[0]["visitor"]) == (conversation_id, "waiting", "Dana")
        assert rows[0]["lastMessage"]
        opened = await operator.ask({"action": "open", "conversationId": conversation_id})
        assert [message["text"] for message in opened["messages"]][0] == "Can I talk to a human?"
        assert len(gateway.requests) == 0

        # A turn under way is cancelled cleanly by the take-over; the operator watched it live.
        gateway.push(SLOW)
        assert (await tab.request(send(session_id, "m-2", "What is the warranty?")))["status"] == 202
        assert (await tab.receive())["type"] == "stream_token"
        await operator.until(lambda frame: frame["type"] == "stream" and frame["event"]["type"] == "stream_token")
        assert (await operator.ask({"action": "take_over", "conversationId": conversation_id}))["type"] == "done"
        # The stopped turn's `cancelled` and the person's arrival, in whichever order they cross.
        first, second = await tab.receive(), await tab.receive()
        while first["type"] == "stream_token":
            first, second = second, await tab.receive()
        stopped = next(event for event in (first, second) if event["type"] == "cancelled")
        assert stopped["requestId"] == "m-2"
        joined = by_person(next(event for event in (first, second) if event["type"] == "eventual_response"))
        assert joined["operator"] == {"name": "Alex Rivera", "step": "joined"}
        calls = len(gateway.requests)

        # While a person holds it: each message acknowledged, stored, shown to them; no model.
        for request_id, text in (("m-3", "hello?"), ("m-4", "are you there?")):
            assert (await tab.request(send(session_id, request_id, text)))["status"] == 202
            events = await until_terminal(tab)
            assert [event["type"] for event in events] == ["cancelled"] and events[0]["requestId"] == request_id
            said = await operator.until(inbox("visitor_message"))
            assert (said["event"]["text"], said["event"]["heldBy"]) == (text, "Alex Rivera")
        assert len(gateway.requests) == calls

        # The reply reaches both tabs at once.
        assert (await operator.ask({"action": "reply", "conversationId": conversation_id, "text": "Hi Dana, I can help."}))[
            "type"
        ] == "done"
        for client in (tab, other_tab):
            event = await client.receive()
            while event.get("requestId", "").startswith("m-") or (
                event["type"] == "eventual_response" and by_person(event)["operator"]["step"] != "message"
            ):
                event = await client.receive()
            response = by_person(event)
            assert response["responseParts"] == ["Hi Dana, I can help."] and response["operator"]["name"] == "Alex Rivera"

        # Handed back: the assistant answers the next message.
        assert (await operator.ask({"action": "hand_back", "conversationId": conversation_id}))["type"] == "done"
        assert by_person(await tab.receive())["operator"]["step"] == "returned"
        gateway.push({"kind": "text", "text": "The warranty is two years."})
        assert (await tab.request(send(session_id, "m-5", "And the warranty?")))["status"] == 202
        final = (await until_terminal(tab))[-1]
        assert final["type"] == "eventual_response" and final["data"]["data"]["response"]["responseParts"] == ["The warranty is two years."]
        assert len(gateway.requests) == calls + 1

        # Every step is in the history, with who said it.
        page = await tab.request({"action": "get_conversation_messages", "requestId": "h", "sessionId": session_id, "limit": 50})
        people = [
            (message["from"]["name"], message["content"]["text"])
            for message in page["data"]["messages"]
            if message.get("from", {}).get("type") == "human-agent"
        ]
        assert ("Alex Rivera", "Hi Dana, I can help.") in people and ("Alex Rivera", "Alex Rivera joined the conversation.") in people
        texts = [message["content"]["text"] for message in page["data"]["messages"]]
        assert "hello?" in texts and "are you there?" in texts
    finally:
        for client in (tab, other_tab, operator):
            await client.close()


async def test_the_model_escalates_with_its_tool_and_the_inbox_hears_why(server, gateway):
    tab = await WireClient.connect(server)
    operator = await Operator.connect(server, "alex")
    try:
        created = await tab.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT})
        gateway.push(
            {"kind": "toolCall", "name": "escalate_to_human", "arguments": '{"reason": "a refund above the agent\'s limit"}'},
            {"kind": "text", "text": "I have asked a colleague to look at your refund."},
        )
        assert (await tab.request(send(created["data"]["sessionId"], "m-1", "I want a refund of 900 euros")))["status"] == 202
        final = (await until_terminal(tab))[-1]["data"]["data"]
        assert (final["needsEscalation"], final["escalationReason"]) == (True, "a refund above the agent's limit")
        assert final["response"]["responseParts"] == ["I have asked a colleague to look at your refund."]
        heard = (await operator.until(inbox("escalation")))["event"]
        assert (heard["source"], heard["reason"], heard["conversationId"]) == (
            "tool",
            "a refund above the agent's limit",
            created["data"]["conversationId"],
        )
    finally:
        await tab.close()
        await operator.close()


async def test_a_second_operator_takes_over_only_explicitly_and_the_holder_sees_it(server):
    tab = await WireClient.connect(server)
    alex, sam = await Operator.connect(server, "alex"), await Operator.connect(server, "sam")
    try:
        created = await tab.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT})
        conversation_id = created["data"]["conversationId"]
        assert (await alex.ask({"action": "take_over", "conversationId": conversation_id}))["type"] == "done"
        refused = await sam.ask({"action": "take_over", "conversationId": conversation_id})
        assert (refused["type"], refused["code"]) == ("error", "HELD_BY_OTHER") and "Alex Rivera" in refused["message"]
        refused = await sam.ask({"action": "reply", "conversationId": conversation_id, "text": "hi"})
        assert refused["code"] == "NOT_HOLDING"
        assert (await sam.ask({"action": "take_over", "conversationId": conversation_id, "takeFrom": True}))["type"] == "done"
        taken = (await alex.until(inbox("taken")))["event"]
        assert (taken["author"], taken["previousHolder"]) == ("Sam Lee", "Alex Rivera")
        assert (await alex.ask({"action": "reply", "conversationId": conversation_id, "text": "still me"}))["code"] == "NOT_HOLDING"
    finally:
        for client in (tab, alex, sam):
            await client.close()


async def test_only_the_organisations_signed_in_staff_open_the_inbox(server):
    tab = await WireClient.connect(server)
    try:
        created = await tab.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT})
        conversation_id = created["data"]["conversationId"]
        # Another organisation's staff: the conversation reads as unknown, for every action.
        gina = await Operator.connect(server, "gina")
        for action in ("open", "take_over", "hand_back"):
            assert (await gina.ask({"action": action, "conversationId": conversation_id}))["code"] == "NOT_FOUND"
        assert (await gina.ask({"action": "open", "conversationId": "not-a-uuid"}))["code"] == "NOT_FOUND"
        # Bad frames are answered, and the socket goes on.
        for bad in (
            "not json",
            "[1, 2]",
            json.dumps({"action": "delete_everything"}),
            json.dumps({"action": "reply", "conversationId": conversation_id, "text": 7}),
        ):
            await gina.socket.send(bad)
            assert (await gina.until(lambda frame: frame["type"] == "error"))["code"] in ("VALIDATION_ERROR", "NOT_FOUND")
        assert (await gina.ask({"action": "list"}))["type"] == "conversations"
        await gina.close()
        # Not staff, not signed in, or from another site's page: no socket at all.
        for attempt in (
            lambda: Operator.connect(server, "vic", cookie=session_made_for(server, "vic")),
            lambda: websockets.connect(f"ws://127.0.0.1:{server.port}/ws/inbox", origin=f"http://127.0.0.1:{server.port}"),
            lambda: Operator.connect(server, "alex", origin="https://evil.example"),
            lambda: Operator.connect(server, "alex", origin=f"https://127.0.0.1:{server.port}"),  # the socket is plain ws
        ):
            with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
                await attempt()
            assert refused.value.response.status_code == 403
        # A visitor's socket has no operator actions.
        refused = await tab.request({"action": "take_over", "requestId": "t", "conversationId": conversation_id})
        assert refused["error"]["code"] == "UNSUPPORTED_ACTION"
        # And the inbox page sends anyone not signed in as staff to the login.
        page = httpx.get(f"http://127.0.0.1:{server.port}/inbox/")
        assert page.status_code == 302 and "/admin/login/" in page.headers["location"]
    finally:
        await tab.close()


async def test_the_pypi_client_reads_an_operators_message_as_an_ordinary_eventual_response(server):
    client = SmoothAgentClient(server.ws_url, request_timeout=10, turn_timeout=30)
    await client.connect()
    operator = await Operator.connect(server, "alex")
    heard: list = []
    try:
        created = await client.create_conversation_session(agent_id=AGENT, user_name="Ada")
        session_id, conversation_id = str(created.session_id), str(created.conversation_id)
        client.on_event(heard.append)
        assert (await operator.ask({"action": "take_over", "conversationId": conversation_id}))["type"] == "done"
        # A message while a person holds the conversation settles at once, without an answer.
        turn = client.send_message(session_id=session_id, message="hello?")
        final = await asyncio.wait_for(turn, 10)
        assert final.type == "cancelled" and turn.cancelled
        assert (await operator.ask({"action": "reply", "conversationId": conversation_id, "text": "Hello Ada."}))["type"] == "done"
        for _ in range(50):
            if any(event.type == "eventual_response" and event.data.data.response["responseParts"] == ["Hello Ada."] for event in heard):
                break
            await asyncio.sleep(0.1)
        reply = next(
            event
            for event in heard
            if event.type == "eventual_response" and event.data.data.response.get("operator", {}).get("step") == "message"
        )
        assert reply.data.data.needs_escalation is False and reply.data.data.response["operator"]["name"] == "Alex Rivera"
    finally:
        await operator.close()
        await client.disconnect()
