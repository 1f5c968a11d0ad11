"""How each agent did, day by day: the figures of the operator's view in the admin
(chat.admin, "How agents did"), and the questions the knowledge found nothing for, so
that the help centre can fill the gap.

Per agent and day (UTC), over the last 30 days: conversations in which the visitor
asked something, turns (the visitor's messages), answers that found nothing (a reply
whose knowledge search returned no passage: `metadata.passages == 0`), the visitors'
ratings (on the day of the answer rated), and, from the apps that keep them, tokens
and cost (limits' spend of the agent's day) and escalations (handoff registers them
here: chat never reads an app above it).

Everything is aggregated in the database, in a fixed number of queries whatever the
number of rows: the agents, the messages, the spend, one per registered figure, and
the found-nothing list.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from agents.models import Agent
from chat.models import Message

LIMITS = apps.is_installed("limits")  # tokens and cost are its record (Spend)
if LIMITS:
    from limits.amounts import format_usd
    from limits.models import Spend

DAYS = 30
FOUND_NOTHING_SHOWN = 100  # the newest; the rest wait until these are answered

# None: every organisation (a superuser); else the organisations a staff user works for.
Organizations = set[str] | None
# A registered figure's rows: (agent id, day, how many).
DailyRows = Iterable[tuple[uuid.UUID, date, int]]


@dataclass(frozen=True)
class DailyCount:
    """A figure an app above chat adds to each agent's day (handoff: escalations).
    `rows(organizations, since, agent_id)` returns (agent id, day, count) for days from
    `since` on, in one query; `agent_id` None means every agent."""

    name: str
    heading: str  # the column's
    meaning: str  # what it counts, in a phrase the view's explanation reads
    rows: Callable[[Organizations, date, uuid.UUID | None], DailyRows]


_daily_counts: dict[str, DailyCount] = {}


def register_daily_count(count: DailyCount) -> None:
    """Called by an app's `insights` module, which the view imports once (as Django's admin
    imports each app's `admin`); registering a name again replaces it."""
    _daily_counts[count.name] = count


@cache
def _discover() -> None:
    autodiscover_modules("insights")


def daily_counts() -> list[DailyCount]:
    _discover()
    return list(_daily_counts.values())


@dataclass
class AgentDay:
    """One agent's day; `agent_id` None for the totals of the days shown."""

    agent_id: uuid.UUID | None
    agent_name: str
    day: date | None
    conversations: int = 0
    turns: int = 0
    found_nothing: int = 0
    helpful: int = 0
    not_helpful: int = 0
    tokens: int = 0
    nano_usd: int = 0
    counts: list[int] = field(default_factory=list)  # the registered figures, in Insights.counts' order

    @property
    def cost_usd(self) -> str:
        return format_usd(self.nano_usd) if LIMITS else ""


@dataclass(frozen=True)
class FoundNothing:
    """A question the knowledge found no passage for."""

    asked_at: datetime
    question: str
    agent_id: uuid.UUID
    agent_name: str
    conversation_id: uuid.UUID


@dataclass(frozen=True)
class Insights:
    since: date
    agents: list[tuple[uuid.UUID, str]]  # the organisations' agents, by name: the filter's choices
    days: list[AgentDay]  # newest day first, then by agent name
    totals: AgentDay  # of the days shown
    found_nothing: list[FoundNothing]  # newest first, at most FOUND_NOTHING_SHOWN
    counts: list[DailyCount]  # the registered figures each day carries
    spend_kept: bool  # limits is installed: tokens and cost are known


def _scoped(queryset, organizations: Organizations):
    return queryset if organizations is None else queryset.filter(organization_id__in=organizations)


def insights(*, organizations: Organizations, agent_id: uuid.UUID | None = None, today: date | None = None) -> Insights:
    """The operator's view for `organizations`, for one agent or (None) all of theirs."""
    since = (today or timezone.localdate()) - timedelta(days=DAYS - 1)
    agents = list(_scoped(Agent.objects.order_by("name", "id"), organizations).values_list("id", "name"))
    names = dict(agents)
    counts = daily_counts()
    days: dict[tuple[uuid.UUID, date], AgentDay] = {}

    def day_of(agent: uuid.UUID, day: date) -> AgentDay:
        if (agent, day) not in days:
            days[agent, day] = AgentDay(agent, names.get(agent, str(agent)), day, counts=[0] * len(counts))
        return days[agent, day]

    for row in _message_figures(organizations, since, agent_id):
        figures = day_of(row.pop("agent"), row.pop("day"))
        for name, value in row.items():
            setattr(figures, name, value)
    if LIMITS:
        for agent, day, tokens, nano_usd in _spend(organizations, since, agent_id):
            figures = day_of(agent, day)
            figures.tokens, figures.nano_usd = tokens, nano_usd
    for index, count in enumerate(counts):
        for agent, day, value in count.rows(organizations, since, agent_id):
            day_of(agent, day).counts[index] = value
    ordered = sorted(days.values(), key=lambda figures: (-figures.day.toordinal() if figures.day else 0, figures.agent_name))
    return Insights(
        since=since,
        agents=agents,
        days=ordered,
        totals=_totals(ordered, len(counts)),
        found_nothing=found_nothing(organizations=organizations, since=since, agent_id=agent_id, names=names),
        counts=counts,
        spend_kept=LIMITS,
    )


def _totals(days: list[AgentDay], counts: int) -> AgentDay:
    totals = AgentDay(None, "All", None, counts=[0] * counts)
    for figures in days:
        for name in ("conversations", "turns", "found_nothing", "helpful", "not_helpful", "tokens", "nano_usd"):
            setattr(totals, name, getattr(totals, name) + getattr(figures, name))
        totals.counts = [total + value for total, value in zip(totals.counts, figures.counts, strict=True)]
    return totals


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _answers(organizations: Organizations, since: date, agent_id: uuid.UUID | None):
    messages = _scoped(Message.objects.filter(created_at__gte=start_of(since), session__agent__isnull=False), organizations)
    return messages if agent_id is None else messages.filter(session__agent_id=agent_id)


def _message_figures(organizations: Organizations, since: date, agent_id: uuid.UUID | None) -> list[dict]:
    """Every message-based figure of every agent's day, in one GROUP BY."""
    asked = Q(direction=Message.Direction.INBOUND)
    return list(
        _answers(organizations, since, agent_id)
        .values(agent=F("session__agent_id"), day=TruncDate("created_at"))
        .annotate(
            conversations=Count("conversation_id", filter=asked, distinct=True),
            turns=Count("id", filter=asked),
            found_nothing=Count("id", filter=Q(direction=Message.Direction.OUTBOUND, metadata__passages=0)),
            helpful=Count("id", filter=Q(feedback=Message.Feedback.UP)),
            not_helpful=Count("id", filter=Q(feedback=Message.Feedback.DOWN)),
        )
        .order_by()
    )


def _spend(organizations: Organizations, since: date, agent_id: uuid.UUID | None) -> list[tuple[uuid.UUID, date, int, int]]:
    """Tokens and cost of each agent's day, as limits keeps them (its Spend rows of scope agent)."""
    rows = _scoped(Spend.objects.filter(scope=Spend.Scope.AGENT, period__gte=since), organizations)
    if agent_id is not None:
        rows = rows.filter(key=str(agent_id))
    return [
        (uuid.UUID(key), period, tokens, nano_usd)
        for key, period, tokens, nano_usd in rows.values_list("key", "period", "tokens", "nano_usd")
    ]


def found_nothing(*, organizations: Organizations, since: date, agent_id: uuid.UUID | None, names: dict) -> list[FoundNothing]:
    """The questions whose answer found no passage, newest first: each reply with
    `passages == 0` and the visitor's message of its turn (same conversation, same requestId)."""
    question = (
        Message.objects.annotate(request_key=KT("metadata__requestId"))
        .filter(conversation_id=OuterRef("conversation_id"), direction=Message.Direction.INBOUND, request_key=OuterRef("request_key"))
        .values(text=KT("content__text"))[:1]
    )
    replies = (
        _answers(organizations, since, agent_id)
        .filter(direction=Message.Direction.OUTBOUND, metadata__passages=0)
        .annotate(request_key=KT("metadata__requestId"))
        .annotate(question=Subquery(question))
        .order_by("-created_at", "-id")
        .values_list("created_at", "question", "session__agent_id", "conversation_id")[:FOUND_NOTHING_SHOWN]
    )
    return [
        FoundNothing(asked_at, question or "", agent, names.get(agent, str(agent)), conversation)
        for asked_at, question, agent, conversation in replies
    ]
