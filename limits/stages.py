"""Limits' stages (chat.turns.stages names the points).

Spend budgets as a stage of every turn (chat.turns.stages names the points): the ledger
is opened and checked in the turn's database hop, checked again before each model call
after the first, charged with each call's usage, written with the reply (in its
transaction) and, whatever else ends the turn, at its end. A spent budget refuses with
BudgetExceeded once the stages before this one have had their say (a visitor asking for
a person needs no budget)."""

from __future__ import annotations

from typing import Any, Protocol

from core.gateway import Usage
from core.windows import Counted, Window
from limits import budgets, enforcement, policy
from limits.errors import BudgetExceeded


class Turn(Protocol):
    """What this stage reads of a turn (chat.turns.stages.StageTurn)."""

    session: Any
    client_ip: str
    model: str
    kept: dict[str, Any]


class Budgets:
    name = "budgets"

    def open(self, turn: Turn) -> None:
        try:
            turn.kept[self.name] = budgets.open_ledger(turn.session, turn.client_ip, turn.model)
        except BudgetExceeded as exc:  # the question is stored; the turn ends before the model
            turn.kept["budget exceeded"] = exc

    async def opened(self, turn: Turn) -> None:
        exceeded = turn.kept.pop("budget exceeded", None)
        if exceeded is not None:
            raise exceeded

    async def before_model_call(self, turn: Turn) -> None:
        await budgets.before_call(turn.kept.get(self.name))

    def model_called(self, turn: Turn, usage: Usage) -> None:
        ledger = turn.kept.get(self.name)
        if ledger is not None:
            ledger.add(usage)

    def on_reply(self, turn: Turn) -> None:
        budgets.write(turn.kept.get(self.name))

    async def ended(self, turn: Turn) -> None:
        """What the turn spent and did not write with a reply (it failed, stopped or parked)."""
        await budgets.awrite(turn.kept.get(self.name))


class Rates:
    """The session and message rates, checked before anything is stored, and report-only
    mode (limits.enforcement) for the refusals of the apps above (origin, authContext)."""

    name = "rates"

    async def admit_session(self, client_ip: str, agent_id: Any, agent: Any, origin: str | None) -> None:
        await policy.check_new_session(client_ip, agent_id, agent, origin=origin)

    def message_windows(self, session: Any) -> list[Window]:
        return policy.message_windows(session)

    async def message_counted(self, session: Any, counted: list[Counted]) -> None:
        await policy.message_counted(session, counted)

    def lets_through(self, agent: Any) -> bool:
        return enforcement.reporting(agent)

    async def report(self, *, agent: Any, kind: str, reason: str, origin: str | None) -> None:
        await enforcement.areport(agent=agent, kind=kind, reason=reason, origin=origin)
