"""smooth.download_transcript and smooth.delete_conversation: the visitor's own data.

Smooth's own actions (upstream clients never send them; an upstream server answers
UNSUPPORTED_ACTION), answered in immediate_response's open `data` as the spec's event
schemas are closed. Both name a session and pass chat.binding first, as every action
does: a session this socket may not use, of whatever organisation, answers exactly as an
unknown id (SESSION_NOT_FOUND), and nothing is read or erased.

Deleting takes the session's turn lease for the time it erases (chat.turns.leases), so no
turn runs meanwhile: a session answering a message, or waiting on the visitor (a parked
turn), is refused TURN_IN_PROGRESS until that turn is cancelled or over.
"""

from __future__ import annotations

import logging
import uuid

from channels.db import database_sync_to_async

from agents.models import Agent
from chat import backplane, binding, protocol, selectors, services, transcripts
from chat.frames import parse_delete_conversation, parse_download_transcript
from chat.protocol import ErrorCode, ProtocolError
from chat.turns import control, leases
from chat.turns.leases import Lease
from core import metrics

# One line for the site owner per erasure: who (organisation, agent), which conversation,
# how many messages; never a word of them.
erasure_log = logging.getLogger("smooth.erasure")
logger = logging.getLogger(__name__)

ERASURE_OFF = "this agent does not let visitors delete their conversations: its site owner turned it off"
ANSWERING = "this session is answering a message: cancel it, or wait for its answer, then delete the conversation"


async def download_transcript(conn, frame: dict, request_id: str | None) -> None:
    request = parse_download_transcript(frame, request_id)
    session = await binding.bound_session(conn, request.session_id, request.credentials)
    messages, total = await database_sync_to_async(selectors.transcript_messages)(
        session.conversation_id, session.organization_id, limit=transcripts.MAX_MESSAGES
    )
    made = transcripts.transcript(
        messages,
        total=total,
        agent_name=session.agent_name,
        started_at=session.conversation.created_at,
        format=request.format,
        lang=request.lang,
    )
    metrics.transcript_downloads.labels(agent=str(session.agent_id), format=request.format).inc()
    await conn.send(
        protocol.transcript(
            request.request_id,
            filename=made.filename,
            content_type=made.content_type,
            content=made.content,
            messages=made.messages,
            omitted=made.omitted,
        )
    )


async def delete_conversation(conn, frame: dict, request_id: str | None) -> None:
    request = parse_delete_conversation(frame, request_id)
    session = await binding.bound_session(conn, request.session_id, request.credentials)
    mode = session.agent.visitor_erasure if session.agent is not None else Agent.VisitorErasure.OFF
    if mode == Agent.VisitorErasure.OFF:
        raise ProtocolError(ErrorCode.UNSUPPORTED_ACTION, ERASURE_OFF)
    lease = Lease(f"smooth.delete_conversation:{uuid.uuid4()}", await control.channel())
    if not await leases.acquire(session.session_id, lease):
        raise ProtocolError(ErrorCode.TURN_IN_PROGRESS, ANSWERING)
    try:
        audited = mode == Agent.VisitorErasure.ERASE_AUDITED
        count = await database_sync_to_async(services.erase_conversation)(session=session, audited=audited)
    finally:
        await leases.release(session.session_id, lease)
    metrics.conversation_erasures.labels(agent=str(session.agent_id), mode=mode).inc()
    erasure_log.info(
        "conversation erased: organisation=%s agent=%s conversation=%s messages=%d audited=%s",
        session.organization_id,
        session.agent_id,
        session.conversation_id,
        count,
        "yes" if audited else "no",
    )
    await conn.send(protocol.conversation_deleted(request.request_id, messages=count))
    notice = protocol.conversation_deleted(None, messages=count, session_id=str(session.session_id))
    try:  # the session's other tabs clear their panels too; the erasure is done either way
        await backplane.publish("session", str(session.session_id), notice)
    except Exception as exc:
        logger.warning("could not tell the sockets of session %s of its erasure (%s)", session.session_id, type(exc).__name__)
