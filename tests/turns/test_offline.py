"""Offline mode: answers composed from the knowledge base, no model."""

import io

import pytest
from django.core.management import call_command

from chat.turns.offline import NOTHING_FOUND
from tests.helpers import text_of, turn
from tests.turns.test_turns import open_session, stored

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
    assert text_of(events) == reply
    assert len([e for e in events if e["type"] == "stream_token"]) > 5
    assert reply.startswith("From Returns policy: ") and "17 days" in reply
    # It cites what it quoted, and only that: no passage it did not draw on.
    assert [citation["id"] for citation in final["citations"]] == ["smooth-demo/policies/returns.md"]
    assert "usage" not in final  # no model, no usage
    (reply_row,) = await stored("outbound")
    assert reply_row.metadata["passages"] == 1  # what grounded it, for the operator's view


async def test_nothing_relevant_is_said_plainly(ws, offline):
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "Do you sell submarines?")
    final = events[-1]["data"]["data"]
    assert final["response"]["responseParts"] == [NOTHING_FOUND]
    assert final["response"]["resolutionStatus"] == "needs_more_info"
    assert "citations" not in final  # nothing was drawn on, so nothing is cited
    (reply_row,) = await stored("outbound")
    assert reply_row.metadata["passages"] == 0  # a question the knowledge found nothing for


def passage(source: str, title: str, text: str, score: float):
    from knowledge.retrieval import SearchResult

    return SearchResult(document_id=source, chunk_id=hash(source) % 1000, text=text, score=score, source=source, title=title, url=None)


def test_the_sentence_that_answers_leads_not_the_intro_that_shares_a_word():
    from chat.turns.offline import compose_reply

    bill = passage(
        "bill.md",
        "Your bill",
        "Your bill has three parts. Prices include VAT. You can dispute a charge within 60 days of the bill date. "
        "Business customers get invoices.",
        0.6,
    )
    reply, used = compose_reply("how long do I have to dispute a charge on my bill", [bill])
    assert reply.startswith("From Your bill: You can dispute a charge within 60 days of the bill date.")
    assert "three parts" not in reply
    assert used == [bill]


def test_at_most_three_sentences_and_only_the_quoted_documents_are_cited():
    from chat.turns.offline import MAX_SENTENCES, compose_reply

    strong = passage(
        "roaming.md",
        "Roaming",
        "Roaming in the EU costs nothing extra. EU roaming uses your allowance. Roaming EU fair use applies. EU roaming passes exist.",
        0.8,
    )
    unrelated = passage("hours.md", "Opening hours", "We are open every day.", 0.3)
    reply, used = compose_reply("roaming in the EU", [strong, unrelated])
    assert reply.count(". ") + 1 <= MAX_SENTENCES
    assert used == [strong] and "open every day" not in reply


def test_a_figure_question_prefers_the_sentence_with_the_figure_and_weak_passages_count_less():
    from chat.turns.offline import compose_reply

    late = passage("late.md", "Late payments", "A late payment is retried. The late payment fee is 8 euros.", 0.7)
    other = passage("bill.md", "Your bill", "Late payment fees appear on the next bill, with the late payment date.", 0.2)
    reply, used = compose_reply("how much is the late payment fee", [late, other])
    assert reply.startswith("From Late payments: The late payment fee is 8 euros.")
    assert used[0] is late


def test_no_passage_or_no_shared_word_nor_meaning_is_nothing_found():
    from chat.turns.offline import compose_reply

    assert compose_reply("anything", []) == (NOTHING_FOUND, [])
    assert compose_reply("submarines", [passage("a.md", "A", "Parcels ship daily.", 0.5)]) == (NOTHING_FOUND, [])


def test_a_question_in_another_language_is_answered_by_meaning():
    from chat.turns.offline import compose_reply

    shipping = passage("s.md", "Shipping", "Expedited shipping costs 15 dollars. Returns are free.", 0.5)
    reply, used = compose_reply("¿Cuánto cuesta el envío urgente?", [shipping])
    assert reply.startswith("From Shipping: Expedited shipping costs 15 dollars.")
    assert used == [shipping]
