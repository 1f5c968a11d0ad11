"""Offline mode: answers composed from the knowledge base, no model."""

import io

import pytest
from django.core.management import call_command

from chat.turns.offline import NOTHING_FOUND
from tests.turns.test_turns import open_session, tokens, turn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offline(settings):
    settings.SMOOTH_AGENT_LLM = "offline"
    settings.SMOOAI_GATEWAY_KEY = None  # no key needed
    call_command("kb_seed", stdout=io.StringIO())


async def test_the_return_window_is_answered_word_by_word_with_its_citation(ws, offline):
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "How long is the return window?")
    final = events[-1]["data"]["data"]
    reply = final["response"]["responseParts"][0]
    assert tokens(events) == reply
    assert len([e for e in events if e["type"] == "stream_token"]) > 5
    assert reply.startswith("From Returns policy: ") and "17 days" in reply
    # It cites what it quoted, and only that: no passage it did not draw on.
    assert [citation["id"] for citation in final["citations"]] == ["smooth-demo/policies/returns.md"]
    assert "usage" not in final  # no model, no usage


async def test_nothing_relevant_is_said_plainly(ws, offline):
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "Do you sell submarines?")
    final = events[-1]["data"]["data"]
    assert final["response"]["responseParts"] == [NOTHING_FOUND]
    assert final["response"]["resolutionStatus"] == "needs_more_info"
    assert "citations" not in final  # nothing was drawn on, so nothing is cited
