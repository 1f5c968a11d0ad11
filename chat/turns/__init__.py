"""Agent turns: each an object of its session, not of the socket that asked.

`start_turn` refuses at once when turns cannot run (LLM_UNAVAILABLE) or the session
already runs one, in any process (TURN_IN_PROGRESS: chat.turns.leases), else
acknowledges with 202 and runs the turn as a task of this process (runner.run). Its
events go to every socket of the session (events.TurnEvents), so every tab sees it,
a socket that re-attaches gets the rest, and the turn finishes and stores its reply
even if the socket that asked is gone. `cancel_turn` stops it from any socket of the
session, in any process (control). A turn waiting for the visitor's approval is
parked in the database (parking); `confirm` and `submit_interaction` resume it in this
process.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from django.conf import settings

from chat import interactions, protocol
from chat.models import ParkedTurn
from chat.protocol import ErrorCode, ProtocolError
from chat.turns import control, leases, parking, registry, runner, stages
from chat.turns.leases import Lease
from chat.turns.loop import APPROVED, REFUSED, Answer
from chat.turns.registry import StopReason, Turn

logger = logging.getLogger(__name__)


def ensure_available() -> None:
    if settings.SMOOTH_AGENT_LLM == "gateway" and not settings.SMOOAI_GATEWAY_KEY:
        raise ProtocolError(
            ErrorCode.LLM_UNAVAILABLE,
            "this server cannot run agent turns: SMOOAI_GATEWAY_KEY is not set "
            "(or set SMOOTH_AGENT_LLM=offline to answer from the knowledge base without a model)",
        )


async def start_turn(conn, session, request) -> None:
    """`session` is one this connection may use (chat.binding said so just now)."""
    ensure_available()
    lease = Lease(request.request_id, await control.channel())
    # The message's rate windows and the lease: one round trip.
    windows = stages.message_windows(session)
    taken, counted = await leases.acquire_counting(session.session_id, lease, [window for _, own in windows for window in own])
    try:
        await stages.message_counted(session, windows, counted)  # refused: nothing stored, no turn
    except BaseException:
        if taken:
            await leases.release(session.session_id, lease)
        raise
    if not taken:
        raise ProtocolError(ErrorCode.TURN_IN_PROGRESS, "this session is already answering a message: wait for its answer, or cancel it")
    turn = Turn(session.session_id, request.request_id, lease, conn)
    try:
        await conn.send(protocol.accepted(request.request_id, session_id=str(session.session_id)))
    except Exception:  # the socket went away before its 202: no turn
        await leases.release(session.session_id, lease)
        raise
    registry.add(turn, asyncio.create_task(runner.run(turn, request)))


async def confirm(conn, session, request) -> None:
    """Approve or deny the tool call the session's parked turn waits on, and run the
    rest of that turn here. NO_PENDING_CONFIRMATION when none waits."""
    taken = await parking.take(session.session_id, ParkedTurn.Kind.CONFIRMATION)
    if taken is None:
        raise no_pending_confirmation()
    acknowledgement = protocol.immediate_response(
        request.request_id,
        status=200,
        message="Confirmation received",
        data={"sessionId": str(session.session_id), "approved": request.approved},
    )
    await _resume_here(conn, session, taken, APPROVED if request.approved else REFUSED, acknowledgement)


async def submit_interaction(conn, session, request) -> None:
    """Answer the card the session's parked turn waits on. Values its kind refuses get
    `interaction_invalid` and the turn stays parked; an accepted answer (or a decline)
    is recorded and the rest of the turn runs here."""
    parked = await parking.waiting(session.session_id, ParkedTurn.Kind.INTERACTION)
    if parked is None:
        raise no_pending_interaction()
    card = parked.pending["interaction"]
    if request.interaction_id != card["interactionId"] or request.kind not in (None, card["kind"]):
        raise ProtocolError(ErrorCode.INTERACTION_MISMATCH, "this answer is for another interaction than the one waiting")
    kind = interactions.KINDS[card["kind"]]
    values = None
    if not request.declined:
        try:
            values = kind.validate(card["spec"], request.values)
        except interactions.InvalidSubmission as exc:
            errors = [error.as_event() for error in exc.errors]
            await conn.send(
                protocol.interaction_invalid(parked.request_id, interaction_id=card["interactionId"], kind=kind.kind, errors=errors)
            )
            return
    taken = await parking.take(session.session_id, ParkedTurn.Kind.INTERACTION, parked)
    if taken is None:
        raise no_pending_interaction()
    if values is not None:  # once the turn is ours: an answer that resumes nothing changes nothing
        await database_sync_to_async(kind.record)(session.session_id, values)
    payload = interactions.declined() if values is None else interactions.submitted(values)
    acknowledgement = protocol.immediate_response(
        request.request_id,
        status=200,
        message="Interaction received",
        data={"sessionId": str(session.session_id), "interactionId": card["interactionId"], "status": payload["status"]},
    )
    await _resume_here(conn, session, taken, Answer(result=payload), acknowledgement)


async def _resume_here(conn, session, taken, answer: Answer, acknowledgement: dict) -> None:
    parked, lease = taken
    turn = Turn(session.session_id, parked.request_id, lease, conn)
    try:
        await conn.send(acknowledgement)
    except Exception:  # the socket went away: the answer was given, and the turn belongs to the session
        logger.debug("an answer acknowledged to a closed connection")
    registry.add(turn, asyncio.create_task(runner.resume(turn, parked, answer)))


# Also the answers for a session this connection may not use: a refusal looks like "nothing here".
def no_pending_confirmation() -> ProtocolError:
    return ProtocolError(ErrorCode.NO_PENDING_CONFIRMATION, "nothing in this session is waiting for a confirmation")


def no_pending_interaction() -> ProtocolError:
    return ProtocolError(ErrorCode.NO_PENDING_INTERACTION, "nothing in this session is waiting for an interaction")


async def cancel_turn(session_id, request_id: str | None) -> bool:
    """Stop the session's turn (the one named, when a requestId is given), running in
    whatever process or parked. False, and nothing sent, when there is no such turn."""
    lease = await leases.current(session_id)
    if lease is None or lease.parked:  # parked (or left parked when its lease was lost)
        return await parking.cancel(session_id, request_id)
    if request_id is not None and lease.request_id != request_id:
        return False
    await control.cancel(session_id, lease)
    return True


def in_flight() -> int:
    return len(registry.running())


async def settled(conn, grace_seconds: float) -> None:
    """Return once no turn of this connection's sessions runs in this process and the
    socket has been sent each one's terminal event (or `grace_seconds` after the turn
    ended without it reaching the socket: a layer that lost it)."""
    while mine := _of(conn, registry.running()):
        ends = [conn.turn_end(turn.request_id) for turn in mine]
        await asyncio.wait([turn.task for turn in mine])
        await asyncio.wait(ends, timeout=grace_seconds)


async def ends_relayed(conns, among: list[Turn], grace_seconds: float) -> None:
    """Return once each connection has been sent the terminal event of each turn of
    `among` on its sessions, or after `grace_seconds`."""
    ends = [conn.turn_end(turn.request_id) for conn in conns for turn in _of(conn, among)]
    if ends:
        await asyncio.wait(ends, timeout=grace_seconds)


def _of(conn, among: list[Turn]) -> list[Turn]:
    """The turns of `among` whose events go to `conn`: it asked, or it is attached to the session."""
    return [turn for turn in among if turn.conn is conn or conn.attached(turn.session_id)]


async def drain() -> None:
    """Wait for every running turn."""
    while tasks := [turn.task for turn in registry.running()]:
        await asyncio.gather(*tasks, return_exceptions=True)


async def cancel_all() -> list[Turn]:
    """Stop every turn still answering (the shutdown deadline), wait for them to end,
    and return them. Turns already storing their reply finish (and are returned too)."""
    turns = registry.running()
    for turn in turns:
        registry.stop(turn.session_id, turn.request_id, StopReason.SHUTDOWN)
    await asyncio.gather(*(turn.task for turn in turns), return_exceptions=True)
    return turns
