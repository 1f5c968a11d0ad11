"""How a turn's end is recorded: its outcome (and error code) on its span, and counted
in the turn metrics (core.metrics). Used by the runner for every turn it runs, and by
parking for a parked turn that ends with no rest (expired, or cancelled while it waited)."""

from __future__ import annotations

from chat.errors import CODES
from chat.protocol import ErrorCode
from core import metrics, tracing

# Error codes that are a refusal of the turn, not its failure.
REFUSALS = frozenset({ErrorCode.SESSION_NOT_FOUND, *CODES.values()})


def turn_attributes(session_id, request_id: str, *, agent_id: str | None, resumed: bool) -> dict:
    """A turn span's attributes known before its session is read."""
    attributes = {
        "gen_ai.operation.name": "invoke_agent",
        "smooth.session.id": str(session_id),
        "smooth.request.id": request_id,
        "smooth.resumed": resumed,
    }
    if agent_id is not None:
        attributes["gen_ai.agent.id"] = attributes["smooth.agent.id"] = agent_id
    return attributes


def outcome_of(terminal: dict | None) -> tuple[str, str]:
    """How a turn ended, from its terminal event (None: it parked), and its error code."""
    if terminal is None:
        return "parked", ""
    if terminal["type"] == "error":
        code = terminal["error"]["code"]
        return ("refused" if code in REFUSALS else "error"), code
    return ("answered" if terminal["type"] == "eventual_response" else "cancelled"), ""


def ended(span, terminal: dict | None, seconds: float | None) -> None:
    """Put the outcome on the turn's span and count it; `seconds`, the turn's time since it
    was accepted, goes into the whole-turn histogram (None: no work was timed, as for a
    parked turn's end that had no rest)."""
    outcome, code = outcome_of(terminal)
    span.set_attribute("smooth.outcome", outcome)
    if code:
        span.set_attribute("smooth.error.code", code)
    if outcome == "error":
        tracing.failed(span, code)
    if outcome == "parked":  # counted when its rest ends, or when it ends without one
        return
    metrics.turns.labels(outcome=outcome, code=code).inc()
    if seconds is not None:
        metrics.turn_seconds.labels(outcome=outcome).observe(seconds)
