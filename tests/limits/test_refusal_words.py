"""A refusal's words are the visitor's: a rate limit or a spent budget is worded in the
language the socket asked for (`/ws?lang=`, as the widget connects), in every shipped
language, and in English for a client that did not ask, whatever its Accept-Language (an
upstream client keeps the protocol's English). Each path a refusal takes is covered: the
handshake, a frame over the socket's rate, an action, and a turn (tests/limits/test_budgets.py)."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.utils import translation

from chat.errors import protocol_error
from limits.errors import EXCEEDED, TOO_MANY, BudgetExceeded, RateLimited, wait_words
from smooth.asgi import application
from tests.factories import AGENT_ID

pytestmark = pytest.mark.django_db(transaction=True)
SHIPPED = [code for code, _name in django_settings.LANGUAGES if code != django_settings.LANGUAGE_CODE]
REFUSALS = [RateLimited(limit, 12.2) for limit in TOO_MANY] + [BudgetExceeded(scope) for scope in EXCEEDED]


def english(refusal: Exception) -> str:
    with translation.override("en"):
        return str(refusal)


def test_the_english_words_say_what_and_when():
    assert english(RateLimited("messages", 12.2)) == "too many messages: try again in 13 s"
    assert (
        english(RateLimited("sockets", 0.2))
        == "too many open connections from your address: try again in 1 s, or once one of them has closed"
    )
    assert english(BudgetExceeded("session")) == "this conversation has used all it may: start a new conversation to go on"


@pytest.mark.parametrize("lang", SHIPPED)
@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: english(refusal)[:40])
def test_every_refusal_is_worded_in_every_shipped_language(refusal, lang):
    error = protocol_error(refusal, lang)
    assert error is not None and error.message != english(refusal)
    if isinstance(refusal, RateLimited):
        assert "13" in error.message  # the wait, in the language's own words


@pytest.mark.parametrize(
    ("seconds", "english_wait", "german_wait"),
    [
        (1, "1 s", "1 s"),
        (119, "119 s", "119 s"),
        (120, "2 min", "2 Min."),
        (3600, "60 min", "60 Min."),
        (7199, "120 min", "120 Min."),
        (7200, "2 h", "2 Std."),
        (86400, "24 h", "24 Std."),
    ],
)
def test_a_wait_is_said_in_seconds_minutes_or_hours_rounded_up(seconds, english_wait, german_wait):
    assert english(RateLimited("messages", seconds - 0.5)) == f"too many messages: try again in {english_wait}"
    with translation.override("de"):
        assert wait_words(seconds) == german_wait


def test_no_language_is_english_whatever_is_active():
    with translation.override("de"):
        error = protocol_error(RateLimited("messages", 3), None)
    assert error is not None and error.message == "too many messages: try again in 3 s"


async def connect(path: str, headers: list | None = None) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, path, headers=headers or [])
    assert (await socket.connect())[0]
    return socket


async def refused_words(socket: WebsocketCommunicator) -> str:
    event = await socket.receive_json_from()
    assert event["type"] == "error" and event["error"]["code"] == "RATE_LIMITED", event
    return event["error"]["message"]


async def test_a_refused_handshake_is_told_in_the_sockets_language(settings):
    settings.SMOOTH_LIMIT_SOCKETS_PER_IP = 1
    first = await connect("/ws")
    german = await connect("/ws?lang=de")
    assert (await refused_words(german)).startswith("zu viele offene Verbindungen von Ihrer Adresse")
    browser = await connect("/ws", headers=[(b"accept-language", b"de-DE,de;q=0.9")])
    assert (await refused_words(browser)).startswith("too many open connections")  # not asked: English
    for socket in (german, browser, first):
        await socket.disconnect()


async def test_a_frame_over_the_sockets_rate_is_refused_in_its_language(settings):
    settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET = "2/min"
    socket = await connect("/ws?lang=es")
    for index in range(3):
        await socket.send_json_to({"action": "ping", "requestId": f"p-{index}"})
    assert [(await socket.receive_json_from())["type"] for _ in range(2)] == ["pong", "pong"]
    assert (await refused_words(socket)).startswith("demasiados mensajes en esta conexión: inténtalo de nuevo en")
    await socket.disconnect()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/ws?lang=ar", "محادثات جديدة كثيرة جدًا من عنوانك"),
        ("/ws?lang=de-AT", "zu viele neue Unterhaltungen von Ihrer Adresse"),  # a region is its language
        ("/ws?lang=fr", "too many new conversations from your address"),  # not shipped: English
        ("/ws?lang=%3Cscript%3E", "too many new conversations from your address"),
    ],
)
async def test_an_action_over_its_rate_is_refused_in_the_sockets_language(settings, path, words):
    settings.SMOOTH_LIMIT_SESSIONS_PER_IP = "1/h"
    socket = await connect(path)
    create = {"action": "create_conversation_session", "agentId": AGENT_ID}
    await socket.send_json_to({**create, "requestId": "c-1"})
    assert (await socket.receive_json_from())["type"] == "immediate_response"
    await socket.send_json_to({**create, "requestId": "c-2"})
    message = await refused_words(socket)
    assert message.startswith(words), message
    await socket.disconnect()
