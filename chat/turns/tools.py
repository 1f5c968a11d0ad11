"""Tools the model may call. `knowledge_search` is always there; deployments
add more with SMOOTH_AGENT_TOOLS (dotted paths to tool classes or instances).

A tool has `name`, `description`, `parameters` (JSON Schema) and
`run(arguments, context) -> ToolOutput`. Only `ToolOutput.exposed` reaches the
client (in a stream_chunk); `citations` feed the turn's citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from chat.turns.citations import Citation, citation_from_result
from knowledge.access import AccessContext
from knowledge.retrieval import search

MAX_SEARCH_LIMIT = 10


@dataclass(frozen=True)
class ToolContext:
    access: AccessContext  # what the turn may read, in the session's organisation


@dataclass
class ToolOutput:
    content: str  # what the model reads
    exposed: Any  # what the client may see
    citations: list[Citation] = field(default_factory=list)


class ToolFailed(Exception):
    """A tool's own failure: reported to the model as an error result, never a failed turn."""


class Tool(Protocol):
    name: str
    description: str
    parameters: dict

    async def run(self, arguments: dict, context: ToolContext) -> ToolOutput: ...


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


def registered_tools() -> dict[str, Tool]:
    tools: dict[str, Tool] = {KnowledgeSearch.name: KnowledgeSearch()}
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
