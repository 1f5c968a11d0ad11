"""Knowledge as a stage of every turn (chat.turns.stages names the points): the passages
that answer the question, as the reader of the session may read them, become the turn's
context. The question is embedded on the model's threads and ranked on a search thread
with a database connection of its own (knowledge.retrieval): neither on the event loop nor
on the thread that serves every socket's database work. None come back when the
relevance decision finds that the knowledge does not answer."""

from __future__ import annotations

from typing import Protocol

from identity.access import AccessContext
from knowledge import retrieval

PASSAGES = 3  # the auto-context: the passages a turn's answer is grounded on


class Turn(Protocol):
    """What this stage reads of a turn (chat.turns.stages.StageTurn)."""

    question: str
    access: AccessContext


class Context:
    name = "knowledge"

    async def context(self, turn: Turn) -> list[retrieval.SearchResult]:
        return await retrieval.search(turn.question, turn.access, limit=PASSAGES)
