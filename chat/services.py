"""Writes of the chat domain, each one transaction."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agents.models import Agent
from agents.services import register_on_first_use
from chat.models import Conversation, Message, Participant, Session
from widget_auth.services import VerifiedIdentity


@transaction.atomic
def create_session(
    *,
    agent: Agent | None,
    agent_id: uuid.UUID,
    identity: VerifiedIdentity | None,
    user_name: str,
    user_email: str | None,
    browser_fingerprint: str | None,
    browser_info: dict | None,
    metadata: dict,
    supports: list[str] | None,
    origin: str | None = None,
    owner_id: str | None = None,
) -> Session:
    """The conversation, both participants and the session: all stored, or none.
    They belong to the agent's organisation; an agent nobody registered (`agent`
    None) is registered on this first use."""
    agent = agent or register_on_first_use(agent_id)
    organization_id, agent_name = agent.organization_id, agent.name
    conversation = Conversation.objects.create(
        platform=Conversation.Platform.WEB,
        name=f"{user_name} and {agent_name}",
        organization_id=organization_id,
        supports=supports or [],
    )
    user = Participant.objects.create(
        conversation=conversation,
        organization_id=organization_id,
        type=Participant.Type.USER,
        # Only a verified authContext sets external_id; nothing a client says does.
        external_id=identity.user_id if identity else None,
        browser_fingerprint=browser_fingerprint,
        browser_info=browser_info,
        name=user_name,
        email=user_email,
    )
    agent_participant = Participant.objects.create(
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
    return Session.objects.create(
        conversation=conversation,
        organization_id=organization_id,
        agent=agent,
        agent_name=agent_name,
        origin=origin,
        user_participant=user,
        agent_participant=agent_participant,
        thread_id=str(uuid.uuid4()),
        owner_id=owner_id,
        metadata={"client": metadata},
        **verified,
    )


def record_user_message(*, session: Session, text: str, request_id: str) -> Message:
    """Store the visitor's message before any model call; count it on the session."""
    return _record_message(session=session, inbound=True, text=text, items=[], tokens=0, request_id=request_id)


def record_reply(*, session: Session, text: str, items: list[dict], tokens: int, request_id: str) -> Message:
    """Store the agent's complete reply; count it and its tokens on the session."""
    return _record_message(session=session, inbound=False, text=text, items=items, tokens=tokens, request_id=request_id)


# No savepoint of its own when a caller's transaction holds it (the reply is stored with the
# turn's spend, chat.turns.runner): that transaction is all or nothing anyway.
@transaction.atomic(savepoint=False)
def _record_message(*, session: Session, inbound: bool, text: str, items: list[dict], tokens: int, request_id: str) -> Message:
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
        metadata={"requestId": request_id},  # the turn it belongs to (stored, never sent as is)
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
