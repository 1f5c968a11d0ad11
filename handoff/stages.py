"""Handoff as a stage of every turn (chat.turns.stages names the points): a conversation a
person holds gets no answer from the agent (the visitor's message is stored and shown to
that person), a visitor who asks for a person gets the escalation reply without the model,
every visitor message reaches the inbox, and a reply that asks for a person (the model's
escalate_to_human, or the words above) opens the handoff in the reply's transaction and
tells the operators after it."""

from __future__ import annotations

import uuid

from django.conf import settings

from chat.turns.outcome import Escalation
from chat.turns.stages import Ending, StageTurn
from handoff import live, notify, phrases, services
from handoff.models import Handoff as HandoffRecord

ASKED_FOR_A_PERSON = Escalation("the visitor asked for a person", "phrase")
HELD = Ending()  # a person holds the conversation: the turn ends `cancelled`, the person answers


class Handoff:
    name = "handoff"
    session_related = ("conversation__handoff",)  # holder_of reads it: no query of its own

    def open(self, turn: StageTurn) -> Ending | None:
        if turn.resumed:
            return None
        holder = turn.kept[self.name] = services.holder_of(turn.session)
        return HELD if holder is not None else None

    async def opened(self, turn: StageTurn) -> Ending | None:
        if turn.resumed:
            return None
        holder = turn.kept[self.name]
        await live.visitor_said(turn.session, turn.question, held_by=holder)
        if holder is not None:
            return HELD
        if phrases.asks_for_a_person(turn.question):  # no model (nor budget) needed: offline too
            return Ending(settings.SMOOTH_ESCALATION_REPLY, ASKED_FOR_A_PERSON)
        return None

    def on_reply(self, turn: StageTurn) -> None:
        if turn.escalation is None:
            return
        session = turn.session
        waiting = services.escalate(session, reason=turn.escalation.reason, source=turn.escalation.source)
        visitor = session.user_participant.name if session.user_participant_id else "A visitor"
        turn.kept["escalation event"] = notify.escalation_event(
            waiting, agent_name=session.agent_name, visitor=visitor, last_message=turn.question
        )

    async def replied(self, turn: StageTurn) -> None:
        event = turn.kept.pop("escalation event", None)
        if event is not None:
            await notify.announce(event)

    def erase_conversation(self, conversation_id: uuid.UUID) -> None:
        """The handoff stays (a person holding the conversation still holds it), but its
        reason, the model's summary of what the visitor wanted, goes with the messages."""
        HandoffRecord.objects.filter(conversation_id=conversation_id).update(reason="")
