"""One turn's life, after its 202: open (the question stored, memory, knowledge),
answer (offline or with the model), store the reply, end with one terminal event.

Exactly one terminal event per turn, published to the session: `eventual_response`
after the reply is stored, `cancelled` (a `cancel`), or one `error`. A turn that does
not finish keeps the user's message and stores no reply (never a partial one). The
lease is released before the terminal event goes out, so the next `send_message`
is accepted as soon as a client has seen the end of this one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from django.conf import settings

from chat import binding, protocol, services
from chat.models import Session
from chat.protocol import ErrorCode
from chat.turns import leases, offline, registry
from chat.turns.citations import citation_from_result, collect
from chat.turns.events import TurnEvents
from chat.turns.loop import model_turn
from chat.turns.opening import AUTO_CONTEXT_PASSAGES, open_turn
from chat.turns.pricing import total_tokens, usage_event
from chat.turns.registry import StopReason, Turn
from chat.turns.tools import ToolContext
from knowledge import retrieval
from smooth.gateway import GatewayError

logger = logging.getLogger(__name__)

RESTARTED = "the server restarted before this answer was finished; please ask again"
INTERRUPTED = "this answer was interrupted; please ask again"


async def run(turn: Turn, request) -> None:
    events = TurnEvents(turn.session_id, request.request_id, stream=request.stream, origin=turn.conn)
    keeping = asyncio.create_task(_keep_lease(turn))
    shutting_down = False
    try:
        terminal = await _answer(turn, events, request)
    except asyncio.CancelledError:
        if turn.stopped == StopReason.CANCELLED:
            asyncio.current_task().uncancel()  # stopped on purpose: the turn ends here, normally
            terminal = protocol.cancelled(request.request_id)
        elif turn.stopped == StopReason.LEASE_LOST:
            asyncio.current_task().uncancel()
            terminal = protocol.error(request.request_id, ErrorCode.AGENT_ERROR, INTERRUPTED)
        else:  # shutdown gave up on it (deadline or a second signal)
            shutting_down = True
            terminal = protocol.error(request.request_id, ErrorCode.AGENT_ERROR, RESTARTED)
    keeping.cancel()
    try:
        await leases.release(turn.session_id, turn.lease)
    except Exception:  # whatever went wrong, the lease expires on its own
        logger.exception("turn %s could not release its lease", request.request_id)
    await events.send(terminal)
    if turn.refused:  # after its last event is on the way: the socket may not use the session any more
        await turn.conn.detach_session(turn.session_id)
    if shutting_down:
        raise asyncio.CancelledError


async def _answer(turn: Turn, events: TurnEvents, request) -> dict:
    """The turn's terminal event, once the reply is stored (or the error it ended in)."""
    try:
        query_vector = await retrieval.query_vector_for(request.message)  # the network, before the database hop
        opening = await database_sync_to_async(open_turn)(turn.session_id, request, turn.conn, query_vector)
        results = await retrieval.rerank(request.message, opening.candidates, AUTO_CONTEXT_PASSAGES)
        if settings.SMOOTH_AGENT_LLM == "offline":
            outcome = await offline.offline_turn(events, request.message, results)
        else:
            outcome = await model_turn(events, opening.history, results, ToolContext(opening.access), opening.agent)

        turn.stoppable = False  # storing: from here the turn finishes, whatever asks
        grounding = results if outcome.grounding is None else outcome.grounding
        citations = [
            citation.as_event() for citation in collect([citation_from_result(result) for result in grounding], outcome.tool_citations)
        ]
        reply = await database_sync_to_async(services.record_reply)(
            session=opening.session,
            text=outcome.reply,
            items=[{"type": "citation", **citation} for citation in citations],
            tokens=total_tokens(outcome.usage),
            request_id=request.request_id,
        )
        response = protocol.general_agent_response(
            outcome.reply,
            request_summary=request.message[:200],
            resolution_status="needs_more_info" if outcome.reply == offline.NOTHING_FOUND else "in_progress",
        )
        usage = usage_event(outcome.usage, opening.agent.model)  # None offline: no model, no usage
        return protocol.eventual_response(request.request_id, message_id=str(reply.id), response=response, citations=citations, usage=usage)
    except (binding.BindingRefused, Session.DoesNotExist) as exc:  # refused since it attached, or deleted
        logger.info("turn %s refused: %s", request.request_id, exc or "the session no longer exists")
        turn.refused = True
        return protocol.error(request.request_id, ErrorCode.SESSION_NOT_FOUND, f"session {turn.session_id} not found")
    except GatewayError as exc:
        logger.warning("turn %s failed: %s", request.request_id, exc)  # the redacted detail; the visitor gets a fixed sentence
        return protocol.error(request.request_id, ErrorCode.AGENT_ERROR, exc.public_message)
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("turn %s failed", request.request_id)
        return protocol.error(request.request_id, ErrorCode.INTERNAL_ERROR, "internal server error")


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
