"""create_conversation_session and get_session."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from agents.selectors import agents_with_policy
from chat import binding, protocol, resume, services
from chat.frames import parse_create_session, parse_get_session
from chat.protocol import ProtocolError
from chat.turns import journal, stages
from core import metrics
from core.batching import Batched
from widget_auth import replay
from widget_auth.exceptions import AgentNotAuthorized, AuthContextInvalid, OriginNotAllowed, WidgetAuthError
from widget_auth.services import check_embed, verify_identity

logger = logging.getLogger(__name__)

# A burst of page loads reads its agents and stores its sessions a batch at a time
# (core.batching); the answer goes out only once the session's rows are committed.
_agent_with_policy = Batched(agents_with_policy)
_store_session = Batched(services.create_sessions)


async def create_conversation_session(conn, frame: dict, request_id: str | None) -> None:
    request = parse_create_session(frame, request_id)
    agent = await _agent_with_policy(request.agent_id)
    principal = conn.principal
    try:
        # An agent nobody registered would be registered in the default organisation.
        organization_id = agent.organization_id if agent else settings.SMOOTH_DEFAULT_ORG_ID
        if principal is not None and principal.organization_id != organization_id:
            raise AgentNotAuthorized("the agent is not of the caller's organisation")
        await _check_origin(conn, agent)
        identity = await _verified_identity(conn, agent, request.auth_context)
    except WidgetAuthError as exc:
        logger.info("embed refused for agent %s: %s", request.agent_id, exc.reason)
        raise ProtocolError(exc.error_code, exc.message) from None
    # after the embed checks, before anything is stored
    await stages.admit_session(conn.client_ip, request.agent_id, agent, conn.origin)

    session = await _store_session(
        services.NewSession(
            agent=agent,
            agent_id=request.agent_id,
            origin=conn.origin,
            owner_id=principal.user_id if principal else None,
            identity=identity,
            user_name=request.user_name,
            user_email=request.user_email,
            browser_fingerprint=request.browser_fingerprint,
            browser_info=conn.browser_info,
            metadata=request.metadata,
            supports=request.supports,
        )
    )
    await _answer_with_session(conn, request_id, session, message="Session created", with_state=False)
    if resume.CAPABILITY in (request.supports or []):
        await _send_resume_token(conn, request_id, session)


async def _check_origin(conn, agent) -> None:
    """The embed policy's agent and origin checks; an origin refused in report-only mode is counted, and let through."""
    try:
        check_embed(agent=agent, origin=conn.origin, strict=settings.WIDGET_AUTH_STRICT)
    except OriginNotAllowed:
        if not stages.lets_through(agent):
            metrics.refusals.labels(kind="origin", mode=metrics.ENFORCED).inc()
            raise
        reason = "not an allowed origin" if conn.origin else "no Origin"
        await stages.report(agent=agent, kind="origin", reason=reason, origin=conn.origin)


async def _verified_identity(conn, agent, auth_context):
    """The visitor the authContext vouches for (None without one). One refused in report-only
    mode is counted, and the visitor goes on unverified: report-only never grants an identity."""
    if auth_context is None:
        return None
    try:
        identity = verify_identity(agent=agent, auth_context=auth_context, origin=conn.origin, now=int(time.time()))
        if not await replay.first_use(identity):
            raise AuthContextInvalid("this authContext was already used: sign a new one for every session")
    except AuthContextInvalid as exc:
        if not stages.lets_through(agent):
            metrics.refusals.labels(kind="auth_context", mode=metrics.ENFORCED).inc()
            raise
        logger.info("authContext of agent %s refused (let through unverified): %s", agent.id, exc.reason)
        await stages.report(agent=agent, kind="auth_context", reason="authContext refused", origin=conn.origin)
        return None
    return identity


async def get_session(conn, frame: dict, request_id: str | None) -> None:
    request = parse_get_session(frame, request_id)
    session = await binding.bound_session(conn, request.session_id, request.credentials)
    await _answer_with_session(conn, request_id, session, message="Session found", with_state=True)
    if request.credentials.resume_token is not None:  # a client that keeps tokens: renew it
        await _send_resume_token(conn, request_id, session)
    if request.resume is not None:
        await _resume_turn(conn, session, request.resume)


async def _resume_turn(conn, session, resume) -> None:
    """The events of a turn the client missed, from the journal; the live rest follows
    through the session's group, which the socket joined before the journal was read
    (so nothing falls between). Unknown or expired: nothing (it re-reads the history)."""
    missed = await journal.missed(session.session_id, resume.request_id, resume.events_received)
    if missed is None:
        return
    for event in conn.resume(resume.request_id, resume.events_received, missed):
        await conn.send(event)
        conn.relayed(event)


async def _answer_with_session(conn, request_id: str | None, session, *, message: str, with_state: bool) -> None:
    """Attach the connection to the session's groups, then answer 200 with its descriptor."""
    await conn.attach_session(session)
    data = protocol.session_descriptor(session, with_state=with_state)
    await conn.send(protocol.immediate_response(request_id, status=200, message=message, data=data))


async def _send_resume_token(conn, request_id: str | None, session) -> None:
    token, expires_at = resume.issue(session.session_id)
    await conn.send(protocol.resume_token(request_id, session_id=str(session.session_id), token=token, expires_at=expires_at))
