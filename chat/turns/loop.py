"""The model/tool loop: stream from the gateway, run the tools the model calls,
repeat until a reply without tool calls or the agent's iteration cap. The last
allowed call offers no tools, so every turn ends with an answer. A failing tool is
an error result for the model, never a failed turn."""

from __future__ import annotations

import json
import logging

from django.conf import settings

from agents.config import AgentConfig
from chat import protocol
from chat.models import Message
from chat.turns.citations import Citation
from chat.turns.events import TurnEvents
from chat.turns.memory import model_messages
from chat.turns.outcome import TurnOutcome
from chat.turns.prompts import knowledge_context
from chat.turns.tools import ToolContext, ToolFailed, registered_tools, tool_schemas
from smooth.gateway import Failure, GatewayError, Usage, gateway

logger = logging.getLogger(__name__)


async def model_turn(events: TurnEvents, history: list[Message], results, context: ToolContext, agent: AgentConfig) -> TurnOutcome:
    messages = [{"role": "system", "content": agent.system_prompt}]
    grounding = knowledge_context(results)
    if grounding:
        messages.append({"role": "system", "content": grounding})
    messages += model_messages(history)
    tools = registered_tools()
    schemas = tool_schemas(tools)
    client = gateway()
    parts: list[str] = []
    citations: list[Citation] = []
    usage: Usage | None = None

    for iteration in range(agent.max_iterations):
        final = iteration == agent.max_iterations - 1
        # The last allowed call offers no tools, so the turn ends with an answer.
        completion = await client.stream_chat(
            model=agent.model,
            messages=messages,
            max_tokens=settings.SMOOTH_AGENT_MAX_TOKENS,
            tools=None if final else schemas,
            on_text=events.token,
        )
        parts.append(completion.text)
        if completion.usage:
            usage = usage or Usage()
            usage.add(completion.usage)
        if not completion.tool_calls or final:  # on the final call no tool was offered: none runs
            break
        messages.append(
            {
                "role": "assistant",
                "content": completion.text or None,
                "tool_calls": [
                    {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
                    for call in completion.tool_calls
                ],
            }
        )
        for call in completion.tool_calls:
            content, found = await _run_tool(events, tools, call, context)
            citations += found
            messages.append({"role": "tool", "tool_call_id": call.id, "content": content})

    reply = "".join(parts)
    if not reply.strip():
        raise GatewayError(Failure.EMPTY, "the model returned no text")
    return TurnOutcome(reply, citations, usage)


async def _run_tool(events: TurnEvents, tools: dict, call, context: ToolContext) -> tuple[str, list[Citation]]:
    """Run one tool call, reporting it before and after; a failure becomes an error result for the model."""
    try:
        arguments = json.loads(call.arguments or "{}")
    except ValueError:
        arguments = None
    await events.chunk(call.name, protocol.tool_call(call.name, arguments if arguments is not None else call.arguments))
    tool = tools.get(call.name)
    try:
        if tool is None:
            raise ToolFailed(f"there is no tool named {call.name!r}")
        if not isinstance(arguments, dict):
            raise ToolFailed("the arguments must be a JSON object")
        output = await tool.run(arguments, context)
    except ToolFailed as exc:
        await events.chunk(call.name, protocol.tool_result(call.name, is_error=True, result=str(exc)))
        return f"Error: {exc}", []
    except Exception:
        logger.exception("tool %s failed", call.name)
        await events.chunk(call.name, protocol.tool_result(call.name, is_error=True, result="the tool failed"))
        return "Error: the tool failed", []
    await events.chunk(call.name, protocol.tool_result(call.name, is_error=False, result=output.exposed))
    return output.content, output.citations
