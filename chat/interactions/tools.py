"""The model's side of Rich Interactions: a raise tool per kind, and `submit_interaction`.

A raise tool on a session whose client can show the kind's card is never run: the loop
asks it for the `card` and parks the turn on it. Anywhere else it runs, returning the
kind's conversational directive, and the model later hands the visitor's answers to
`submit_interaction`, which checks them with the same validator as the card's."""

from __future__ import annotations

import json
import uuid

from channels.db import database_sync_to_async

from chat.interactions import KINDS, InvalidRequest, InvalidSubmission, Kind, declined, submitted
from chat.turns.tools import ToolContext, ToolFailed, ToolOutput

SUBMIT = "submit_interaction"


class RaiseInteraction:
    def __init__(self, kind: Kind):
        self.kind = kind
        self.name, self.description, self.parameters = kind.raise_tool, kind.tool_description, kind.tool_parameters

    def card(self, arguments: dict, context: ToolContext) -> dict | None:
        """The interaction to park on, when the visitor's client can show it (InvalidRequest: it cannot be asked)."""
        if self.kind.capability not in context.supports:
            return None
        spec, reason = self.kind.parse_request(arguments)
        return {"interactionId": str(uuid.uuid4()), "kind": self.kind.kind, "spec": spec, "reason": reason}

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        try:
            spec, reason = self.kind.parse_request(arguments)
        except InvalidRequest as exc:
            raise ToolFailed(str(exc)) from None
        context.raised[self.kind.kind] = spec  # so that the submission is checked against what was asked
        shown = {"mode": "conversational", "kind": self.kind.kind, "spec": spec, "reason": reason}
        return ToolOutput(json.dumps({**shown, "instructions": self.kind.fallback_directive(spec, reason)}), shown)


class SubmitInteraction:
    name = SUBMIT
    description = (
        "Submit what the visitor answered to an interaction you asked for in the conversation "
        "(after a request_* tool told you to ask conversationally)."
    )
    parameters = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "values": {"type": "object", "description": "the kind's values, as its instructions said"},
            "declined": {"type": "boolean", "description": "true when the visitor does not want to answer"},
        },
        "required": ["kind"],
    }

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        kind = KINDS.get(str(arguments.get("kind")))
        if kind is None:
            raise ToolFailed(f"'kind' must be one of {', '.join(sorted(KINDS))}")
        if arguments.get("declined") is True:
            payload = declined()
        else:
            try:
                values = kind.validate(context.raised.get(kind.kind), arguments.get("values"))
            except InvalidSubmission as exc:
                raise ToolFailed(f"the answer is not valid ({exc}); ask the visitor again for those and submit again") from None
            await database_sync_to_async(kind.record)(context.session_id, values)
            payload = submitted(values)
        return ToolOutput(json.dumps(payload), payload)


def built_in_interaction_tools() -> dict:
    tools: dict[str, RaiseInteraction | SubmitInteraction] = {kind.raise_tool: RaiseInteraction(kind) for kind in KINDS.values()}
    tools[SUBMIT] = SubmitInteraction()
    return tools


def conversational_kinds(supports) -> list[Kind]:
    """The kinds this session's client cannot show (so it needs `submit_interaction`)."""
    return [kind for kind in KINDS.values() if kind.capability not in supports]
