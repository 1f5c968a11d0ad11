"""One turn's life, after its 202: open (the question stored, memory, knowledge),
answer (offline or with the model), store the reply, end with one terminal event.
A turn that parks (a tool call waiting for approval: chat.turns.parking) ends here
without one; `resume` runs the rest of it, in whichever process the answer reaches.

Exactly one terminal event per turn, published to the session: `eventual_response`
after the reply is stored, `cancelled` (a `cancel`, or a message to the person who holds
the conversation: handoff), or one `error`. A turn that does
not finish keeps the user's message and stores no reply (never a partial one). The
lease is released before the terminal event goes out, so the next `send_message`
is accepted as soon as a client has seen the end of this one.

With tracing on, a turn is one span (`invoke_agent <agent name>`, the GenAI conventions'
agent invocation) from its start to its terminal event, the parent of every span its
stages, searches, model calls and tools make, on the event loop or in the threads it
hops to (asgiref and the search threads carry the context). How it ended (answered,
cancelled, refused, error, or parked) goes on the span and into the metrics
(chat.turns.accounting, which also records the end of a parked turn that has no rest).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction

from agents.config import AgentConfig
from chat import binding, protocol, services
from chat.errors import protocol_error
from chat.models import Session
from chat.protocol import ErrorCode
from chat.turns import accounting, leases, offline, parking, registry
from chat.turns.citations import Citation, citation_from_result, collect
from chat.turns.events import TurnEvents
from chat.turns.loop import Answer, LoopState, Parked, model_turn, resume_model_turn
from chat.turns.opening import open_turn
from chat.turns.outcome import Escalation, TurnOutcome
from chat.turns.pricing import cost_usd, total_tokens, usage_event
from chat.turns.registry import StopReason, Turn
from chat.turns.stages import Pipeline, StageTurn, session_related
from chat.turns.tools import ToolContext
from core import logformat, tracing
from core.gateway import GatewayError

logger = logging.getLogger(__name__)

RESTARTED = "the server restarted before this answer was finished; please ask again"
INTERRUPTED = "this answer was interrupted; please ask again"


async def run(turn: Turn, request) -> None:
    events = TurnEvents(turn.session_id, request.request_id, stream=request.stream, origin=turn.conn, accepted_at=turn.accepted_at)
    await _live(turn, events, _answer(turn, events, request))


async def resume(turn: Turn, parked, answer: Answer) -> None:
    """The rest of a parked turn (`parked`, a ParkedTurn row this process took), under
    `turn`'s lease: the call it waited on gets the visitor's answer, and the loop goes on."""
    state = parked.state
    events = TurnEvents(
        turn.session_id, turn.request_id, stream=state["stream"], origin=turn.conn, start=state["events"], accepted_at=turn.accepted_at
    )
    await _live(turn, events, _resumed_answer(turn, events, state, answer), parked_trace=state.get("trace", {}))


async def _live(turn: Turn, events: TurnEvents, answering, *, parked_trace: dict | None = None) -> None:
    """The turn's life (`_run`) in its span, and how it ended, counted. The rest of a
    parked turn (`parked_trace`: where the turn that parked was traced) is a trace of its
    own, whenever and wherever it runs, with a link to the span of the turn that parked."""
    attached = turn.conn.sessions.get(str(turn.session_id))
    agent_id = str(attached.agent_id) if attached and attached.agent_id else None
    logformat.bind(session=turn.session_id, requestId=turn.request_id, agent=agent_id)
    attributes = accounting.turn_attributes(turn.session_id, turn.request_id, agent_id=agent_id, resumed=parked_trace is not None)
    with tracing.span("invoke_agent", attributes, links=tracing.linked_to(parked_trace, "parked_turn")) as span:
        terminal, shutting_down = await _run(turn, events, answering)
        accounting.ended(span, terminal, time.perf_counter() - events.accepted_at)
    if shutting_down:  # after the span has ended, with the turn's own outcome
        raise asyncio.CancelledError


async def _run(turn: Turn, events: TurnEvents, answering) -> tuple[dict | None, bool]:
    """Run `answering` (the terminal event, or None when the turn parked) under the
    turn's lease, and end with that event whatever stops it. Returns it, and whether
    the process is shutting down (the caller raises the cancellation on)."""
    keeping = asyncio.create_task(_keep_lease(turn))
    shutting_down = False
    this_task = asyncio.current_task()
    assert this_task is not None  # a turn runs as a task of its own (registry.add)
    try:
        terminal = await answering
    except asyncio.CancelledError:
        if turn.stopped == StopReason.CANCELLED:
            this_task.uncancel()  # stopped on purpose: the turn ends here, normally
            terminal = protocol.cancelled(turn.request_id)
        elif turn.stopped == StopReason.LEASE_LOST:
            this_task.uncancel()
            terminal = protocol.error(turn.request_id, ErrorCode.AGENT_ERROR, INTERRUPTED)
        else:  # shutdown gave up on it (deadline or a second signal)
            shutting_down = True
            terminal = protocol.error(turn.request_id, ErrorCode.AGENT_ERROR, RESTARTED)
    keeping.cancel()
    if turn.stages is not None:  # what the stages write whatever the end (the spend of a failed turn)
        await turn.stages.ended()
    try:
        await leases.release(turn.session_id, turn.lease)  # a parked turn's lease is no longer this one: nothing to do
    except Exception:  # whatever went wrong, the lease expires on its own
        logger.exception("turn %s could not release its lease", turn.request_id)
    if terminal is not None:
        await events.send(terminal)
    if turn.refused:  # after its last event is on the way: the socket may not use the session any more
        await turn.conn.detach_session(turn.session_id)
    return terminal, shutting_down


async def _answer(turn: Turn, events: TurnEvents, request) -> dict | None:
    """The turn's terminal event, once the reply is stored (or the error it ended in);
    None when it parked."""
    try:
        opening = await database_sync_to_async(open_turn)(turn.session_id, request, turn.conn)
        turn.stages = opening.stages
        _describe(opening.session, opening.agent)
        if opening.leftover is not None:  # a parked turn that expired unseen: its end goes out first
            await parking.end_leftover(opening.leftover)
        ending = await opening.stages.opened()
        if ending is not None:  # a stage answers instead of the model (handoff), or nobody does
            if ending.text is None:
                return protocol.cancelled(turn.request_id)
            await offline.say(events, ending.text)
            outcome = TurnOutcome(ending.text, [], None, grounding=[], escalation=ending.escalation)
            return await _finish(turn, opening.session, outcome, [], request.message, opening.agent, searched=False)
        results = await opening.stages.context()  # knowledge's passages
        if settings.SMOOTH_AGENT_LLM == "offline":
            outcome = await offline.offline_turn(events, request.message, results)
        else:
            try:
                context = _tool_context(opening.session, opening.access)
                outcome = await model_turn(events, opening.history, results, context, opening.agent, opening.stages)
            except Parked as parked:
                grounding = [citation_from_result(result) for result in results]
                await parking.park(turn, events, parked, session=opening.session, question=request.message, grounding=grounding)
                return None
        grounding = results if outcome.grounding is None else outcome.grounding
        return await _finish(
            turn, opening.session, outcome, [citation_from_result(result) for result in grounding], request.message, opening.agent
        )
    except Exception as exc:
        return _failure(turn, exc)


async def _resumed_answer(turn: Turn, events: TurnEvents, state: dict, answer: Answer) -> dict | None:
    try:
        session, access, agent, turn.stages = await database_sync_to_async(_resumed_context)(turn, state["question"])
        _describe(session, agent)
        await turn.stages.opened()  # a resumed turn is not ended by a stage, but may be refused (a spent budget)
        grounding = [Citation(**citation) for citation in state["grounding"]]
        loop = LoopState.from_json(state["loop"])
        try:
            outcome = await resume_model_turn(events, loop, _tool_context(session, access), agent, answer, turn.stages)
        except Parked as parked:  # the next call waits for the visitor too
            await parking.park(turn, events, parked, session=session, question=state["question"], grounding=grounding)
            return None
        return await _finish(turn, session, outcome, grounding, state["question"], agent)
    except Exception as exc:
        return _failure(turn, exc)


def _describe(session, agent: AgentConfig) -> None:
    """The turn's span, once its session is read."""
    span = tracing.current_span()
    if not span.is_recording():
        return
    span.update_name(f"invoke_agent {session.agent_name}" if session.agent_name else "invoke_agent")
    attributes = {
        "gen_ai.conversation.id": str(session.conversation_id),
        "smooth.conversation.id": str(session.conversation_id),
        "smooth.organization.id": session.organization_id,
        "gen_ai.agent.name": session.agent_name,
    }
    if session.agent_id is not None:
        attributes["gen_ai.agent.id"] = attributes["smooth.agent.id"] = str(session.agent_id)
    if settings.SMOOTH_AGENT_LLM != "offline":
        attributes["gen_ai.request.model"] = agent.model
    span.set_attributes(attributes)


def _tool_context(session, access) -> ToolContext:
    supports = frozenset(session.conversation.supports)
    return ToolContext(
        access,
        session_id=session.session_id,
        supports=supports,
        visitor_verified=session.visitor_verified,
        agent_id=str(session.agent_id) if session.agent_id else None,
    )


def _resumed_context(turn: Turn, question: str):
    """The session (checked again for the connection that answered), what it may read, its agent,
    and the turn's stages, opened again."""
    session = binding.load_session(turn.session_id, session_related())
    if session is None:
        raise Session.DoesNotExist
    binding.check_binding(
        session, origin=turn.conn.origin, principal=turn.conn.principal, attached=True, credentials=binding.NO_CREDENTIALS
    )
    agent = AgentConfig.of(session.agent)
    access = binding.reader_access(session, turn.conn.principal)
    stages = Pipeline.opened_for(StageTurn(session, question, turn.conn.client_ip, agent.model, access, resumed=True))
    return session, access, agent, stages


async def _finish(
    turn: Turn, session, outcome, grounding: list[Citation], question: str, agent: AgentConfig, *, searched: bool = True
) -> dict:
    """Store the reply (with how many passages grounded it, when the knowledge was
    searched: 0 is a question it found nothing for); its eventual_response."""
    turn.stoppable = False  # storing: from here the turn finishes, whatever asks
    stages = turn.stages
    assert stages is not None  # opened before anything is answered
    citations = [citation.as_event() for citation in collect(grounding, outcome.tool_citations)]
    reply = await database_sync_to_async(_store_reply)(
        stages,
        outcome.escalation,
        session=session,
        text=outcome.reply,
        items=[{"type": "citation", **citation} for citation in citations],
        tokens=total_tokens(outcome.usage),
        request_id=turn.request_id,
        passages=len(grounding) if searched else None,
    )
    await stages.replied()
    if outcome.escalation is not None:
        status = "requires_escalation"
    else:
        status = "needs_more_info" if outcome.reply == offline.NOTHING_FOUND else "in_progress"
    response = protocol.general_agent_response(outcome.reply, request_summary=question[:200], resolution_status=status)
    if settings.SMOOTH_AGENT_LLM == "offline":
        response["quoted"] = True  # no model wrote it: sentences quoted from the knowledge base (Smooth's page says so)
    usage = usage_event(outcome.usage, agent.model)  # None offline: no model, no usage
    span = tracing.current_span()  # the turn's
    if outcome.usage is not None and span.is_recording():  # the reply's usage, as its client is told it
        span.set_attributes(
            {
                "gen_ai.usage.input_tokens": outcome.usage.prompt_tokens,
                "gen_ai.usage.output_tokens": outcome.usage.completion_tokens,
                "smooth.cost.usd": cost_usd(outcome.usage, agent.model),
            }
        )
    return protocol.eventual_response(
        turn.request_id,
        message_id=str(reply.id),
        response=response,
        citations=citations,
        usage=usage,
        escalation_reason=outcome.escalation.reason if outcome.escalation else None,
    )


def _store_reply(stages: Pipeline, escalation: Escalation | None, **reply):
    """The reply, with what the stages store beside it (its last model call's spend, the
    handoff it asks for), in one transaction."""
    with transaction.atomic():
        message = services.record_reply(**reply)
        stages.on_reply(message, escalation)
    return message


def _failure(turn: Turn, exc: Exception) -> dict:
    """The error a turn ends in (a CancelledError is no Exception: it goes on up, to `_live`)."""
    if isinstance(exc, binding.BindingRefused | Session.DoesNotExist):  # refused since it attached, or deleted
        logger.info("turn %s refused: %s", turn.request_id, exc or "the session no longer exists")
        turn.refused = True
        return protocol.error(turn.request_id, ErrorCode.SESSION_NOT_FOUND, f"session {turn.session_id} not found")
    if (refusal := protocol_error(exc, turn.conn.language)) is not None:  # an app's own refusal (a spent budget)
        logger.info("turn %s refused: %s", turn.request_id, exc)
        return protocol.error(turn.request_id, refusal.code, refusal.message)
    if isinstance(exc, GatewayError):
        logger.warning("turn %s failed: %s", turn.request_id, exc)  # the redacted detail; the visitor gets a fixed sentence
        return protocol.error(turn.request_id, ErrorCode.AGENT_ERROR, exc.public_message)
    logger.exception("turn %s failed", turn.request_id, exc_info=exc)
    return protocol.error(turn.request_id, ErrorCode.INTERNAL_ERROR, "internal server error")


async def _keep_lease(turn: Turn) -> None:
    """Renew the turn's lease every third of its length; stop the turn if another took it."""
    with contextlib.suppress(asyncio.CancelledError):
        while True:
            await asyncio.sleep(settings.SMOOTH_TURN_LEASE_SECONDS / 3)
            try:
                if not await leases.renew(turn.session_id, turn.lease):
                    logger.warning("turn %s lost its lease; stopping it", turn.request_id)
                    registry.stop(turn.session_id, turn.request_id, StopReason.LEASE_LOST)
                    return
            except Exception:  # try again next time; the lease outlives two misses
                logger.warning("turn %s could not renew its lease", turn.request_id, exc_info=True)
