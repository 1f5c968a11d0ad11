"""Tools the model may call. `knowledge_search` is always there; deployments
add more with SMOOTH_AGENT_TOOLS (dotted paths to tool classes or instances), and
each agent may narrow them (Agent.tools) and gate some behind the visitor's approval
(Agent.confirm_tools, SMOOTH_AGENT_CONFIRM_TOOLS).

A tool has `name`, `description`, `parameters` (JSON Schema) and
`run(arguments, context) -> ToolOutput`. Only `ToolOutput.exposed` reaches the
client (in a stream_chunk); `citations` feed the turn's citations. `BaseTool` is the
short way to write one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.module_loading import import_string

from chat.turns.citations import Citation, citation_from_result
from identity.access import AccessContext
from knowledge.retrieval import search

MAX_SEARCH_LIMIT = 10


@dataclass(frozen=True)
class ToolContext:
    access: AccessContext  # what the turn may read, in the session's organisation
    session_id: Any = None
    supports: frozenset = frozenset()  # the capabilities the session's client declared
    visitor_verified: bool = False  # a verified authContext, or a one-time code (Session.visitor_verified)
    agent_id: str | None = None  # the session's agent
    # Interaction specs raised this turn on the conversational path, by kind (LoopState.raised).
    raised: dict = field(default_factory=dict)


@dataclass
class ToolOutput:
    content: str  # what the model reads
    exposed: Any  # what the client may see
    citations: list[Citation] = field(default_factory=list)
    escalation: str | None = None  # the tool asked for a person, for this reason (handoff)


class ToolFailed(Exception):
    """A tool's own failure: reported to the model as an error result, never a failed turn."""


class Tool(Protocol):
    name: str
    description: str
    parameters: dict

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput: ...


MAX_DESCRIPTION_CHARS = 500


class BaseTool:
    """A tool in a few lines: name it, describe it, and write `call`.

        class OrderStatus(BaseTool):
            name = "order_status"
            description = "Where one of the visitor's orders is."
            parameters = {"type": "object", "properties": {"order": {"type": "string"}}, "required": ["order"]}

            def call(self, arguments, context):
                order = Order.objects.filter(shop=context.access.organization_id, number=arguments["order"]).first()
                if order is None:
                    raise ToolFailed(f"there is no order {arguments['order']}")
                return f"Order {order.number} is {order.status}."

    Register it with SMOOTH_AGENT_TOOLS=myshop.tools.OrderStatus. `call` runs in a worker
    thread, so the ORM may be used; what it returns (text, or JSON-native data) is what
    the model reads and what the visitor's client is shown. ToolFailed is an error
    result for the model. A missing required argument is refused before `call` runs.
    `describe` is what a visitor approving the call reads (when the tool is gated).
    """

    name: str = ""
    description: str = ""
    parameters: dict = {"type": "object", "properties": {}}

    def call(self, arguments: dict, context: ToolContext) -> Any:
        raise NotImplementedError

    def describe(self, arguments: dict) -> str:
        return f"{self.name} {json.dumps(arguments, ensure_ascii=False)}"

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        missing = [name for name in self.parameters.get("required", []) if name not in arguments]
        if missing:
            raise ToolFailed(f"{self.name} needs {', '.join(missing)}")
        result = await database_sync_to_async(self.call)(arguments, context)
        return ToolOutput(result if isinstance(result, str) else json.dumps(result, ensure_ascii=False), result)


def describe_call(tool, arguments: dict) -> str:
    """What the visitor is asked to approve: the tool's own words when it has some."""
    describe = getattr(tool, "describe", None)
    text = describe(arguments) if callable(describe) else f"{tool.name} {json.dumps(arguments, ensure_ascii=False)}"
    return str(text)[:MAX_DESCRIPTION_CHARS]


class KnowledgeSearch:
    name = "knowledge_search"
    description = "Search the organisation's knowledge base (policies, help pages, documents). Use it for any organisation-specific fact."
    parameters = {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "what to look for"},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_SEARCH_LIMIT, "description": "how many passages (default 3)"},
        },
        "required": ["query"],
    }

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput:
        query = arguments.get("query")
        if not isinstance(query, str) or not query.strip():
            raise ToolFailed("knowledge_search needs a non-empty 'query' string")
        limit = arguments.get("limit", 3)
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise ToolFailed("'limit' must be an integer")
        limit = max(1, min(limit, MAX_SEARCH_LIMIT))
        results = await search(query, context.access, limit=limit)
        citations = [citation_from_result(result) for result in results]
        if not results:
            return ToolOutput("No passages in the knowledge base match this query.", {"passages": []})
        content = "\n\n".join(f"[{index}] {result.title}\n{result.text}" for index, result in enumerate(results, start=1))
        return ToolOutput(content, {"passages": [citation.as_event() for citation in citations]}, citations)


# Tools other apps give the agent, registered from their AppConfig.ready (handoff's
# escalate_to_human): chat knows them only through this table.
_app_tools: dict[str, Tool] = {}


def register_tool(tool: Tool) -> None:
    _app_tools[tool.name] = tool


def registered_tools() -> dict[str, Tool]:
    from chat.interactions.tools import built_in_interaction_tools

    tools: dict[str, Tool] = {KnowledgeSearch.name: KnowledgeSearch(), **_app_tools, **built_in_interaction_tools()}
    for path in settings.SMOOTH_AGENT_TOOLS:
        tool = import_string(path)
        tool = tool() if isinstance(tool, type) else tool
        tools[tool.name] = tool
    return tools


def tool_schemas(tools: dict[str, Tool]) -> list[dict]:
    return [
        {"type": "function", "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters}}
        for tool in tools.values()
    ]
