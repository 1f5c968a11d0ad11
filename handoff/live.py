"""What the visitor's sockets and the operators' inbox see of a handoff, as it happens.

An operator's words reach every socket of the visitor's sessions as an ordinary
`eventual_response`, with a requestId Smooth makes, the text in `responseParts`,
`needsEscalation: false`, and, in the open `response` object, `operator: {name, step}`:
present on an operator's message only, with the step "joined", "taken", "message" or
"returned". Clients written for the upstream protocol show it as an agent message;
Smooth's page and widget read `operator`, show the name, and announce joining and
handing back.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.utils import timezone

from chat import backplane, protocol, turns
from handoff import inbox_protocol as wire
from handoff import notify, services


def operator_event(step: services.Step) -> dict:
    response = protocol.general_agent_response(step.text, request_summary="", resolution_status="in_progress")
    response["operator"] = {"name": step.author, "step": step.event}
    return protocol.eventual_response(step.request_id, message_id=step.message_id, response=response, citations=None, usage=None)


async def publish(step: services.Step) -> None:
    event = operator_event(step)
    for session_id in step.session_ids:
        await backplane.publish("session", session_id, event)
    await notify.to_inbox(
        step.organization_id,
        wire.operator_step(
            step=step.event,
            conversation_id=step.conversation_id,
            author=step.author,
            text=step.text,
            previous_holder=step.previous_holder,
            at=timezone.now().isoformat(),
        ),
    )


async def visitor_said(session, text: str, *, held_by: str | None) -> None:
    """Every visitor message reaches the inbox (its list shows the last one; the operator of a
    held conversation reads it there)."""
    await notify.to_inbox(
        session.organization_id,
        wire.visitor_message(
            conversation_id=str(session.conversation_id),
            session_id=str(session.session_id),
            text=text[:2000],
            held_by=held_by,
            at=timezone.now().isoformat(),
        ),
    )


async def reply(conversation, *, user_id: str, text: str) -> services.Step:
    step = await database_sync_to_async(services.reply)(conversation, user_id=user_id, text=text)
    await publish(step)
    return step


async def hand_back(conversation, *, user_id: str) -> services.Step:
    step = await database_sync_to_async(services.hand_back)(conversation, user_id=user_id)
    await publish(step)
    return step


async def take_over(conversation, *, user_id: str, name: str, take_from: bool) -> services.Step:
    """The operator holds the conversation: the AI's running turns stop, cleanly, first."""
    step = await database_sync_to_async(services.take_over)(conversation, user_id=user_id, name=name, take_from=take_from)
    for session_id in step.session_ids:
        await turns.cancel_turn(session_id, None)
    await publish(step)
    return step
