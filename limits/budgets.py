"""Spend budgets: model tokens and cost per session (its whole life), per visitor and per
agent (each a UTC day), per organisation (a calendar month, UTC).

The spend is kept in the database (Spend) and checked there before every model call of
a turn, so no lost counter lets it run away. A turn's Ledger carries its four rows;
usage is added after each call and written with the next check (or with the reply), one
upsert for the four. The check before a turn's first call is read in the turn's opening
hop; a turn with tool calls reads again before each later call.

A visitor is the host-verified userId when there is one, else the fingerprint the client
sent with its address (limits.policy.address_key). Their budget is per agent.

An exhausted budget ends the turn with BUDGET_EXCEEDED before the model is asked (the
question is already stored). What a check cannot see: turns that run at the same moment
for one visitor or agent may each pass and go over together, by at most one model call
each (the prompt and SMOOTH_AGENT_MAX_TOKENS). In offline mode nothing is spent, and
nothing is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core import metrics
from core.defaults import own_or_server
from limits import enforcement
from limits.amounts import Cap, nano_usd, parse_cap
from limits.errors import BudgetExceeded
from limits.models import OrganizationBudget, Spend
from limits.policy import address_key

LIFETIME = date(1970, 1, 1)
Scope = Spend.Scope


@dataclass(frozen=True)
class Line:
    scope: str
    key: str
    period: date
    cap: Cap | None


@dataclass
class Ledger:
    """One turn's budgets, and the usage it has not written yet."""

    agent: object  # the Agent row (its enforcement mode; reports name it)
    organization_id: str
    origin: str | None
    model: str
    lines: tuple[Line, ...]
    tokens: int = 0  # spent, not yet written
    nano_usd: int = 0
    checked: bool = False  # nothing spent since the last check
    reported: bool = False  # report-only mode counted this turn once already

    def add(self, usage) -> None:
        if usage is None:
            return
        self.tokens += usage.prompt_tokens + usage.completion_tokens
        self.nano_usd += nano_usd(usage, self.model)
        self.checked = False


def caps(agent, organization_id: str) -> dict[str, Cap | None]:
    """The effective cap of each scope: the agent's (and its organisation's) own, else the server's."""
    own = OrganizationBudget.objects.filter(organization_id=organization_id).values_list("per_month", flat=True).first()
    return _caps(agent, own)


def caps_of(agents) -> dict:
    """caps() of each of `agents` (by id), their organisations' own caps read in one query."""
    organizations = {agent.organization_id for agent in agents}
    own = dict(OrganizationBudget.objects.filter(organization_id__in=organizations).values_list("organization_id", "per_month"))
    return {agent.id: _caps(agent, own.get(agent.organization_id)) for agent in agents}


def _caps(agent, organization_cap: str | None) -> dict[str, Cap | None]:
    return {**_agent_caps(agent), Scope.ORGANIZATION: _organization_cap(organization_cap)}


def _agent_caps(agent) -> dict[str, Cap | None]:
    return {
        Scope.SESSION: parse_cap(own_or_server(getattr(agent, "budget_per_session", ""), "SMOOTH_BUDGET_PER_SESSION")),
        Scope.VISITOR: parse_cap(own_or_server(getattr(agent, "budget_per_visitor_day", ""), "SMOOTH_BUDGET_PER_VISITOR_DAY")),
        Scope.AGENT: parse_cap(own_or_server(getattr(agent, "budget_per_agent_day", ""), "SMOOTH_BUDGET_PER_AGENT_DAY")),
    }


def _organization_cap(own: str | None) -> Cap | None:
    return parse_cap(own_or_server(own, "SMOOTH_BUDGET_PER_ORG_MONTH"))


_CAP_ROW = "cap"  # the row _read adds for the organisation's own cap


def _read(lines, organization_id: str | None = None) -> tuple[dict[tuple[str, str], tuple[int, int]], str | None]:
    """The spend of `lines`, and (given `organization_id`) that organisation's own monthly cap,
    in one statement: every turn reads it, and the ORM's query building cost more CPU than
    the query (bench/limits.py)."""
    key = connection.ops.quote_name("key")
    match = " OR ".join(f"(scope = %s AND {key} = %s AND period = %s)" for _ in lines)
    params = [value for line in lines for value in (line.scope, line.key, line.period.isoformat())]
    sql = f"SELECT scope, {key}, tokens, nano_usd FROM {Spend._meta.db_table} WHERE {match}"
    if organization_id is not None:
        sql += f" UNION ALL SELECT '{_CAP_ROW}', per_month, 0, 0 FROM {OrganizationBudget._meta.db_table} WHERE organization_id = %s"
        params.append(organization_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    own_cap = next((key for scope, key, _, _ in rows if scope == _CAP_ROW), None)
    return {(scope, key): (tokens, nano) for scope, key, tokens, nano in rows if scope != _CAP_ROW}, own_cap


def visitor_key(session, client_ip: str) -> str:
    user_id = session.verified_user_id
    if user_id is not None:
        return f"{session.agent_id}:user:{user_id}"
    fingerprint = (session.user_participant.browser_fingerprint or "-")[:256]
    return f"{session.agent_id}:anon:{fingerprint}:{address_key(client_ip)}"


def periods(today: date) -> tuple[date, date]:
    return today, today.replace(day=1)


def open_ledger(session, client_ip: str, model: str) -> Ledger | None:
    """The turn's ledger (None offline: no model, nothing spent), checked once: raises
    BudgetExceeded when a budget is spent (in report-only mode it reports instead)."""
    if settings.SMOOTH_AGENT_LLM == "offline":
        return None
    day, month = periods(timezone.now().date())
    cap = _agent_caps(session.agent)
    lines = [
        Line(Scope.SESSION, str(session.session_id), LIFETIME, cap[Scope.SESSION]),
        Line(Scope.VISITOR, visitor_key(session, client_ip), day, cap[Scope.VISITOR]),
        Line(Scope.AGENT, str(session.agent_id), day, cap[Scope.AGENT]),
        Line(Scope.ORGANIZATION, session.organization_id, month, None),
    ]
    spent, own_cap = _read(lines, session.organization_id)
    lines[-1] = replace(lines[-1], cap=_organization_cap(own_cap))
    ledger = Ledger(session.agent, session.organization_id, session.origin, model, tuple(lines), checked=True)
    _compare(ledger, spent)
    return ledger


def check(ledger: Ledger) -> None:
    """Write what the turn spent since the last check, then raise BudgetExceeded if a
    budget has no room left for another call."""
    write(ledger)
    ledger.checked = True
    capped = [line for line in ledger.lines if line.cap is not None]
    if capped:
        _compare(ledger, _read(capped)[0])


def _compare(ledger: Ledger, spent: dict) -> None:
    for line in ledger.lines:
        if line.cap is None:
            continue
        tokens, nano_usd = spent.get((line.scope, line.key), (0, 0))
        if line.cap.exceeded_by(tokens, nano_usd):
            _exceeded(ledger, line.scope)
            return


def _exceeded(ledger: Ledger, scope: str) -> None:
    if not enforcement.reporting(ledger.agent):
        metrics.refusals.labels(kind=enforcement.Kind.BUDGET, mode=metrics.ENFORCED).inc()
        raise BudgetExceeded(scope)
    if not ledger.reported:  # enforcement would have ended the turn here: once a turn
        ledger.reported = True
        enforcement.report(agent=ledger.agent, kind=enforcement.Kind.BUDGET, reason=f"{scope} budget", origin=ledger.origin)


async def before_call(ledger: Ledger | None) -> None:
    """Before a model call: nothing to do when nothing was spent since the last check."""
    if ledger is not None and not ledger.checked:
        await database_sync_to_async(check)(ledger)


def write(ledger: Ledger | None) -> None:
    """Add the unwritten spend to the ledger's four rows: one statement (an upsert)."""
    if ledger is None or (not ledger.tokens and not ledger.nano_usd):
        return
    table, ops = Spend._meta.db_table, connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    values: list[str] = []
    params: list[Any] = []
    for line in ledger.lines:
        values.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [line.scope, line.key, line.period.isoformat(), ledger.organization_id, ledger.tokens, ledger.nano_usd, now]
    key = ops.quote_name("key")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, {key}, period, organization_id, tokens, nano_usd, updated_at) VALUES {', '.join(values)} "
            f"ON CONFLICT (scope, {key}, period) DO UPDATE SET tokens = {table}.tokens + excluded.tokens, "
            f"nano_usd = {table}.nano_usd + excluded.nano_usd, updated_at = excluded.updated_at",
            params,
        )
    ledger.tokens = ledger.nano_usd = 0


async def awrite(ledger: Ledger | None) -> None:
    if ledger is not None and (ledger.tokens or ledger.nano_usd):
        await database_sync_to_async(write)(ledger)


@dataclass(frozen=True)
class Standing:
    spent_tokens: int
    spent_nano_usd: int
    cap: Cap | None


def standing(scope: str, key: str, period: date, cap: Cap | None) -> Standing:
    """Spend against one budget, for the admin and the API."""
    row = Spend.objects.filter(scope=scope, key=key, period=period).values_list("tokens", "nano_usd").first() or (0, 0)
    return Standing(row[0], row[1], cap)


def agent_standing(agent) -> dict[str, Standing]:
    """The agent's day and its organisation's month, against their caps."""
    return agents_standing([agent])[agent.id]


def agents_standing(agents) -> dict:
    """agent_standing() of each of `agents` (by id), in two queries however many they are."""
    day, month = periods(timezone.now().date())
    cap = caps_of(agents)
    rows = Spend.objects.filter(
        Q(scope=Scope.AGENT, key__in=[str(agent.id) for agent in agents], period=day)
        | Q(scope=Scope.ORGANIZATION, key__in={agent.organization_id for agent in agents}, period=month)
    ).values_list("scope", "key", "tokens", "nano_usd")
    spent = {(scope, key): (tokens, nano_usd) for scope, key, tokens, nano_usd in rows}

    def against(scope: str, key: str, agent) -> Standing:
        return Standing(*spent.get((scope, key), (0, 0)), cap[agent.id][scope])

    return {
        agent.id: {
            Scope.AGENT: against(Scope.AGENT, str(agent.id), agent),
            Scope.ORGANIZATION: against(Scope.ORGANIZATION, agent.organization_id, agent),
        }
        for agent in agents
    }


def session_standing(session) -> Standing:
    cap = caps(session.agent, session.organization_id)[Scope.SESSION] if session.agent is not None else None
    return standing(Scope.SESSION, str(session.session_id), LIFETIME, cap)
