"""The visitor's own data, Smooth's actions over the real consumer: smooth.download_transcript
(plain text or HTML, from the session's own conversation, bounded) and
smooth.delete_conversation (as the agent's owner set it: erase, erase with an audit record,
or off). A session id is an identifier, not a credential: every refusal reads exactly as
an unknown session, and nothing is read or erased."""

from __future__ import annotations

import asyncio
import datetime
import html.parser
import logging
import uuid

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone
from prometheus_client import REGISTRY

from chat import services, transcripts
from chat.handlers.visitor_data import ANSWERING, ERASURE_OFF
from chat.models import ConversationErasure, Message, OtpChallenge, ParkedTurn, Participant, Session
from chat.turns import leases
from chat.turns.leases import Lease
from handoff import services as handoff
from handoff.models import Handoff as HandoffRecord
from tests.factories import AGENT_ID, make_agent, make_policy
from tests.helpers import send, turn, until_terminal
from tests.identity.tokens import make_token

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://shop.example.com"
OTHER_AGENT = "22222222-2222-2222-2222-222222222222"
QUESTION = "How long is the return window? <script>alert('owned')</script>"
REPLY = "17 days & no questions asked."
CITATIONS = [
    {
        "type": "citation",
        "id": "doc-1",
        "title": "Returns & refunds",
        "url": "https://shop.example.com/returns",
        "snippet": "17 days",
        "score": 0.9,
    },
    {"type": "citation", "id": "doc-2", "title": "Internal <b>notes</b>", "snippet": "…", "score": 0.4},
    {"type": "citation", "id": "doc-3", "title": "Sneaky", "url": "javascript:alert(1)", "snippet": "…", "score": 0.3},
]
PERSON_SAYS = "I have refunded order #42 <img src=x onerror=alert(1)>."
VISITOR = {"userName": "Alice Example", "userEmail": "alice@example.com", "browserFingerprint": "fp-123", "metadata": {"plan": "gold"}}


@pytest.fixture(autouse=True)
def offline(settings):
    settings.SMOOTH_AGENT_LLM = "offline"  # a turn after a delete runs without a gateway


def agent(erasure: str = "erase"):
    return database_sync_to_async(make_agent)(name="Acme support", visitor_erasure=erasure)


def said(session_id, person: bool = True) -> list[Message]:
    """The question and its cited answer, then (`person`) a person's takeover and reply: the conversation."""
    session = Session.objects.select_related("conversation").get(session_id=session_id)
    services.record_user_message(session=session, text=QUESTION, request_id="m-1")
    services.record_reply(session=session, text=REPLY, items=CITATIONS, tokens=3, request_id="m-1", passages=3)
    if person:
        handoff.take_over(session.conversation, user_id="7", name="Priya")
        handoff.reply(session.conversation, user_id="7", text=PERSON_SAYS)
    return list(Message.objects.filter(conversation_id=session.conversation_id).order_by("created_at"))


async def visitor_with_conversation(ws, erasure: str = "erase", person: bool = True):
    await agent(erasure)
    client = await ws(origin=SITE)
    session_id = (await client.create_session(AGENT_ID, **VISITOR))["sessionId"]
    await database_sync_to_async(said)(session_id, person)
    return client, session_id


async def history(client, session_id, request_id="h") -> list[dict]:
    """The conversation as get_conversation_messages gives it, oldest first."""
    page = await client.request({"action": "get_conversation_messages", "requestId": request_id, "sessionId": session_id, "limit": 100})
    assert page["type"] == "immediate_response", page
    return list(reversed(page["data"]["messages"]))


async def download(client, session_id, request_id="t", **fields) -> dict:
    return await client.request({"action": "smooth.download_transcript", "requestId": request_id, "sessionId": session_id, **fields})


async def delete(client, session_id, request_id="d", **fields) -> dict:
    return await client.request({"action": "smooth.delete_conversation", "requestId": request_id, "sessionId": session_id, **fields})


def utc(created_at: str) -> str:
    return datetime.datetime.fromisoformat(created_at).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def without_timestamp(event: dict) -> dict:
    return {key: value for key, value in event.items() if key != "timestamp"}


def counted(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# --- download -------------------------------------------------------------------------


async def test_the_text_transcript_is_the_history_in_order_with_who_said_what_when_and_the_sources(ws):
    client, session_id = await visitor_with_conversation(ws)
    before = counted("smooth_transcript_downloads_total", agent=AGENT_ID, format="text")
    event = await download(client, session_id)  # text is the default
    messages = await history(client, session_id)
    assert [message["content"]["text"] for message in messages] == [QUESTION, REPLY, "Priya joined the conversation.", PERSON_SAYS]

    blocks = []
    for message in messages:
        block = [f"[{utc(message['createdAt'])}] {message['from']['name']}:", message["content"]["text"]]
        citations = message["content"].get("structuredResponse", {}).get("citations", [])
        if citations:
            block += ["Sources:", "- Returns & refunds: https://shop.example.com/returns", "- Internal <b>notes</b>", "- Sneaky"]
        blocks.append("\n".join(block) + "\n")
    assert [message["from"]["name"] for message in messages] == ["Alice Example", "Acme support", "Priya", "Priya"]

    today = timezone.now().strftime("%Y-%m-%d")
    data = event["data"]
    assert (event["type"], event["requestId"], event["status"], event["message"]) == ("immediate_response", "t", 200, "Transcript")
    assert (data["filename"], data["contentType"], data["messages"], data["omitted"]) == (
        f"conversation-{today}.txt",
        "text/plain; charset=utf-8",
        4,
        0,
    )
    content = data["content"]
    assert content.startswith(f"Conversation with Acme support\nStarted {today}T")
    assert content.endswith("\n\n" + "\n".join(blocks)), content
    assert counted("smooth_transcript_downloads_total", agent=AGENT_ID, format="text") - before == 1
    await client.assert_silent()


class TranscriptPage(html.parser.HTMLParser):
    """What a browser would show of the HTML transcript: each message's speaker, time, text
    and links, and every element that could run something."""

    def __init__(self):
        super().__init__()
        self.entries: list[dict] = []
        self.tags: list[str] = []
        self.html: dict = {}
        self.meta: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html = attrs
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "li" and attrs.get("class") in ("visitor", "agent", "person"):
            self.entries.append({"role": attrs["class"], "speaker": "", "at": None, "text": "", "links": [], "sources": []})
        elif self.entries and tag == "time":
            self.entries[-1]["at"] = attrs["datetime"]
        elif self.entries and tag == "a":
            self.entries[-1]["links"].append(attrs["href"])
        self._in = {"strong": "speaker", "p": "text" if attrs.get("class") == "text" else None, "li": "sources"}.get(tag, self._in)

    def handle_endtag(self, tag):
        if tag in ("strong", "p"):
            self._in = None

    def handle_data(self, data):
        if self.entries and self._in == "sources" and data.strip():
            self.entries[-1]["sources"].append(data)
        elif self.entries and self._in in ("speaker", "text"):
            self.entries[-1][self._in] += data


async def test_the_html_transcript_is_a_small_document_of_the_history_where_nothing_anyone_wrote_runs(ws):
    client, session_id = await visitor_with_conversation(ws)
    event = await download(client, session_id, format="html", lang="de-AT")
    messages = await history(client, session_id)
    data = event["data"]
    assert data["contentType"] == "text/html; charset=utf-8" and data["filename"].endswith(".html")
    content = data["content"]
    assert content.startswith('<!DOCTYPE html>\n<html lang="de" dir="ltr">')

    page = TranscriptPage()
    page.feed(content)
    assert {"charset": "utf-8"} in page.meta
    assert {"http-equiv": "Content-Security-Policy", "content": "default-src 'none'; style-src 'unsafe-inline'"} in page.meta
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags  # only ever text
    assert "<script>" not in content and "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in content
    assert [(entry["role"], entry["speaker"], entry["at"], entry["text"]) for entry in page.entries] == [
        (role, message["from"]["name"], utc(message["createdAt"]), message["content"]["text"])
        for role, message in zip(["visitor", "agent", "person", "person"], messages, strict=True)
    ]
    answer = page.entries[1]
    assert answer["links"] == ["https://shop.example.com/returns"]  # javascript: is never a link
    assert answer["sources"] == ["Returns & refunds", "Internal <b>notes</b>", "Sneaky"]


@pytest.mark.parametrize(
    "lang, opening", [("ar", '<html lang="ar" dir="rtl">'), ("xx-YY", '<html lang="en" dir="ltr">'), (None, '<html lang="en"')]
)
async def test_the_html_transcript_carries_the_widgets_language_and_direction(ws, lang, opening):
    client, session_id = await visitor_with_conversation(ws)
    fields = {"lang": lang} if lang else {}
    content = (await download(client, session_id, format="html", **fields))["data"]["content"]
    assert opening in content


def many_messages(session_id, count: int, size: int) -> list[str]:
    """`count` messages of `size` characters in the session's conversation; their texts in the conversation's order."""
    session = Session.objects.get(session_id=session_id)
    Message.objects.bulk_create(
        Message(
            conversation_id=session.conversation_id,
            session=session,
            organization_id=session.organization_id,
            direction=Message.Direction.INBOUND,
            content={"text": f"{index:04d} " + "x" * (size - 5), "items": []},
            from_participant_id=session.user_participant_id,
        )
        for index in range(count)
    )
    return [message.text for message in Message.objects.filter(conversation_id=session.conversation_id).order_by("created_at", "id")]


async def test_a_long_conversations_transcript_holds_its_last_500_messages_and_says_how_many_it_leaves_out(ws):
    client, session_id = await visitor_with_conversation(ws)
    texts = await database_sync_to_async(many_messages)(session_id, 500, 20)
    assert len(texts) == 504 and transcripts.MAX_MESSAGES == 500
    data = (await download(client, session_id))["data"]
    assert (data["messages"], data["omitted"]) == (500, 4)
    assert "\nThe 4 earlier messages are not included.\n" in data["content"]
    kept = [line for line in data["content"].split("\n") if line[:4].isdigit() or line in (QUESTION, REPLY, PERSON_SAYS)]
    assert kept == texts[4:]


async def test_a_transcript_is_at_most_a_megabyte_the_oldest_messages_left_out_first(ws):
    client, session_id = await visitor_with_conversation(ws)
    texts = await database_sync_to_async(many_messages)(session_id, 120, 9_000)  # 1.08 MB of text
    for format in ("text", "html"):
        data = (await download(client, session_id, format=format))["data"]
        assert len(data["content"].encode()) <= transcripts.MAX_BYTES == 1_000_000
        assert data["messages"] + data["omitted"] == 124 and 100 < data["messages"] < 120
        assert texts[-1] in data["content"] and texts[-data["messages"]] in data["content"]
        assert texts[-data["messages"] - 1] not in data["content"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"format": "pdf"}, "format must be text or html, not 'pdf'"),
        ({"format": 1}, "format must be a string, not a number"),
        ({"lang": ["de"]}, "lang must be a string, not an array"),
        ({"requestId": None}, "smooth.download_transcript needs a requestId: its answer is correlated by it"),
        ({"sessionId": "s-1"}, "sessionId must be a UUID"),
    ],
    ids=lambda value: str(value)[:30],
)
async def test_a_bad_download_frame_is_named_and_the_socket_goes_on(ws, fields, message):
    client, session_id = await visitor_with_conversation(ws)
    frame = {"action": "smooth.download_transcript", "requestId": "bad", "sessionId": session_id, **fields}
    event = await client.request({key: value for key, value in frame.items() if value is not None})
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    await client.assert_open()


# --- who may: a session id is not a credential ------------------------------------------


def stored() -> tuple[int, list[str], list[int]]:
    """What an attack must leave as it was: the messages, the visitors' names, the audit records."""
    names = sorted(Participant.objects.filter(type=Participant.Type.USER).values_list("name", flat=True))
    return Message.objects.count(), names, [ConversationErasure.objects.count()]


async def assert_refused_like_an_unknown_session(client, session_id):
    """Both actions answer exactly as a made-up id does, and nothing is read or erased."""
    before = await database_sync_to_async(stored)()
    unknown = str(uuid.uuid4())
    for act in (download, delete):
        expected = without_timestamp(await act(client, unknown, request_id="x"))
        assert expected["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {unknown} not found"}
        answer = without_timestamp(await act(client, session_id, request_id="x"))
        assert answer == {
            **expected,
            "error": {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"},
            "data": {"error": {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}, "requestId": "x"},
        }
    await client.assert_silent()
    assert await database_sync_to_async(stored)() == before
    await client.assert_open()


async def test_another_socket_without_the_sessions_resume_token_is_refused_and_one_with_it_is_served(ws, settings):
    settings.SMOOTH_SESSION_RESUME = "token"
    await agent("audited")
    owner = await ws(origin=SITE)
    session_id = (await owner.create_session(AGENT_ID, supports=["resume_token"], **VISITOR))["sessionId"]
    token = (await owner.receive())["data"]["resumeToken"]
    await database_sync_to_async(said)(session_id)

    await assert_refused_like_an_unknown_session(await ws(origin=SITE), session_id)  # the same site, no token
    await assert_refused_like_an_unknown_session(await ws(origin="https://evil.example.com"), session_id)
    holder = await ws(origin=SITE)
    assert (await download(holder, session_id, resumeToken=token))["data"]["messages"] == 4
    assert (await delete(holder, session_id, resumeToken=token))["data"] == {"deleted": True, "messages": 4}


async def test_another_organisations_session_is_refused_as_an_unknown_one(ws, jwt_hs256):
    """To a principal of another organisation, and to a socket of another site."""
    await database_sync_to_async(make_policy)(agent_id=OTHER_AGENT, organization_id="globex", allowed_origins=[SITE])
    await database_sync_to_async(make_agent)(agent_id=OTHER_AGENT, organization_id="globex", visitor_erasure="erase")
    theirs = await ws(origin=SITE)
    session_id = (await theirs.create_session(OTHER_AGENT, **VISITOR))["sessionId"]
    await database_sync_to_async(said)(session_id)
    await assert_refused_like_an_unknown_session(await ws(origin=SITE, token=make_token({"org": "default"})), session_id)
    await assert_refused_like_an_unknown_session(await ws(origin="https://acme.example.com"), session_id)


async def test_a_made_up_session_id_is_not_found(ws):
    client, _ = await visitor_with_conversation(ws)
    await assert_refused_like_an_unknown_session(client, str(uuid.uuid4()))


# --- delete ----------------------------------------------------------------------------


def visitor_of(session_id) -> dict:
    session = Session.objects.select_related("conversation", "user_participant").get(session_id=session_id)
    visitor = session.user_participant
    return {
        "participant": {
            field: getattr(visitor, field)
            for field in ("name", "email", "phone", "external_id", "browser_fingerprint", "browser_info", "metadata", "crm_contact_id")
        },
        "conversation": session.conversation.name,
        "session": (session.metadata, session.message_count),
        "messages": Message.objects.filter(conversation_id=session.conversation_id).count(),
        "rated": Message.objects.exclude(feedback="").count(),
    }


ERASED = {
    "participant": {
        "name": "",
        "email": None,
        "phone": None,
        "external_id": None,
        "browser_fingerprint": None,
        "browser_info": None,
        "metadata": {},
        "crm_contact_id": None,
    },
    "conversation": "Visitor and Acme support",
    "session": ({}, 0),
    "messages": 0,
    "rated": 0,
}


async def rate_the_answer(client, session_id) -> None:
    answer = await database_sync_to_async(lambda: Message.objects.get(content__text=REPLY))()
    frame = {"action": "smooth.rate_answer", "requestId": "r", "sessionId": session_id, "messageId": str(answer.id), "rating": "down"}
    assert (await client.request({**frame, "comment": "Wrong."}))["status"] == 200


def code_and_stale_parked_turn(session: Session) -> None:
    """A code sent to the visitor, and a parked turn whose lease expired (its state holds the conversation)."""
    now = timezone.now()
    OtpChallenge.objects.create(session=session, channel="email", salt="s", code_hash="h", sent_at=now, expires_at=now)
    ParkedTurn.objects.create(
        session=session,
        organization_id="default",
        request_id="m-0",
        kind="confirmation",
        pending={},
        state={"question": QUESTION},
        expires_at=now,
    )


async def test_erase_deletes_every_message_and_blanks_the_visitor_and_logs_one_line_without_content(ws, caplog):
    client, session_id = await visitor_with_conversation(ws, "erase")
    await rate_the_answer(client, session_id)
    before = await database_sync_to_async(visitor_of)(session_id)
    assert before["participant"]["name"] == "Alice Example" and before["messages"] == 4 and before["rated"] == 1
    erasures = counted("smooth_conversation_erasures_total", agent=AGENT_ID, mode="erase")
    session = await Session.objects.aget(session_id=session_id)
    await database_sync_to_async(code_and_stale_parked_turn)(session)

    with caplog.at_level(logging.DEBUG):
        event = await delete(client, session_id)
    assert without_timestamp(event) == {
        "type": "immediate_response",
        "requestId": "d",
        "status": 200,
        "message": "Conversation deleted",
        "data": {"deleted": True, "messages": 4},
    }
    assert (await client.receive())["data"] == {"deleted": True, "messages": 4, "sessionId": session_id}  # every tab's notice
    assert await database_sync_to_async(visitor_of)(session_id) == ERASED
    assert await ConversationErasure.objects.acount() == 0  # no audit record asked for
    assert (await OtpChallenge.objects.acount(), await ParkedTurn.objects.acount()) == (0, 0)
    assert counted("smooth_conversation_erasures_total", agent=AGENT_ID, mode="erase") - erasures == 1

    (line,) = [record for record in caplog.records if record.name == "smooth.erasure"]
    assert line.levelno == logging.INFO and line.getMessage() == (
        f"conversation erased: organisation=default agent={AGENT_ID} conversation={session.conversation_id} messages=4 audited=no"
    )
    everything_logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("return window", "17 days", "refunded", "Alice", "alice@example.com", "fp-123", "gold", "Wrong."):
        assert secret not in everything_logged
    assert await history(client, session_id) == []


async def test_audited_erases_the_same_and_keeps_a_record_without_content_that_the_admin_shows(ws, admin_client):
    client, session_id = await visitor_with_conversation(ws, "audited")
    session = await Session.objects.aget(session_id=session_id)
    event = await delete(client, session_id)
    assert event["data"] == {"deleted": True, "messages": 4}
    assert await database_sync_to_async(visitor_of)(session_id) == ERASED

    record = await ConversationErasure.objects.aget()
    assert {
        field.name: getattr(record, field.name) for field in ConversationErasure._meta.fields if field.name not in ("id", "erased_at")
    } == {
        "organization_id": "default",
        "agent_id": uuid.UUID(AGENT_ID),
        "conversation_id": session.conversation_id,
        "session_id": session.session_id,
        "requested_by": session.user_participant_id,  # who asked: an id, not a name
        "messages": 4,
    }
    assert abs(timezone.now() - record.erased_at) < datetime.timedelta(minutes=1)

    changelist = await database_sync_to_async(admin_client.get)("/admin/chat/conversationerasure/")
    page = changelist.content.decode()
    assert changelist.status_code == 200 and str(session.conversation_id) in page and str(session.user_participant_id) in page
    change = (await database_sync_to_async(admin_client.get)(f"/admin/chat/conversationerasure/{record.id}/change/")).content.decode()
    assert str(session.conversation_id) in change and 'name="_save"' not in change and "deletelink" not in change
    assert "Alice" not in change and "return window" not in change
    deleting = await database_sync_to_async(admin_client.post)(f"/admin/chat/conversationerasure/{record.id}/delete/")
    assert deleting.status_code == 403 and await ConversationErasure.objects.acount() == 1


async def test_off_refuses_with_a_clear_error_and_erases_nothing(ws):
    client, session_id = await visitor_with_conversation(ws, "off")
    before = await database_sync_to_async(visitor_of)(session_id)
    event = await delete(client, session_id)
    assert event["error"] == {"code": "UNSUPPORTED_ACTION", "message": ERASURE_OFF}
    assert ERASURE_OFF == "this agent does not let visitors delete their conversations: its site owner turned it off"
    assert await database_sync_to_async(visitor_of)(session_id) == before
    assert (await download(client, session_id))["data"]["messages"] == 4  # the transcript is still theirs to take
    await client.assert_open()


class FailingStage:
    name = "failing"

    def erase_conversation(self, conversation_id) -> None:
        raise RuntimeError("the disk is full")


async def test_a_failure_in_the_middle_rolls_the_whole_erasure_back(ws, monkeypatch):
    """Messages deleted and the visitor blanked, then a stage fails: nothing of it stays."""
    client, session_id = await visitor_with_conversation(ws, "audited")
    before = await database_sync_to_async(visitor_of)(session_id)
    monkeypatch.setattr(services.stages, "configured", lambda: (FailingStage(),))
    event = await delete(client, session_id)
    assert event["error"] == {"code": "INTERNAL_ERROR", "message": "internal server error"}
    assert await database_sync_to_async(visitor_of)(session_id) == before
    assert await ConversationErasure.objects.acount() == 0
    monkeypatch.undo()
    assert (await delete(client, session_id, request_id="d2"))["data"] == {"deleted": True, "messages": 4}  # the lease was let go


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOTH_AGENT_LLM = "gateway"
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-visitor-data"
    return fake_gateway


async def test_a_delete_while_a_turn_runs_is_refused_until_the_turn_is_cancelled(ws, gateway):
    gateway.push({"kind": "slow", "text": "still answering " * 20, "delay": 0.5})  # cancelled long before its end
    await agent("erase")
    client = await ws(origin=SITE)
    session_id = (await client.create_session(AGENT_ID, **VISITOR))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "Where is my order?")))["status"] == 202
    while (await client.receive())["type"] != "stream_token":  # the turn is answering
        pass
    await client.send({"action": "smooth.delete_conversation", "requestId": "d", "sessionId": session_id})
    while (refused := await client.receive()).get("requestId") != "d":
        pass
    assert refused["error"] == {"code": "TURN_IN_PROGRESS", "message": ANSWERING}
    assert await Message.objects.acount() == 1  # the question, untouched

    await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    assert (await until_terminal(client, "m-1"))[-1]["type"] == "cancelled"
    assert (await delete(client, session_id, request_id="d2"))["data"] == {"deleted": True, "messages": 1}
    assert await Message.objects.acount() == 0


async def test_a_delete_while_a_turn_waits_on_the_visitor_is_refused(ws):
    client, session_id = await visitor_with_conversation(ws)
    assert await leases.acquire(uuid.UUID(session_id), Lease.parked_for("m-9"))  # a parked turn holds the session
    assert (await delete(client, session_id))["error"] == {"code": "TURN_IN_PROGRESS", "message": ANSWERING}
    assert await Message.objects.acount() == 4


async def test_every_tab_is_told_nothing_is_read_back_and_the_session_goes_on_with_a_new_history(ws):
    first, session_id = await visitor_with_conversation(ws, person=False)  # the agent answers, not a person
    second = await ws(origin=SITE)
    assert (await second.request({"action": "get_session", "requestId": "g", "sessionId": session_id}))["status"] == 200

    assert (await delete(first, session_id))["data"] == {"deleted": True, "messages": 2}
    notice = {
        "type": "immediate_response",
        "status": 200,
        "message": "Conversation deleted",
        "data": {"deleted": True, "messages": 2, "sessionId": session_id},
    }
    for tab in (first, second):  # the asker too: it is one of the session's sockets
        assert without_timestamp(await tab.receive()) == notice
        await tab.assert_silent()
    assert await history(second, session_id) == []
    later = await ws(origin=SITE)
    assert await history(later, session_id) == []
    assert (await download(later, session_id))["data"]["messages"] == 0

    events = await turn(first, session_id, "Do you ship to Norway?", request_id="m-2")
    assert events[-1]["type"] == "eventual_response"
    for tab in (second, later):  # attached: they see the new turn too
        assert (await until_terminal(tab, "m-2"))[-1] == events[-1]
    again = await history(later, session_id)
    assert [(message["direction"], message["from"]["name"]) for message in again] == [("inbound", ""), ("outbound", "Acme support")]
    content = (await download(later, session_id))["data"]["content"]
    assert "] Visitor:\nDo you ship to Norway?\n" in content and "Alice" not in content
    await asyncio.gather(first.assert_open(), second.assert_open())


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"requestId": None}, "smooth.delete_conversation needs a requestId: its answer is correlated by it"),
        ({"sessionId": None}, "sessionId is required"),
        ({"sessionId": 5}, "sessionId must be a string, not a number"),
    ],
    ids=lambda value: str(value)[:30],
)
async def test_a_bad_delete_frame_is_named_and_erases_nothing(ws, fields, message):
    client, session_id = await visitor_with_conversation(ws)
    frame = {"action": "smooth.delete_conversation", "requestId": "bad", "sessionId": session_id, **fields}
    event = await client.request({key: value for key, value in frame.items() if value is not None})
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert await Message.objects.acount() == 4


def escalated_with_a_reason(session_id) -> None:
    session = Session.objects.get(session_id=session_id)
    handoff.escalate(session, reason="wants a refund for order #42 to alice@example.com", source="tool")


async def test_an_erased_conversations_handoff_keeps_its_place_but_not_the_models_summary_of_it(ws):
    client, session_id = await visitor_with_conversation(ws, "erase", person=False)
    await database_sync_to_async(escalated_with_a_reason)(session_id)
    session = await Session.objects.aget(session_id=session_id)

    assert (await delete(client, session_id))["status"] == 200

    kept = await HandoffRecord.objects.aget(conversation_id=session.conversation_id)
    assert (kept.state, kept.reason) == (HandoffRecord.State.WAITING, "")
