"""Escalations in the operator's view (chat.insights, which imports this module once, as
Django's admin imports each app's `admin`): conversations that asked for a person, by
the agent of the turn that asked and the day of the latest request. One row per
conversation is kept (handoff.models.Handoff), so a conversation counts once, on the day
it last asked; one an operator took over unasked is no escalation."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Count, F
from django.db.models.functions import TruncDate

from chat.insights import DailyCount, DailyRows, Organizations, register_daily_count, start_of
from handoff.models import Handoff


def escalations(organizations: Organizations, since: date, agent_id: uuid.UUID | None) -> DailyRows:
    handoffs = Handoff.objects.filter(requested_at__gte=start_of(since), session__agent__isnull=False).exclude(
        source=Handoff.Source.OPERATOR
    )
    if organizations is not None:
        handoffs = handoffs.filter(organization_id__in=organizations)
    if agent_id is not None:
        handoffs = handoffs.filter(session__agent_id=agent_id)
    return (
        handoffs.values(agent=F("session__agent_id"), day=TruncDate("requested_at"))
        .annotate(escalations=Count("pk"))
        .order_by()
        .values_list("agent", "day", "escalations")
    )


register_daily_count(
    DailyCount("escalations", "escalations", "conversations that asked for a person, on the day they last asked", escalations)
)
