"""What answering produced, offline or with a model, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass

from chat.turns.citations import Citation
from core.gateway import Usage


@dataclass(frozen=True)
class Escalation:
    """A person is asked to take over: why, and who asked ("tool" or "phrase", handoff.models.Handoff.Source)."""

    reason: str
    source: str


@dataclass
class TurnOutcome:
    reply: str
    tool_citations: list[Citation]
    usage: Usage | None
    # The auto-context passages the reply drew on; None: all of them (the model saw all).
    grounding: list | None = None
    escalation: Escalation | None = None  # a person is asked to take over (handoff)
