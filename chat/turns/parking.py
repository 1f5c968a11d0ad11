"""Turns that wait for the visitor: parked in the database, resumed in any process.

A turn whose model calls a tool gated behind confirmation, or raises an interaction the
visitor's client can show, parks (chat.turns.loop.Parked):
1. its loop state, question and grounding go into its session's ParkedTurn row;
2. the session's lease becomes a parked lease for SMOOTH_PARKED_TURN_TTL_MINUTES, so
   a send_message meanwhile is TURN_IN_PROGRESS without a database read;
3. then the client is told: `write_confirmation_required` or `interaction_required`,
   then the call's `stream_chunk`.

No process holds a parked turn. Whichever process the visitor's answer reaches takes
the row (`take`: the lease first, then the row, deleted as it is read, so two answers
cannot both resume it) and runs the rest of the turn there, its events numbered on
from the parked ones. A `cancel` ends it (`cancelled`); so does the TTL (`error`
TURN_EXPIRED), from a timer in the process that parked it or, if that process is
gone, when the session is next used.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from dataclasses import asdict

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from chat import protocol
from chat.models import ParkedTurn
from chat.protocol import ErrorCode
from chat.turns import accounting, control, leases
from chat.turns.events import TurnEvents
from chat.turns.leases import Lease
from chat.turns.loop import Parked, announce_call
from core import tracing

logger = logging.getLogger(__name__)
EXPIRED = "this answer waited too long for your reply and was ended; please ask again"
TAKE_ATTEMPTS = 40  # times 25 ms: a turn that is parking right now holds its running lease that long at most
_timers: set[asyncio.Task] = set()


def ttl_seconds() -> float:
    return settings.SMOOTH_PARKED_TURN_TTL_MINUTES * 60


async def park(turn, events: TurnEvents, parked: Parked, *, session, question: str, grounding: list) -> None:
    """Store the turn, hand its slot to a parked lease, then ask the visitor."""
    await events.flush()
    announced = 2 if events.stream else 1  # the prompt, and the call's chunk when streaming
    state = {
        "loop": parked.state.as_json(),
        "question": question,
        "grounding": [asdict(citation) for citation in grounding],
        "stream": events.stream,
        "events": events.published + announced,
        "trace": tracing.inject({}),  # the turn's span (current here), for its rest's link to it
        "agent": str(session.agent_id) if session.agent_id is not None else None,  # for the span of its end
    }
    if "interaction" in parked.prompt:
        kind, card = ParkedTurn.Kind.INTERACTION, parked.prompt["interaction"]
        prompt = protocol.interaction_required(
            turn.request_id, interaction_id=card["interactionId"], kind=card["kind"], spec=card["spec"], reason=card["reason"]
        )
    else:
        kind = ParkedTurn.Kind.CONFIRMATION
        prompt = protocol.write_confirmation_required(
            turn.request_id, tool_id=parked.call["name"], action_description=parked.prompt["confirmation"]
        )
    await database_sync_to_async(_store)(session, turn.request_id, kind, {"call": parked.call, **parked.prompt}, state)
    if not await leases.swap(turn.session_id, turn.lease, Lease.parked_for(turn.request_id), seconds=ttl_seconds()):
        logger.warning("turn %s lost its lease while parking", turn.request_id)  # it is still stored: the TTL ends it
    await events.send(prompt)
    await announce_call(events, parked.call)
    _watch(turn.session_id, turn.request_id, events)


def _store(session, request_id: str, kind: str, pending: dict, state: dict) -> None:
    ParkedTurn.objects.update_or_create(
        session=session,
        defaults={
            "organization_id": session.organization_id,
            "request_id": request_id,
            "kind": kind,
            "pending": pending,
            "state": state,
            "expires_at": timezone.now() + datetime.timedelta(seconds=ttl_seconds()),
        },
    )


def _find(session_id) -> ParkedTurn | None:
    return ParkedTurn.objects.filter(session_id=session_id).first()


def _claim(row: ParkedTurn) -> bool:
    """Delete the row if it is still the one read: whoever deletes it owns the turn."""
    deleted, _ = ParkedTurn.objects.filter(session_id=row.session_id, request_id=row.request_id, created_at=row.created_at).delete()
    return bool(deleted)


def claim_leftover(session) -> ParkedTurn | None:
    """For a new turn that got the session's lease: a parked turn whose lease expired
    (or was lost with its process's memory) is over; the caller sends its end. `session`
    comes from binding.load_session, which read its parked turn with it: no query of its own."""
    try:
        row = session.parked_turn
    except ParkedTurn.DoesNotExist:
        return None
    return row if _claim(row) else None


async def waiting(session_id, kind: str) -> ParkedTurn | None:
    """The session's parked turn of `kind`, read (not taken); one found expired is ended."""
    row = await database_sync_to_async(_find)(session_id)
    if row is None or row.kind != kind:
        return None
    if row.expires_at <= timezone.now():
        await _end(row, protocol.error(row.request_id, ErrorCode.TURN_EXPIRED, EXPIRED))
        return None
    return row


async def take(session_id, kind: str, row: ParkedTurn | None = None) -> tuple[ParkedTurn, Lease] | None:
    """The session's parked turn of `kind` (`row`, when already read) and the running lease
    it resumes under, or None when none waits (or another answer took it first)."""
    row = row or await waiting(session_id, kind)
    if row is None:
        return None
    lease = Lease(row.request_id, await control.channel())
    if not await _hold(session_id, row.request_id, lease):
        return None
    if not await database_sync_to_async(_claim)(row):
        await leases.release(session_id, lease)
        return None
    return row, lease


async def _hold(session_id, request_id: str, lease: Lease) -> bool:
    parked = Lease.parked_for(request_id)
    for _ in range(TAKE_ATTEMPTS):
        current = await leases.current(session_id)
        if current == parked:
            if await leases.swap(session_id, parked, lease, seconds=settings.SMOOTH_TURN_LEASE_SECONDS):
                return True
        elif current is None:  # its parked lease expired, or lived in a process that restarted
            if await leases.acquire(session_id, lease):
                return True
        elif current.request_id != request_id:  # another turn has the session
            return False
        await asyncio.sleep(0.025)  # the turn is still parking: its running lease is about to go
    return False


async def cancel(session_id, request_id: str | None) -> bool:
    """End the session's parked turn (the one named, when a requestId is given) with `cancelled`."""
    row = await database_sync_to_async(_find)(session_id)
    if row is None or (request_id is not None and row.request_id != request_id):
        return False
    return await _end(row, protocol.cancelled(row.request_id))


async def end_leftover(row: ParkedTurn) -> None:
    """Send the end of a parked turn found expired (claim_leftover already took it)."""
    await _publish_end(row, protocol.error(row.request_id, ErrorCode.TURN_EXPIRED, EXPIRED))


async def _end(row: ParkedTurn, terminal: dict) -> bool:
    if not await database_sync_to_async(_claim)(row):
        return False
    await leases.release(row.session_id, Lease.parked_for(row.request_id))
    await _publish_end(row, terminal)
    return True


async def _publish_end(row: ParkedTurn, terminal: dict) -> None:
    """The end of a parked turn that has no rest (expired, cancelled): a trace of its own,
    like a rest's, linked to the turn that parked, and the turn counted by how it ended."""
    state = row.state
    attributes = accounting.turn_attributes(row.session_id, row.request_id, agent_id=state.get("agent"), resumed=True)
    attributes["smooth.organization.id"] = row.organization_id
    links = tracing.linked_to(state.get("trace"), "parked_turn")
    with tracing.span("invoke_agent", attributes, links=links, new_trace=True) as span:
        events = TurnEvents(row.session_id, row.request_id, stream=state.get("stream", True), start=state.get("events", 0))
        await events.send(terminal)
        accounting.ended(span, terminal, seconds=None)


def _watch(session_id, request_id: str, events: TurnEvents) -> None:
    task = asyncio.create_task(_keep_and_expire(session_id, request_id, events))
    _timers.add(task)
    task.add_done_callback(_timers.discard)


async def _keep_and_expire(session_id, request_id: str, events: TurnEvents) -> None:
    """In the process that parked the turn: a keepalive to the session's sockets every
    SMOOTH_KEEPALIVE_SECONDS while it waits, and its end at the TTL (if this process
    is gone by then, the session's next use ends it)."""
    deadline = asyncio.get_running_loop().time() + ttl_seconds() + 0.1  # past expires_at, set a moment after this
    try:
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.sleep(min(left, settings.SMOOTH_KEEPALIVE_SECONDS))
            row = await database_sync_to_async(_find)(session_id)
            if row is None or row.request_id != request_id:
                return  # answered or cancelled
            if asyncio.get_running_loop().time() < deadline:
                await events.keepalive()
        row = await database_sync_to_async(_find)(session_id)
        if row is not None and row.request_id == request_id and row.expires_at <= timezone.now():
            await _end(row, protocol.error(request_id, ErrorCode.TURN_EXPIRED, EXPIRED))
    except Exception:  # the next use of the session ends it instead
        logger.exception("could not watch the parked turn %s", request_id)
