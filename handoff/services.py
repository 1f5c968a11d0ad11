"""Marking a conversation as waiting for a person."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from handoff.models import Handoff


@transaction.atomic
def escalate(session, *, reason: str, source: str) -> Handoff:
    """The conversation waits for a person. Asked again while it waits, it keeps its place
    in the queue (requested_at) and takes the newest reason."""
    handoff = Handoff.objects.select_for_update().filter(conversation_id=session.conversation_id).first()
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
