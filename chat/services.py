"""Writes of the chat domain, each one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agents.models import Agent
from agents.services import register_on_first_use
from chat.models import Conversation, ConversationErasure, Message, OtpChallenge, ParkedTurn, Participant, Session
from chat.turns import stages
from core import metrics
from widget_auth.services import VerifiedIdentity


@dataclass(frozen=True)
class NewSession:
    """What a create_conversation_session stores: checked by the embed checks already."""

    agent: Agent | None  # None: an agent nobody registered, registered on this first use
    agent_id: uuid.UUID
    identity: VerifiedIdentity | None
    user_name: str
    user_email: str | None
    browser_fingerprint: str | None
    browser_info: dict | None
    metadata: dict
    supports: list[str] | None
    origin: str | None = None
    owner_id: str | None = None


def create_session(**fields) -> Session:
    """One session, stored (see create_sessions)."""
    (outcome,) = create_sessions([NewSession(**fields)])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def create_sessions(requests: list[NewSession]) -> list[Session | Exception]:
    """Each request's conversation, both participants and session, all in one transaction:
    four INSERTs for the whole list. Should that transaction fail, each request is stored
    on its own, so one bad request fails alone. A session is returned only once stored."""
    try:
        with transaction.atomic():
            sessions = _insert_sessions(requests)
        metrics.sessions_created.inc(len(sessions))
        return list(sessions)
    except Exception:
        if len(requests) == 1:
            raise
    outcomes: list[Session | Exception] = []
    for request in requests:
        try:
            with transaction.atomic():
                outcomes.extend(_insert_sessions([request]))
            metrics.sessions_created.inc()
        except Exception as exc:
            outcomes.append(exc)
    return outcomes


def _insert_sessions(requests: list[NewSession]) -> list[Session]:
    rows = [_session_rows(request) for request in requests]
    Conversation.objects.bulk_create([conversation for conversation, _, _, _ in rows])
    Participant.objects.bulk_create([participant for _, user, agent, _ in rows for participant in (user, agent)])
    return Session.objects.bulk_create([session for _, _, _, session in rows])


def _session_rows(request: NewSession) -> tuple[Conversation, Participant, Participant, Session]:
    """The conversation, both participants and the session, unsaved. They belong to the
    agent's organisation; an agent nobody registered is registered on this first use."""
    agent = request.agent or register_on_first_use(request.agent_id)
    organization_id, agent_name = agent.organization_id, agent.name
    conversation = Conversation(
        platform=Conversation.Platform.WEB,
        name=f"{request.user_name} and {agent_name}",
        organization_id=organization_id,
        supports=request.supports or [],
    )
    identity = request.identity
    user = Participant(
        conversation=conversation,
        organization_id=organization_id,
        type=Participant.Type.USER,
        # Only a verified authContext sets external_id; nothing a client says does.
        external_id=identity.user_id if identity else None,
        browser_fingerprint=request.browser_fingerprint,
        browser_info=request.browser_info,
        name=request.user_name,
        email=request.user_email,
    )
    agent_participant = Participant(
        conversation=conversation,
        organization_id=organization_id,
        type=Participant.Type.AI_AGENT,
        internal_id=str(agent.id),
        name=agent_name,
    )
    # What the client says stays under "client"; who the host verified goes in columns.
    verified = (
        {
            "verified_user_id": identity.user_id,
            "verified_scheme": identity.scheme,
            "verified_format": identity.format,
            "verified_at": timezone.now(),
        }
        if identity
        else {}
    )
    session = Session(
        conversation=conversation,
        organization_id=organization_id,
        agent=agent,
        agent_name=agent_name,
        origin=request.origin,
        user_participant=user,
        agent_participant=agent_participant,
        thread_id=str(uuid.uuid4()),
        owner_id=request.owner_id,
        metadata={"client": request.metadata},
        **verified,
    )
    return conversation, user, agent_participant, session


def record_user_message(*, session: Session, text: str, request_id: str) -> Message:
    """Store the visitor's message before any model call; count it on the session."""
    return _record_message(session=session, inbound=True, text=text, items=[], tokens=0, request_id=request_id)


def record_reply(*, session: Session, text: str, items: list[dict], tokens: int, request_id: str, passages: int | None = None) -> Message:
    """Store the agent's complete reply; count it and its tokens on the session.
    `passages`: how many the knowledge found for it (0: it found nothing), None when
    no search was made (a stage answered: handoff)."""
    return _record_message(session=session, inbound=False, text=text, items=items, tokens=tokens, request_id=request_id, passages=passages)


# No savepoint of its own when a caller's transaction holds it (the reply is stored with the
# turn's spend, chat.turns.runner): that transaction is all or nothing anyway.
@transaction.atomic(savepoint=False)
def _record_message(
    *, session: Session, inbound: bool, text: str, items: list[dict], tokens: int, request_id: str, passages: int | None = None
) -> Message:
    """`session` as read earlier (its ids do not change); the count update comes first,
    so a session deleted meanwhile is found missing (and nothing stored)."""
    counted = Session.objects.filter(session_id=session.session_id).update(
        message_count=F("message_count") + 1,
        token_count=F("token_count") + tokens,
        last_activity_at=timezone.now(),
        **({"status": Session.Status.ACTIVE} if inbound else {}),
    )
    if not counted:
        raise Session.DoesNotExist(f"session {session.session_id} no longer exists")
    user, agent = session.user_participant_id, session.agent_participant_id
    message = Message.objects.create(
        conversation_id=session.conversation_id,
        session_id=session.session_id,
        organization_id=session.organization_id,
        direction=Message.Direction.INBOUND if inbound else Message.Direction.OUTBOUND,
        content={"text": text, "items": items},
        from_participant_id=user if inbound else agent,
        to_participant_id=agent if inbound else user,
        # The turn it belongs to, and what the knowledge found for a reply (stored, never sent as is).
        metadata={"requestId": request_id} if passages is None else {"requestId": request_id, "passages": passages},
    )
    return message


@transaction.atomic
def mark_visitor_verified(session_id, *, channel: str) -> bool:
    """The session's visitor proved who they are with a one-time code; False if the session is gone."""
    session = Session.objects.select_for_update().filter(session_id=session_id).first()
    if session is None:
        return False
    session.code_verified_channel, session.code_verified_at = channel, timezone.now()
    session.save(update_fields=["code_verified_channel", "code_verified_at", "updated_at"])
    return True


@transaction.atomic
def rate_answer(*, session: Session, message_id: uuid.UUID, rating: str, comment: str) -> str | None:
    """Store the visitor's rating of an answer of `session`'s conversation, replacing any
    earlier one (rating and comment: the last given counts whole). Only an outbound message
    of that conversation and organisation can be rated. Returns the rating it had before
    ("" none), so that a comment sent after its rating is not counted as a second rating;
    None when there is no such answer (an unknown id, a question, another conversation's)."""
    earlier = (
        Message.objects.select_for_update()
        .filter(
            id=message_id,
            conversation_id=session.conversation_id,
            organization_id=session.organization_id,
            direction=Message.Direction.OUTBOUND,
        )
        .values_list("feedback", flat=True)
        .first()
    )
    if earlier is None:
        return None
    now = timezone.now()
    Message.objects.filter(id=message_id).update(feedback=rating, feedback_comment=comment, feedback_at=now, updated_at=now)
    return earlier


# What an erasure leaves of the visitor's participant: nothing that names or tells them apart.
_BLANK_VISITOR: dict[str, Any] = {
    "name": "",
    "email": None,
    "phone": None,
    "external_id": None,
    "crm_contact_id": None,
    "browser_fingerprint": None,
    "browser_info": None,
    "metadata": {},
}


@transaction.atomic
def erase_conversation(*, session: Session, audited: bool) -> int:
    """The visitor of `session` deletes their conversation, all of it or nothing: every
    message (their ratings with them), the visitor's personal fields, what their client
    said about them, any code sent to them and any turn parked on them, and what the
    installed apps keep of the conversation (a stage's `erase_conversation(conversation_id)`:
    chat.turns.stages). `audited`: a ConversationErasure records that it happened, without
    content. Returns how many messages went. The session, its binding and its
    conversation stay, empty: a new message starts a new history."""
    conversation_id, organization_id, now = session.conversation_id, session.organization_id, timezone.now()
    if session.agent_id is None:  # chat.binding refuses a session without an agent before any action
        raise ValueError(f"session {session.session_id} has no agent")
    _, deleted = Message.objects.filter(conversation_id=conversation_id, organization_id=organization_id).delete()
    count = deleted.get(Message._meta.label, 0)
    Participant.objects.filter(conversation_id=conversation_id, type=Participant.Type.USER).update(**_BLANK_VISITOR, updated_at=now)
    Conversation.objects.filter(id=conversation_id).update(name=f"Visitor and {session.agent_name}", metadata={}, updated_at=now)
    sessions = Session.objects.filter(conversation_id=conversation_id)
    sessions.update(metadata={}, message_count=0, updated_at=now)
    OtpChallenge.objects.filter(session__in=sessions).delete()
    ParkedTurn.objects.filter(session__in=sessions).delete()  # its loop state holds the conversation
    for erase in stages.hooks(stages.configured(), "erase_conversation"):
        erase(conversation_id)
    if audited:
        ConversationErasure.objects.create(
            organization_id=organization_id,
            agent_id=session.agent_id,
            conversation_id=conversation_id,
            session_id=session.session_id,
            requested_by=session.user_participant_id,
            messages=count,
            erased_at=now,
        )
    return count
