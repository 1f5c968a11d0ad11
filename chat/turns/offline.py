"""Offline answers (SMOOTH_AGENT_LLM=offline): no model; the reply is composed
from the best passages the requester may read, and says plainly when nothing
relevant was found."""

from __future__ import annotations

import asyncio
import re

from chat.turns.citations import passage_text
from chat.turns.outcome import TurnOutcome
from knowledge.embeddings import terms

NOTHING_FOUND = "I could not find anything about that in the knowledge base. Could you rephrase, or ask a person on our team?"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MAX_SENTENCES = 3
WORD_DELAY_SECONDS = 0.015


def compose_reply(question: str, results) -> tuple[str, list]:
    """The sentences of the best passage that share words with the question (at most
    three, in their order), introduced by the passage's title; and the passages the
    reply drew on (the one, or none), which are all it may cite."""
    wanted = set(terms(question))
    for result in results:
        sentences = _SENTENCE.split(passage_text(result.text, result.metadata))
        relevant = [sentence for sentence in sentences if wanted & set(terms(sentence))]
        if relevant:
            return f"From {result.title}: " + " ".join(relevant[:MAX_SENTENCES]), [result]
    return NOTHING_FOUND, []


def words_of(reply: str) -> list[str]:
    """The reply as word-sized tokens whose concatenation is the reply."""
    return re.findall(r"\S+\s*", reply)


async def offline_turn(events, question: str, results) -> TurnOutcome:
    """The composed reply, streamed word by word at a reading pace (so it visibly streams)."""
    reply, used = compose_reply(question, results)
    for index, word in enumerate(words_of(reply)):
        if index:
            await asyncio.sleep(WORD_DELAY_SECONDS)
        await events.token(word)
    return TurnOutcome(reply, [], None, grounding=used)
