"""The model/tool loop: stream from the gateway, run the tools the model calls,
repeat until a reply without tool calls or the agent's iteration cap. The last
allowed call offers no tools, so every turn ends with an answer. A failing tool is
an error result for the model, never a failed turn.

A call that waits for the visitor stops the loop with `Parked`: a tool the agent
gates behind confirmation, or an interaction raise tool on a session whose client can
show the card. The loop's whole state is JSON (LoopState), stored by
chat.turns.parking, and `resume_model_turn` goes on from it with the visitor's
`Answer`, in whichever process the answer reaches.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.conf import settings

from agents.config import AgentConfig
from chat import protocol
from chat.interactions import InvalidRequest
from chat.interactions.tools import SUBMIT, conversational_kinds
from chat.models import Message
from chat.turns import verification
from chat.turns.citations import Citation
from chat.turns.events import TurnEvents
from chat.turns.memory import model_messages
from chat.turns.outcome import Escalation, TurnOutcome
from chat.turns.pricing import CallMeter, cost_usd
from chat.turns.prompts import knowledge_context
from chat.turns.stages import Pipeline
from chat.turns.tools import ToolContext, ToolFailed, describe_call, registered_tools, tool_schemas
from core import metrics, tracing
from core.gateway import Completion, Failure, GatewayError, Usage, gateway

logger = logging.getLogger(__name__)
DENIED = "Denied by human: the visitor did not approve this action, so it was not carried out."


@dataclass
class LoopState:
    """Where a turn's model/tool loop is, as JSON-native values."""

    messages: list[dict]  # what the model is sent next
    parts: list[str] = field(default_factory=list)  # the reply's text so far
    citations: list[dict] = field(default_factory=list)  # from tool results (Citation fields)
    usage: dict | None = None  # Usage fields, summed
    calls_made: int = 0  # model calls so far
    calls: list[dict] = field(default_factory=list)  # tool calls of the last completion not yet run: {id, name, arguments}
    done: bool = False
    raised: dict = field(default_factory=dict)  # interaction specs asked for conversationally, by kind
    code_offered: bool = False  # a one-time code was offered this turn (once is enough)
    preamble_sent: bool = False
    escalation: str | None = None  # a tool asked for a person, for this reason

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict) -> LoopState:
        return cls(**value)


class Parked(Exception):
    """The loop waits for the visitor's answer to `call` (the first of `state.calls`):
    `prompt` is {"confirmation": <what the call does>} or {"interaction": <the card>}."""

    def __init__(self, state: LoopState, call: dict, prompt: dict):
        super().__init__(f"waiting for the visitor on {call['name']}")
        self.state, self.call, self.prompt = state, call, prompt


@dataclass(frozen=True)
class Answer:
    """The visitor's answer to a parked call: run it (an approval), or give the model `result`."""

    run: bool = False
    result: Any = None
    is_error: bool = False


APPROVED = Answer(run=True)
REFUSED = Answer(result=DENIED, is_error=True)


def opening_state(history: list[Message], results, agent: AgentConfig) -> LoopState:
    messages = [{"role": "system", "content": agent.system_prompt}]
    grounding = knowledge_context(results)
    if grounding:
        messages.append({"role": "system", "content": grounding})
    return LoopState(messages=messages + model_messages(history))


async def model_turn(
    events: TurnEvents, history: list[Message], results, context: ToolContext, agent: AgentConfig, stages: Pipeline | None = None
) -> TurnOutcome:
    return await run_loop(events, opening_state(history, results, agent), context, agent, stages)


async def resume_model_turn(
    events: TurnEvents, state: LoopState, context: ToolContext, agent: AgentConfig, answer: Answer, stages: Pipeline | None = None
) -> TurnOutcome:
    """Go on from a parked state with the visitor's answer to the call it waited on."""
    context = replace(context, raised=state.raised)
    call = state.calls.pop(0)
    if answer.run:
        await _run_and_record(events, _usable_tools(agent, context), call, context, state, announce=False)
    else:
        await events.chunk(call["name"], protocol.tool_result(call["name"], is_error=answer.is_error, result=answer.result))
        content = answer.result if isinstance(answer.result, str) else json.dumps(answer.result)
        state.messages.append({"role": "tool", "tool_call_id": call["id"], "content": content})
    return await run_loop(events, state, context, agent, stages)


async def _metered_call(
    client, events: TurnEvents, state: LoopState, agent: AgentConfig, tools, stages: Pipeline | None, agent_id: str | None
) -> Completion:
    """One streamed model call (the last allowed one offers no `tools`, so the turn ends
    with an answer), told to the stages and counted with its usage: the gateway's, else the
    estimate of what was asked and streamed, also when the call is cancelled or fails after
    the gateway took it."""
    meter = CallMeter.of(state.messages, tools)

    async def on_text(text: str) -> None:
        meter.streamed(text)
        await events.token(text)

    try:
        completion = await client.stream_chat(
            model=agent.model, messages=state.messages, max_tokens=settings.SMOOTH_AGENT_MAX_TOKENS, tools=tools, on_text=on_text
        )
    except BaseException as exc:  # cancelled too: what the model already did is paid for
        if _gateway_took_it(exc):
            _charged(meter.usage(), stages, agent.model, agent_id)
        raise
    calls = sum(len(call.name) + len(call.arguments) for call in completion.tool_calls)
    _charged(completion.usage or meter.usage(calls), stages, agent.model, agent_id)
    return completion


def _charged(usage: Usage, stages: Pipeline | None, model: str, agent_id: str | None) -> None:
    """A call's usage, told to the stages (the budgets charge it) and counted in the metrics."""
    if stages is not None:
        stages.model_called(usage)
    agent = agent_id or ""
    metrics.tokens.labels(agent=agent, kind="input").inc(usage.prompt_tokens)
    metrics.tokens.labels(agent=agent, kind="output").inc(usage.completion_tokens)
    metrics.cost_usd.labels(agent=agent).inc(cost_usd(usage, model))


def _gateway_took_it(exc: BaseException) -> bool:
    """Whether a failed call reached the model: not when the gateway refused it or could not be reached."""
    return not (isinstance(exc, GatewayError) and exc.failure in (Failure.UNREACHABLE, Failure.REJECTED, Failure.BUSY))


async def run_loop(
    events: TurnEvents, state: LoopState, context: ToolContext, agent: AgentConfig, stages: Pipeline | None = None
) -> TurnOutcome:
    """The stages are asked before every model call (a spent budget stops the turn
    before the gateway is asked) and told each call's usage."""
    context = replace(context, raised=state.raised)  # the conversational asks outlive a park
    tools = _usable_tools(agent, context)
    schemas = tool_schemas(tools)
    client = gateway()
    finish_reason = None
    while True:
        await _preamble(events, state)
        while state.calls:
            call = state.calls[0]
            if call["name"] in tools and agent.needs_verified_visitor(call["name"]) and not context.visitor_verified:
                state.calls.pop(0)
                await _refuse_unverified(events, call, context, state)
                continue
            prompt = _prompt(tools.get(call["name"]), _arguments(call), context, agent)
            if prompt is not None:
                raise Parked(state, call, prompt)
            state.calls.pop(0)
            await _run_and_record(events, tools, call, context, state, announce=True)
        if state.done or state.calls_made >= agent.max_iterations:
            break
        final = state.calls_made == agent.max_iterations - 1
        if stages is not None:
            await stages.before_model_call()
        completion = await _metered_call(client, events, state, agent, None if final else schemas, stages, context.agent_id)
        finish_reason = completion.finish_reason
        state.calls_made += 1
        state.parts.append(completion.text)
        if completion.usage:
            usage = Usage(**state.usage) if state.usage else Usage()
            usage.add(completion.usage)
            state.usage = asdict(usage)
        if not completion.tool_calls or final:  # on the final call no tool was offered: none runs
            state.done = True
            continue
        state.messages.append(
            {
                "role": "assistant",
                "content": completion.text or None,
                "tool_calls": [
                    {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
                    for call in completion.tool_calls
                ],
            }
        )
        state.calls = [{"id": call.id, "name": call.name, "arguments": call.arguments} for call in completion.tool_calls]

    if finish_reason:  # on the turn's span (chat.turns.runner's, around the loop): why its answer ended
        tracing.current_span().set_attribute("gen_ai.response.finish_reasons", [finish_reason])
    reply = "".join(state.parts)
    if not reply.strip():
        raise GatewayError(Failure.EMPTY, "the model returned no text")
    citations = [Citation(**citation) for citation in state.citations]
    escalation = Escalation(state.escalation, "tool") if state.escalation else None
    return TurnOutcome(reply, citations, Usage(**state.usage) if state.usage else None, escalation=escalation)


async def _preamble(events: TurnEvents, state: LoopState) -> None:
    """SMOOTH_AGENT_PREAMBLE, once, when the turn is about to call tools before any word of its answer."""
    if not state.calls or state.preamble_sent or not settings.SMOOTH_AGENT_PREAMBLE or "".join(state.parts).strip():
        return
    state.preamble_sent = True
    if events.stream:
        await events.send(protocol.stream_preamble(events.request_id, settings.SMOOTH_AGENT_PREAMBLE))


def _usable_tools(agent: AgentConfig, context: ToolContext) -> dict:
    """The registered tools the agent may call (submit_interaction only where some kind is asked conversationally)."""
    tools = {name: tool for name, tool in registered_tools().items() if agent.may_use(name)}
    if not conversational_kinds(context.supports):
        tools.pop(SUBMIT, None)
    return tools


async def _refuse_unverified(events: TurnEvents, call: dict, context: ToolContext, state: LoopState) -> None:
    """The tool does not run; the model is told why, and the visitor offered a code (once a turn)."""
    await announce_call(events, call)
    offered = state.code_offered
    if not offered:
        state.code_offered = offered = await verification.offer(events, context.session_id, call["name"])
    result = verification.VERIFY_FIRST if offered else verification.NO_WAY_TO_VERIFY
    await events.chunk(call["name"], protocol.tool_result(call["name"], is_error=True, result=result))
    state.messages.append({"role": "tool", "tool_call_id": call["id"], "content": result})


def _prompt(tool, arguments, context: ToolContext, agent: AgentConfig) -> dict | None:
    """What the visitor must answer before this call runs, or None when it runs now."""
    if tool is None or not isinstance(arguments, dict):
        return None  # it fails as it runs
    card = getattr(tool, "card", None)
    if callable(card):
        try:
            interaction = card(arguments, context)
        except InvalidRequest:
            return None  # its run says what is wrong, as an error result
        if interaction is not None:
            return {"interaction": interaction}
    if agent.needs_confirmation(tool.name):
        return {"confirmation": describe_call(tool, arguments)}
    return None


def _arguments(call: dict):
    try:
        return json.loads(call["arguments"] or "{}")
    except ValueError:
        return None


async def _run_and_record(events: TurnEvents, tools: dict, call: dict, context: ToolContext, state: LoopState, *, announce: bool) -> None:
    content, found, escalation = await _run_tool(events, tools, call, context, announce=announce)
    state.citations += [asdict(citation) for citation in found]
    state.escalation = escalation or state.escalation
    state.messages.append({"role": "tool", "tool_call_id": call["id"], "content": content})


async def announce_call(events: TurnEvents, call: dict) -> None:
    arguments = _arguments(call)
    await events.chunk(call["name"], protocol.tool_call(call["name"], arguments if arguments is not None else call["arguments"]))


async def _run_tool(
    events: TurnEvents, tools: dict, call: dict, context: ToolContext, *, announce: bool
) -> tuple[str, list[Citation], str | None]:
    """Run one tool call, reporting it before (unless its call was shown already, when it
    parked) and after; a failure becomes an error result for the model."""
    name = call["name"]
    attributes = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name, "gen_ai.tool.call.id": call["id"]}
    with tracing.span(f"execute_tool {name}", attributes) as span:
        content, found, escalation = await _execute(events, tools, call, context, span, announce=announce)
        if tracing.content_allowed():
            span.set_attributes({"gen_ai.tool.call.arguments": call["arguments"], "gen_ai.tool.call.result": content})
    return content, found, escalation


async def _execute(
    events: TurnEvents, tools: dict, call: dict, context: ToolContext, span, *, announce: bool
) -> tuple[str, list[Citation], str | None]:
    """The call and its events; what the model reads (a failure marks `span` failed)."""
    name, arguments = call["name"], _arguments(call)
    if announce:
        await announce_call(events, call)
    tool = tools.get(name)
    try:
        if tool is None:
            raise ToolFailed(f"there is no tool named {name!r}")
        if not isinstance(arguments, dict):
            raise ToolFailed("the arguments must be a JSON object")
        async with events.kept_alive():
            output = await tool.run(arguments, context)
    except ToolFailed as exc:
        tracing.failed(span, "ToolFailed")
        await events.chunk(name, protocol.tool_result(name, is_error=True, result=str(exc)))
        return f"Error: {exc}", [], None
    except Exception as exc:
        logger.exception("tool %s failed", name)
        tracing.failed(span, type(exc).__qualname__)
        await events.chunk(name, protocol.tool_result(name, is_error=True, result="the tool failed"))
        return "Error: the tool failed", [], None
    await events.chunk(name, protocol.tool_result(name, is_error=False, result=output.exposed))
    return output.content, output.citations, output.escalation
