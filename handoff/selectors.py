"""The inbox's list: an organisation's live conversations, waiting for a person first
(the longest wait first), then held by one, then active, then recent. A row shows the
visitor's last message; a session in which nothing was said yet (a page view) is not listed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from chat.models import Message, Session
from handoff import inbox_protocol as wire
from handoff.models import Handoff

RECENT_HOURS = 24
ACTIVE_MINUTES = 10
MAX_ROWS = 100
ORDER = {"waiting": 0, "held": 1, "active": 2, "recent": 3}


def _scoped(queryset, organizations: set[str] | None):
    return queryset if organizations is None else queryset.filter(organization_id__in=organizations)


def inbox(organizations: set[str] | None) -> list[dict]:
    now = timezone.now()
    last = Message.objects.filter(conversation=OuterRef("conversation"), direction=Message.Direction.INBOUND).order_by("-created_at")
    recent = (
        _scoped(Session.objects, organizations)
        .filter(last_activity_at__gte=now - timedelta(hours=RECENT_HOURS))
        .filter(Q(message_count__gt=0) | Q(conversation__handoff__state__in=[Handoff.State.WAITING, Handoff.State.HELD]))
        .select_related("user_participant", "conversation__handoff")
        .annotate(last_text=Subquery(last.values("content__text")[:1]), last_at=Subquery(last.values("created_at")[:1]))
        .order_by("-last_activity_at")[:MAX_ROWS]
    )
    waiting = _scoped(Handoff.objects, organizations).filter(state__in=[Handoff.State.WAITING, Handoff.State.HELD])
    rows: dict[str, dict] = {}
    for session in recent:
        rows.setdefault(str(session.conversation_id), _row(session, now))
    missing = [handoff.session_id for handoff in waiting if str(handoff.conversation_id) not in rows and handoff.session_id]
    if missing:  # waiting longer than the recent window: still listed
        older = (
            Session.objects.filter(session_id__in=missing)
            .select_related("user_participant", "conversation__handoff")
            .annotate(last_text=Subquery(last.values("content__text")[:1]), last_at=Subquery(last.values("created_at")[:1]))
        )
        for session in older:
            rows.setdefault(str(session.conversation_id), _row(session, now))
    return sorted(rows.values(), key=_place)


def _place(row: dict) -> tuple:
    """Waiting first, the longest wait first; then held, active and recent, the latest activity first."""
    return (ORDER[row["state"]], row["since"] if row["state"] == "waiting" else "", -datetime.fromisoformat(row["activeAt"]).timestamp())


def _row(session, now) -> dict:
    handoff = session.conversation.handoff if hasattr(session.conversation, "handoff") else None  # hasattr: none yet
    state = handoff.state if handoff is not None and handoff.state in (Handoff.State.WAITING, Handoff.State.HELD) else None
    if state is None:
        state = "active" if session.last_activity_at >= now - timedelta(minutes=ACTIVE_MINUTES) else "recent"
    if handoff is not None and state in ("waiting", "held"):
        since = handoff.requested_at if state == "waiting" else handoff.held_since
    else:
        since = session.last_activity_at
    return wire.conversation_row(
        conversation_id=str(session.conversation_id),
        session_id=str(session.session_id),
        organization_id=session.organization_id,
        visitor=session.user_participant.name if session.user_participant_id else "Visitor",
        agent=session.agent_name,
        last_message=(session.last_text or "")[:200],
        last_at=session.last_at.isoformat() if session.last_at else None,
        state=state,
        holder=handoff.holder_name if handoff is not None and state == "held" else None,
        reason=handoff.reason if handoff is not None and state == "waiting" else None,
        since=since.isoformat(),
        active_at=session.last_activity_at.isoformat(),
    )


def history(conversation, limit: int = 100) -> list[dict]:
    messages = Message.objects.filter(conversation=conversation).select_related("from_participant").order_by("-created_at")[:limit]
    return [
        wire.history_message(
            message_id=str(message.id),
            direction=message.direction,
            author_type=message.from_participant.type if message.from_participant else None,
            author_name=message.from_participant.name if message.from_participant else None,
            text=message.text,
            handoff=message.metadata.get("handoff"),
            at=message.created_at.isoformat(),
        )
        for message in reversed(list(messages))
    ]


def handoff_of(conversation) -> dict:
    handoff = Handoff.objects.filter(conversation=conversation).first()
    if handoff is None:
        return wire.handoff_state(state=None, holder=None, holder_user_id=None, reason=None)
    held = handoff.state == Handoff.State.HELD
    return wire.handoff_state(
        state=handoff.state,
        holder=handoff.holder_name if held else None,
        holder_user_id=handoff.holder_user_id if held else None,
        reason=handoff.reason,
    )


def waiting_count() -> int:
    """Conversations waiting for a person now, in every organisation (/metrics)."""
    return Handoff.objects.filter(state=Handoff.State.WAITING).count()
