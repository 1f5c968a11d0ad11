"""escalate_to_human: the model's way to ask for a person, when the visitor wants one or the
agent cannot help. On by default; an agent's `tools` list turns it off by leaving it out."""

from __future__ import annotations

from chat.turns.tools import ToolContext, ToolFailed, ToolOutput

NAME = "escalate_to_human"
TOLD = "A person from the team has been asked to join this conversation. Tell the visitor so, briefly; do not promise a time."


class EscalateToHuman:
    name = NAME
    description = (
        "Ask a person from the team to take over this conversation: when the visitor asks for a human, "
        "or when you cannot help them. Give the reason in a short sentence."
    )
    parameters = {
        "type": "object",
        "properties": {"reason": {"type": "string", "description": "why a person is needed, in one short sentence"}},
        "required": ["reason"],
    }

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        reason = arguments.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ToolFailed("escalate_to_human needs a short 'reason'")
        reason = " ".join(reason.split())[:500]
        return ToolOutput(TOLD, {"escalated": True, "reason": reason}, escalation=reason)
