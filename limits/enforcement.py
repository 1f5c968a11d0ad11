"""Enforce or only report: like CSP's report-only, an agent (or the whole server, with
SMOOTH_ENFORCEMENT=report) can run with every limit watching and none refusing.

What report-only lets through is logged and counted per agent, kind, origin, reason and
hour (ReportedRefusal), so an operator can read a week of "would have refused" before
switching enforcement on. It covers the embed policy's origin and authContext checks,
the rate limits and the spend budgets. It never grants anything: an authContext that
fails is let through as an unverified visitor, not as the user it names. An agent or a
policy switched off, and another organisation's caller, are refused in either mode.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from core import metrics
from limits.models import ReportedRefusal

logger = logging.getLogger(__name__)
ENFORCE, REPORT = "enforce", "report"
Kind = ReportedRefusal.Kind
# The Origin header is the client's word: past this many origins an agent's hour counts the
# rest as one, so a flood of made-up origins cannot grow the table without end.
ORIGINS_PER_HOUR = 50
OTHER_ORIGINS = "(other origins)"


def reporting(agent) -> bool:
    """Whether `agent`'s refusals are only reported: its own mode, else the server's. None
    (a server-wide limit, before any agent is named) follows the server's."""
    own = getattr(agent, "enforcement", "") if agent is not None else ""
    return (own or settings.SMOOTH_ENFORCEMENT) == REPORT


def report(*, agent, kind: str, reason: str, origin: str | None) -> None:
    """Count (and log) one refusal that report-only mode let through. Rows tell origins apart
    for origin refusals only (the rest are counted by kind; the log line has the origin)."""
    metrics.refusals.labels(kind=kind, mode=metrics.REPORT_ONLY).inc()
    agent_id = str(agent.id) if agent is not None else ""
    logger.warning("report-only: would have refused (%s: %s) for agent %s from origin %s", kind, reason, agent_id or "-", origin or "-")
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    table, ops = ReportedRefusal._meta.db_table, connection.ops
    origin = (origin or "")[:512] if kind == Kind.ORIGIN else ""
    with connection.cursor() as cursor:
        if kind == Kind.ORIGIN:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN origin = %s THEN 1 ELSE 0 END), 0) FROM {table} "
                "WHERE agent_id = %s AND kind = %s AND hour = %s",
                [origin, agent_id, kind, ops.adapt_datetimefield_value(hour)],
            )
            rows, own = cursor.fetchone()
            if not own and rows >= ORIGINS_PER_HOUR:
                origin = OTHER_ORIGINS
        cursor.execute(  # one statement, atomic in both databases
            f"INSERT INTO {table} (agent_id, organization_id, kind, origin, reason, hour, count, last_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, 1, %s) "
            "ON CONFLICT (agent_id, kind, origin, reason, hour) "
            f"DO UPDATE SET count = {table}.count + 1, last_at = excluded.last_at",
            [
                agent_id,
                getattr(agent, "organization_id", "") or "",
                kind,
                origin,
                reason[:200],
                ops.adapt_datetimefield_value(hour),
                ops.adapt_datetimefield_value(now),
            ],
        )


async def areport(**kwargs) -> None:
    await database_sync_to_async(report)(**kwargs)


def would_have_refused(agent_id, *, hours: int = 24) -> list[tuple[str, str, int]]:
    """(kind, origin, count) over the last `hours` for one agent, largest first. Only origin
    refusals keep their origin (report), so the rest are counted by kind."""
    return would_have_refused_of([agent_id], hours=hours)[str(agent_id)]


def would_have_refused_of(agent_ids, *, hours: int = 24) -> dict[str, list[tuple[str, str, int]]]:
    """would_have_refused() of each agent (by id as text), in one query."""
    since = (timezone.now() - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    keys = [str(agent_id) for agent_id in agent_ids]
    rows = ReportedRefusal.objects.filter(agent_id__in=keys, hour__gte=since)
    totals = rows.values("agent_id", "kind", "origin").annotate(total=Sum("count")).order_by("agent_id", "-total", "kind", "origin")
    found: dict[str, list[tuple[str, str, int]]] = {key: [] for key in keys}
    for row in totals:
        found[str(row["agent_id"])].append((row["kind"], row["origin"], row["total"]))
    return found


def summary(agent_id, *, hours: int = 24) -> str:
    """'would have refused: 37 from https://evil.example (origin), 12 (rate limit) in the last 24 h'."""
    rows = would_have_refused(agent_id, hours=hours)
    if not rows:
        return f"would have refused: nothing in the last {hours} h"
    labels = dict(Kind.choices)
    parts = [
        f"{count} from {origin or 'no origin'} ({labels[kind]})" if kind == Kind.ORIGIN else f"{count} ({labels[kind]})"
        for kind, origin, count in rows
    ]
    return f"would have refused: {', '.join(parts)} in the last {hours} h"
