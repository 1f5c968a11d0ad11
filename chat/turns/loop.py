"""One agent turn: store the question, gather memory and knowledge, run the
model/tool loop (or the offline composer), store the reply, answer.

Exactly one terminal event per turn: `eventual_response` after the reply is
stored, or one `error`. A failed turn keeps the user's message and stores no
reply at all (never a partial one as if it were complete).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

from channels.db import database_sync_to_async
from django.conf import settings

from agents.config import AgentConfig
from chat import binding, protocol, selectors, services
from chat.models import Message, Session
from chat.protocol import ErrorCode
from chat.turns import offline
from chat.turns.citations import Citation, citation_from_result, collect
from chat.turns.coalesce import TokenCoalescer
from chat.turns.prompts import knowledge_context
from chat.turns.tools import ToolContext, ToolFailed, registered_tools, tool_schemas
from knowledge import retrieval
from knowledge.access import AccessContext
from knowledge.embeddings import embed_query
from smooth.gateway import Failure, GatewayError, Usage, gateway

logger = logging.getLogger(__name__)
MEMORY_MESSAGES = 50
AUTO_CONTEXT_PASSAGES = 3


class Emitter:
    """Sends a turn's events to its socket; quietly drops them once the socket is
    gone (the turn still completes and stores its reply)."""

    def __init__(self, conn, request_id: str, stream: bool):
        self.conn, self.request_id, self.stream = conn, request_id, stream
        self._tokens = TokenCoalescer(self._send_token)

    async def _deliver(self, event: dict) -> None:
        if self.conn.closed:
            return
        try:
            await self.conn.send(event)
        except Exception:  # the socket closed between the check and the send
            logger.debug("event for a closed connection dropped")

    async def _send_token(self, text: str) -> None:
        await self._deliver(protocol.stream_token(self.request_id, text))

    async def send(self, event: dict) -> None:
        await self._tokens.flush()  # tokens waiting to be coalesced go first
        await self._deliver(event)

    async def token(self, text: str) -> None:
        if self.stream:
            await self._tokens.add(text)

    async def chunk(self, node: str, raw_response: dict) -> None:
        if self.stream:
            await self.send(protocol.stream_chunk(self.request_id, node, raw_response))


@dataclass
class TurnOutcome:
    reply: str
    tool_citations: list[Citation]
    usage: Usage | None
    # The auto-context passages the reply drew on; None: all of them (the model saw all).
    grounding: list | None = None


def usage_event(usage: Usage | None, model: str) -> dict | None:
    if usage is None:
        return None
    prompt_price, completion_price = settings.SMOOTH_AGENT_PRICES.get(model, (0.0, 0.0))
    cost = (usage.prompt_tokens * prompt_price + usage.completion_tokens * completion_price) / 1_000_000
    return {"promptTokens": usage.prompt_tokens, "completionTokens": usage.completion_tokens, "costUsd": round(cost, 8)}


def _memory(history: list[Message]) -> list[dict]:
    roles = {Message.Direction.INBOUND: "user", Message.Direction.OUTBOUND: "assistant"}
    return [{"role": roles[message.direction], "content": message.text} for message in history]


@dataclass(frozen=True)
class Opening:
    """What the turn's opening hop read: memory, knowledge candidates, what it may read, how to run."""

    history: list[Message]
    candidates: list[retrieval.SearchResult]
    access: AccessContext
    agent: AgentConfig


def _open(session_id, request, conn, query_vector) -> Opening:
    """One thread hop for the turn's opening: check again that this connection may
    use the session (its agent, policy or origin list may have changed since it
    attached), store the question, read the memory (which now ends with it), rank
    the knowledge the session may read, read the agent's settings."""
    session = binding.load_session(session_id)
    if session is None:
        raise Session.DoesNotExist
    binding.check_binding(session, origin=conn.origin, principal=conn.principal, attached=True, credentials=binding.NO_CREDENTIALS)
    services.record_user_message(session_id=session.session_id, text=request.message, request_id=request.request_id)
    history = selectors.recent_messages(session.conversation_id, limit=MEMORY_MESSAGES)
    access = binding.reader_access(session, conn.principal)
    candidates = retrieval.rank(request.message, access, limit=AUTO_CONTEXT_PASSAGES, query_vector=query_vector)
    return Opening(history, candidates, access, AgentConfig.of(session.agent))


async def run_turn(conn, session, request) -> None:
    emit = Emitter(conn, request.request_id, request.stream)
    try:
        query_vector = await embed_query(request.message)  # the network, before the database hop
        opening = await database_sync_to_async(_open)(session.session_id, request, conn, query_vector)
        results = await retrieval.rerank(request.message, opening.candidates, AUTO_CONTEXT_PASSAGES)
        try:
            if settings.SMOOTH_AGENT_LLM == "offline":
                outcome = await _offline_turn(emit, request.message, results)
            else:
                outcome = await _model_turn(emit, opening.history, results, ToolContext(opening.access), opening.agent)
        except asyncio.CancelledError:
            # Shutdown gave up on the answer while it was being written (deadline or a
            # second signal). Later, while storing, a cancel sends nothing: the reply may
            # be stored by then, and a re-attaching client reads it back.
            await emit.send(
                protocol.error(
                    request.request_id, ErrorCode.AGENT_ERROR, "the server restarted before this answer was finished; please ask again"
                )
            )
            raise

        grounding = results if outcome.grounding is None else outcome.grounding
        citations = collect([citation_from_result(result) for result in grounding], outcome.tool_citations)
        citation_events = [citation.as_event() for citation in citations]
        usage = usage_event(outcome.usage, opening.agent.model)  # None offline: no model, no usage
        tokens = outcome.usage.prompt_tokens + outcome.usage.completion_tokens if outcome.usage else 0
        reply = await database_sync_to_async(services.record_reply)(
            session_id=session.session_id,
            text=outcome.reply,
            items=[{"type": "citation", **event} for event in citation_events],
            tokens=tokens,
            request_id=request.request_id,
        )
        response = protocol.general_agent_response(
            outcome.reply,
            request_summary=request.message[:200],
            resolution_status="needs_more_info" if outcome.reply == offline.NOTHING_FOUND else "in_progress",
        )
        await emit.send(
            protocol.eventual_response(
                request.request_id, message_id=str(reply.id), response=response, citations=citation_events, usage=usage
            )
        )
    except (binding.BindingRefused, Session.DoesNotExist) as exc:  # refused or deleted since it attached
        logger.info("turn %s refused: %s", request.request_id, exc or "the session no longer exists")
        await conn.detach_session(session.session_id)
        await emit.send(protocol.error(request.request_id, ErrorCode.SESSION_NOT_FOUND, f"session {session.session_id} not found"))
    except GatewayError as exc:
        logger.warning("turn %s failed: %s", request.request_id, exc)  # the redacted detail; the visitor gets a fixed sentence
        await emit.send(protocol.error(request.request_id, ErrorCode.AGENT_ERROR, exc.public_message))
    except Exception:
        logger.exception("turn %s failed", request.request_id)
        await emit.send(protocol.error(request.request_id, ErrorCode.INTERNAL_ERROR, "internal server error"))


async def _offline_turn(emit: Emitter, question: str, results) -> TurnOutcome:
    reply, used = offline.compose_reply(question, results)
    for index, word in enumerate(offline.words_of(reply)):
        if index:
            await asyncio.sleep(offline.WORD_DELAY_SECONDS)  # a reading pace, so it visibly streams
        await emit.token(word)
    return TurnOutcome(reply, [], None, grounding=used)


async def _model_turn(emit: Emitter, history: list[Message], results, context: ToolContext, agent: AgentConfig) -> TurnOutcome:
    messages = [{"role": "system", "content": agent.system_prompt}]
    grounding = knowledge_context(results)
    if grounding:
        messages.append({"role": "system", "content": grounding})
    messages += _memory(history)
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
            on_text=emit.token,
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
            content, found = await _run_tool(emit, tools, call, context)
            citations += found
            messages.append({"role": "tool", "tool_call_id": call.id, "content": content})

    reply = "".join(parts)
    if not reply.strip():
        raise GatewayError(Failure.EMPTY, "the model returned no text")
    return TurnOutcome(reply, citations, usage)


async def _run_tool(emit: Emitter, tools: dict, call, context: ToolContext) -> tuple[str, list[Citation]]:
    """Run one tool call, reporting it before and after; a failure becomes an error result for the model."""
    try:
        arguments = json.loads(call.arguments or "{}")
    except ValueError:
        arguments = None
    await emit.chunk(call.name, {"toolCall": {"name": call.name, "arguments": arguments if arguments is not None else call.arguments}})
    tool = tools.get(call.name)
    try:
        if tool is None:
            raise ToolFailed(f"there is no tool named {call.name!r}")
        if not isinstance(arguments, dict):
            raise ToolFailed("the arguments must be a JSON object")
        output = await tool.run(arguments, context)
    except ToolFailed as exc:
        await emit.chunk(call.name, {"toolResult": {"name": call.name, "isError": True, "result": str(exc)}})
        return f"Error: {exc}", []
    except Exception:
        logger.exception("tool %s failed", call.name)
        await emit.chunk(call.name, {"toolResult": {"name": call.name, "isError": True, "result": "the tool failed"}})
        return "Error: the tool failed", []
    await emit.chunk(call.name, {"toolResult": {"name": call.name, "isError": False, "result": output.exposed}})
    return output.content, output.citations
