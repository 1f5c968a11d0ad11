"""Fixed-result tools for tests and conformance scenarios (`server.tools`),
registered through SMOOTH_AGENT_TOOLS by dotted path to an instance here."""

from __future__ import annotations

import sys

from chat.turns.tools import ToolContext, ToolOutput


class FixedResultTool:
    def __init__(self, name: str, description: str, parameters: dict, result):
        self.name, self.description, self.parameters, self.result = name, description, parameters, result

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        content = self.result if isinstance(self.result, str) else str(self.result)
        return ToolOutput(content, self.result)


class ExplodingTool:
    name = "explode"
    description = "Always fails."
    parameters = {"type": "object", "properties": {}}

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        raise RuntimeError("boom with internal detail /srv/secret")


# For live servers (SMOOTH_AGENT_TOOLS=tests.turns.scenario_tools.delete_record), gated there by SMOOTH_AGENT_CONFIRM_TOOLS.
delete_record = FixedResultTool(
    "delete_record",
    "Delete a record by id.",
    {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
    "Record 42 deleted.",
)

# Runs only for a verified visitor on live servers that set SMOOTH_AGENT_END_USER_TOOLS=order_*.
order_status = FixedResultTool("order_status", "Where an order is.", {"type": "object", "properties": {}}, "Order A-17 shipped.")

# The fake gateway's script items calling them.
DELETE = {"kind": "toolCall", "name": "delete_record", "arguments": '{"id": "42"}'}
ORDER = {"kind": "toolCall", "name": "order_status", "arguments": "{}"}


def install(settings, tools: list[FixedResultTool]) -> None:
    module = sys.modules[__name__]
    paths = []
    for index, tool in enumerate(tools):
        setattr(module, f"tool_{index}", tool)
        paths.append(f"{__name__}.tool_{index}")
    settings.SMOOTH_AGENT_TOOLS = paths
