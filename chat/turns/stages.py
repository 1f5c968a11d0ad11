"""The turn's stages: what other apps do in every turn, at fixed points, without the turn
engine knowing them. `SMOOTH_TURN_STAGES` names them in order, as dotted paths to
classes (as MIDDLEWARE does), so an app below chat (limits) needs no import of chat to
take part, and an app left out of INSTALLED_APPS leaves its stage out. The
default order: handoff (a person holds the conversation, or is asked for), then limits'
budgets, then knowledge's context.

A stage is any object with a `name` and some of these methods (each optional), called in
the list's order at these points of a turn:

- `open(turn)`: inside the turn's one database hop, after the question is stored (sync).
  Returning an `Ending` ends the turn there: the stages after it do not open.
- `opened(turn)`: on the event loop after that hop, for the stages that opened. The first
  `Ending` returned is how the turn ends; an exception ends it in error (a refusal the
  edge maps to its code: chat.errors).
- `context(turn)`: the passages the answer is grounded on (async; a list, joined in the
  stages' order): offline, what is quoted; with a model, its context and the citations.
- `before_model_call(turn)`: before each model call (async; may raise a refusal).
- `model_called(turn, usage)`: after each model call, with the gateway's usage or the
  estimate of it (sync, no I/O); also for a call cancelled or failed midway.
- `on_reply(turn)`: inside the reply's transaction (sync): `turn.reply` is the stored
  message and `turn.escalation` whether a person is asked for.
- `replied(turn)`: after that transaction, before the turn's last event (async).
- `ended(turn)`: once the turn is over, however it ended (answered, failed, cancelled,
  parked), for what must be written whatever happens (async; a failure is logged).

Before a turn, at the socket's edge, a stage may also have:

- `admit_session(client_ip, agent_id, agent, origin)`: before a session is stored, after
  the embed checks (async; may raise a refusal, chat.errors).
- `message_windows(session)`: the rate windows (core.windows) a visitor's message counts
  against (sync, no I/O). They are counted in the same round trip as the turn's lease is
  taken, before anything is stored; a window that is `enforced` and exceeded keeps the
  lease from being taken.
- `message_counted(session, counted)`: each of its windows' counts (core.windows.Counted),
  right after (async). It raises the refusal when an enforced window is exceeded, and
  reports one that is not. Not called while Redis is away (the windows fail open).
- `lets_through(agent)`: whether a refusal for `agent` is only reported (report-only mode);
  then `report(agent=, kind=, reason=, origin=)` records it (async) and the action goes on.
- `erase_conversation(conversation_id)`: inside the transaction that erases a conversation
  at its visitor's request (chat.services.erase_conversation; sync): what the stage keeps
  of the conversation's content goes too.

A stage keeps what it needs from one point to the next in `turn.kept`, under its name,
and names in `session_related` the rows it reads with the session (select_related paths),
which the turn loads in the one query that reads the session.
A resumed turn (the rest of a parked one, chat.turns.parking) has `resumed` set, and its
question was stored and seen when it first opened.

With tracing on (core.tracing), the calls of a turn's points are spans of the turn
(`stage <name>.<point>`), made here and only here: a stage registered later has its
spans without writing any. Only those worth seeing are exported: a point that took
core.spans.QUICK_SPAN_NS (1 ms) or more, failed, or (an async one) made spans of its
own (knowledge's search). A sync point (open, model_called, on_reply: in-memory work, or
the database's inside a hop) is made into a span only then, after it: most take
microseconds, and making a span costs several times that.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from chat.turns.outcome import Escalation
from core import tracing
from core.gateway import Usage
from core.windows import Counted, Window

logger = logging.getLogger(__name__)


@dataclass
class StageTurn:
    """What a stage sees of a turn."""

    session: Any  # chat.models.Session, its agent loaded
    question: str
    client_ip: str
    model: str  # the agent's model
    access: Any = None  # what the session's reader may read (identity.access.AccessContext)
    resumed: bool = False
    reply: Any = None  # on_reply: the stored reply (chat.models.Message)
    escalation: Escalation | None = None  # on_reply: a person is asked to take over
    kept: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ending:
    """A stage ends the turn without the model: with `text` as the reply (and a person
    asked for, when `escalation` says so), or, with no text, `cancelled` (someone else
    answers: a person holds the conversation)."""

    text: str | None = None
    escalation: Escalation | None = None


class Stage(Protocol):
    name: str


def installed(paths: list[str]) -> list[str]:
    """The dotted paths of `paths` whose app is in INSTALLED_APPS: a deployment that leaves
    an app out leaves out what it registers, with no other setting to change."""
    return [path for path in paths if apps.get_containing_app_config(path) is not None]


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> tuple[Stage, ...]:
    stages = []
    for path in installed(list(paths)):
        stage = import_string(path)
        stages.append(stage() if isinstance(stage, type) else stage)
    return tuple(stages)


def configured() -> tuple[Stage, ...]:
    return _load(tuple(settings.SMOOTH_TURN_STAGES))


def hooks(stages: tuple[Stage, ...], point: str) -> Iterator[Callable[..., Any]]:
    """The methods named `point` of the stages that have one, in order."""
    for stage in stages:
        hook = getattr(stage, point, None)
        if hook is not None:
            yield hook


def session_related() -> tuple[str, ...]:
    """The rows the stages read with the turn's session (each stage's `session_related`),
    loaded in the same query as the session."""
    return tuple(relation for stage in configured() for relation in getattr(stage, "session_related", ()))


class Pipeline:
    """One turn's run through the stages."""

    def __init__(self, turn: StageTurn, stages: tuple[Stage, ...] | None = None):
        self.turn = turn
        self.stages = configured() if stages is None else stages
        self._opened: tuple[Stage, ...] = ()

    def _hooks(self, point: str, stages: tuple[Stage, ...] | None = None) -> Iterator[Callable[..., Any]]:
        """The stages' methods for `point`, each in a span of its own when tracing is on."""
        for stage in self.stages if stages is None else stages:
            hook = getattr(stage, point, None)
            if hook is not None:
                yield _traced(stage.name, point, hook) if tracing.active() else hook

    @classmethod
    def opened_for(cls, turn: StageTurn) -> Pipeline:
        """The turn's run through the configured stages, opened (inside its database hop)."""
        pipeline = cls(turn)
        pipeline.open()
        return pipeline

    def open(self) -> None:
        """Inside the turn's database hop."""
        for index, stage in enumerate(self.stages):
            self._opened = self.stages[: index + 1]
            for hook in self._hooks("open", (stage,)):
                if hook(self.turn) is not None:
                    return

    async def opened(self) -> Ending | None:
        for hook in self._hooks("opened", self._opened):
            ending = await hook(self.turn)
            if ending is not None:
                return ending
        return None

    async def context(self) -> list:
        passages: list = []
        for hook in self._hooks("context", self._opened):
            passages += await hook(self.turn)
        return passages

    async def before_model_call(self) -> None:
        for hook in self._hooks("before_model_call"):
            await hook(self.turn)

    def model_called(self, usage: Usage) -> None:
        for hook in self._hooks("model_called"):
            hook(self.turn, usage)

    def on_reply(self, reply: Any, escalation: Escalation | None) -> None:
        """Inside the reply's transaction."""
        self.turn.reply, self.turn.escalation = reply, escalation
        for hook in self._hooks("on_reply"):
            hook(self.turn)

    async def replied(self) -> None:
        for hook in self._hooks("replied"):
            await hook(self.turn)

    async def ended(self) -> None:
        for stage in self._opened:
            for hook in self._hooks("ended", (stage,)):  # its own, if it has one: a failure is told by name
                try:
                    await hook(self.turn)
                except Exception:
                    logger.exception("the %s stage failed at the end of a turn", stage.name)


def _traced(name: str, point: str, hook: Callable[..., Any]) -> Callable[..., Any]:
    """`hook` in a span of the turn (a sync one's made after it, if it was slow or failed).
    The span's name says it all: attributes would cost each span about a third more."""
    span_name = f"stage {name}.{point}"
    if inspect.iscoroutinefunction(hook):

        async def traced_async(*args: Any) -> Any:
            with tracing.span(span_name, brief=True):
                return await hook(*args)

        return traced_async

    def traced(*args: Any) -> Any:
        started = time.time_ns()
        try:
            result = hook(*args)
        except Exception as exc:
            tracing.record(span_name, started, time.time_ns(), type(exc).__qualname__)
            raise
        tracing.record(span_name, started, time.time_ns(), brief=True)
        return result

    return traced


async def admit_session(client_ip: str, agent_id: Any, agent: Any, origin: str | None) -> None:
    for hook in hooks(configured(), "admit_session"):
        await hook(client_ip, agent_id, agent, origin)


def message_windows(session: Any) -> list[tuple[Stage, list[Window]]]:
    """Each stage's rate windows for a visitor's message, to count with the turn's lease."""
    return [(stage, stage.message_windows(session)) for stage in configured() if hasattr(stage, "message_windows")]


async def message_counted(session: Any, windows: list[tuple[Stage, list[Window]]], counted: list[Counted]) -> None:
    """Give each stage its windows' counts (`counted`, in `windows`' order; empty when
    nothing was counted): it may refuse the message."""
    position = 0
    for stage, own in windows:
        mine, position = counted[position : position + len(own)], position + len(own)
        hook = getattr(stage, "message_counted", None)
        if mine and hook is not None:
            await hook(session, mine)


def lets_through(agent: Any) -> bool:
    """Whether a stage only reports, and lets through, what would be refused for `agent`."""
    return any(hook(agent) for hook in hooks(configured(), "lets_through"))


async def report(*, agent: Any, kind: str, reason: str, origin: str | None) -> None:
    """Record a refusal let through (lets_through), with every stage that records them."""
    for hook in hooks(configured(), "report"):
        await hook(agent=agent, kind=kind, reason=reason, origin=origin)
