"""Rich Interactions: typed asks the agent raises mid-turn (spec/interactions/).

A kind says what it collects (`parse_request`: the raise tool's arguments -> its
`spec` and `reason`), how a submission is checked (`validate`: the visitor's values ->
canonical values, or InvalidSubmission with an error per field), how a text-only
channel asks instead (`fallback_directive`), and what an accepted answer changes
(`record`). A session whose client declared the kind's capability in `supports` gets
the card (the turn parks: chat.turns.parking); any other gets the conversational
fallback. Both paths go through the same validator and resume with the same payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DECLINED_MESSAGE = "The visitor declined. Go on helping without this, and do not ask for it again in this conversation."
MAX_REASON_CHARS = 200


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_event(self) -> dict:
        return {"field": self.field, "message": self.message}


class InvalidSubmission(ValueError):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors


class InvalidRequest(ValueError):
    """The model's raise tool arguments do not make a card (an error result for the model)."""


class Kind:
    kind: str
    capability: str  # the `supports` entry that gets the card
    raise_tool: str
    tool_description: str
    tool_parameters: dict

    def parse_request(self, arguments: dict) -> tuple[dict, str]:
        raise NotImplementedError

    def validate(self, spec: dict | None, values: Any) -> dict:
        """Canonical values; InvalidSubmission. `spec` None: the ask was raised in an earlier
        turn (conversational path), so only the values' format can be checked."""
        raise NotImplementedError

    def fallback_directive(self, spec: dict, reason: str) -> str:
        raise NotImplementedError

    def record(self, session_id, values: dict) -> None:
        """What an accepted answer changes (runs in a worker thread); nothing by default."""


def submitted(values: dict) -> dict:
    return {"status": "submitted", "values": values}


def declined() -> dict:
    return {"status": "declined", "message": DECLINED_MESSAGE}


def reason_of(arguments: dict) -> str:
    reason = arguments.get("reason", "")
    if not isinstance(reason, str):
        raise InvalidRequest("'reason' must be a string")
    reason = reason.strip()[:MAX_REASON_CHARS]
    return reason or "to help you"


def kinds() -> dict[str, Kind]:
    from chat.interactions.choices import Choices
    from chat.interactions.identity_intake import IdentityIntake

    return {kind.kind: kind for kind in (IdentityIntake(), Choices())}


KINDS = kinds()
BY_RAISE_TOOL = {kind.raise_tool: kind for kind in KINDS.values()}
