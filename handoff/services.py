"""A conversation's handoff: waiting for a person, taken over, answered, handed back.

Every step is stored: the operator is a human-agent participant of the conversation, and
joining, each reply and handing back are messages from that participant, so the history
and the admin show who said what. The sync functions here run on the database thread;
chat.operators publishes what they return.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from chat.models import Conversation, Message, Participant, Session
from core import metrics
from handoff.models import Handoff


class NotYours(Exception):
    """The conversation is held by another operator (take it over from them explicitly)."""

    def __init__(self, holder_name: str):
        super().__init__(f"held by {holder_name}")
        self.holder_name = holder_name


class NotHolding(Exception):
    """Only the operator who holds a conversation may reply in it or hand it back."""


class AlreadyHolding(Exception):
    """The operator holds the conversation already."""


@transaction.atomic
def escalate(session, *, reason: str, source: str) -> Handoff:
    """The conversation waits for a person. Asked again while it waits, it keeps its place
    in the queue (requested_at) and takes the newest reason. One already held stays held."""
    handoff = Handoff.objects.select_for_update().filter(conversation_id=session.conversation_id).first()
    if handoff is not None and handoff.state == Handoff.State.HELD:
        return handoff
    if handoff is None or handoff.state != Handoff.State.WAITING:  # newly waiting (asked again while waiting: counted once)
        transaction.on_commit(metrics.escalations.labels(agent=str(session.agent_id or "")).inc)
    if handoff is None:
        handoff = Handoff(conversation_id=session.conversation_id, requested_at=timezone.now())
    elif handoff.state != Handoff.State.WAITING:
        handoff.requested_at = timezone.now()
    handoff.organization_id = session.organization_id
    handoff.session_id = session.session_id
    handoff.state = Handoff.State.WAITING
    handoff.source = source
    handoff.reason = reason[:500]
    handoff.save()
    return handoff


def holder_of(session: Session) -> str | None:
    """The name of the person holding the session's conversation, or None (the AI answers).
    Reads the handoff loaded with the turn's session (handoff.stages: session_related)."""
    try:
        handoff = session.conversation.handoff
    except Handoff.DoesNotExist:
        return None
    return handoff.holder_name if handoff.state == Handoff.State.HELD else None


@dataclass(frozen=True)
class Step:
    """What an operator's action stored, for publishing: the message to the visitor's sessions."""

    conversation_id: str
    organization_id: str
    session_ids: list[str]
    request_id: str  # Smooth's, for the eventual_response that carries it
    message_id: str
    text: str
    author: str
    event: str  # "joined", "taken", "message", "returned"
    previous_holder: str | None = None


def conversation_of(conversation_id, organizations: set[str] | None) -> Conversation:
    """The conversation, in one of `organizations` (None: any); Conversation.DoesNotExist
    otherwise, exactly as for an unknown id."""
    conversation = Conversation.objects.filter(id=conversation_id).first()
    if conversation is None or (organizations is not None and conversation.organization_id not in organizations):
        raise Conversation.DoesNotExist
    return conversation


@transaction.atomic
def take_over(conversation: Conversation, *, user_id: str, name: str, take_from: bool = False) -> Step:
    handoff = Handoff.objects.select_for_update().filter(conversation_id=conversation.id).first()
    previous = None
    if handoff is not None and handoff.state == Handoff.State.HELD:
        if handoff.holder_user_id == user_id:
            raise AlreadyHolding
        if not take_from:
            raise NotYours(handoff.holder_name)
        previous = handoff.holder_name
    if handoff is not None and handoff.state == Handoff.State.WAITING:  # a person answers an escalation
        transaction.on_commit(partial(metrics.takeover_seconds.observe, (timezone.now() - handoff.requested_at).total_seconds()))
    if handoff is None:
        handoff = Handoff(conversation=conversation, requested_at=timezone.now(), source=Handoff.Source.OPERATOR)
    handoff.organization_id = conversation.organization_id
    participant = _operator(conversation, user_id, name)
    handoff.state = Handoff.State.HELD
    handoff.holder_user_id, handoff.holder_name, handoff.holder_participant = user_id, name, participant
    handoff.held_since = timezone.now()
    handoff.save()
    text = f"{name} took over this conversation from {previous}." if previous else f"{name} joined the conversation."
    return _say(conversation, participant, text, event="taken" if previous else "joined", previous=previous)


@transaction.atomic
def reply(conversation: Conversation, *, user_id: str, text: str) -> Step:
    handoff = _held_by(conversation, user_id)
    return _say(conversation, handoff.holder_participant, text, event="message")


@transaction.atomic
def hand_back(conversation: Conversation, *, user_id: str) -> Step:
    handoff = _held_by(conversation, user_id)
    participant, name = handoff.holder_participant, handoff.holder_name
    handoff.state = Handoff.State.RETURNED
    handoff.holder_user_id, handoff.holder_name, handoff.holder_participant, handoff.held_since = "", "", None, None
    handoff.save()
    return _say(conversation, participant, f"{name} handed the conversation back to the assistant.", event="returned", author=name)


def _held_by(conversation: Conversation, user_id: str) -> Handoff:
    handoff = (
        Handoff.objects.select_for_update(of=("self",)).select_related("holder_participant").filter(conversation_id=conversation.id).first()
    )
    if handoff is None or handoff.state != Handoff.State.HELD or handoff.holder_user_id != user_id:
        raise NotHolding
    return handoff


def _operator(conversation: Conversation, user_id: str, name: str) -> Participant:
    participant, _ = Participant.objects.get_or_create(
        conversation=conversation,
        type=Participant.Type.HUMAN_AGENT,
        internal_id=f"user:{user_id}",
        defaults={"organization_id": conversation.organization_id, "name": name},
    )
    if participant.name != name:
        participant.name = name
        participant.save(update_fields=["name", "updated_at"])
    return participant


def _say(conversation, participant, text: str, *, event: str, previous: str | None = None, author: str | None = None) -> Step:
    """Store what the operator said (or did) as their message to the conversation's visitor."""
    sessions = list(
        Session.objects.filter(conversation=conversation).order_by("-last_activity_at").values_list("session_id", "user_participant_id")
    )
    request_id = f"human-{uuid.uuid4()}"
    message = Message.objects.create(
        conversation=conversation,
        session_id=sessions[0][0] if sessions else None,
        organization_id=conversation.organization_id,
        direction=Message.Direction.OUTBOUND,
        content={"text": text, "items": []},
        from_participant=participant,
        to_participant_id=sessions[0][1] if sessions else None,
        metadata={"requestId": request_id, "handoff": event},
    )
    return Step(
        conversation_id=str(conversation.id),
        organization_id=conversation.organization_id,
        session_ids=[str(session_id) for session_id, _ in sessions],
        request_id=request_id,
        message_id=str(message.id),
        text=text,
        author=author or participant.name,
        event=event,
        previous_holder=previous,
    )
