"""Who may use a session. A session id is an identifier, not a credential.

Every action that names an existing session (get_session,
get_conversation_messages, send_message) passes `check_binding` before anything
is read or written. It asks again what create_conversation_session asked (the
agent, its policy, the origin) and what the session was bound to then (the
origin it came from, the principal that owns it, the visitor verified for it).
A socket that created or re-attached the session has proved the rest; any other
connection re-attaches with the session's resume token, or, for a verified
visitor, a fresh authContext for that same user. Every refusal answers
SESSION_NOT_FOUND, exactly as an unknown id does, and stores nothing.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from chat import resume
from chat.models import Session
from chat.protocol import ErrorCode, ProtocolError
from chat.turns import stages
from identity.access import AccessContext
from widget_auth import replay
from widget_auth.exceptions import OriginNotAllowed, WidgetAuthError
from widget_auth.services import VerifiedIdentity, check_embed, verify_identity
from widget_auth.signatures import AuthContext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionCredentials:
    """What a frame may carry to re-attach a session from a new connection
    (request fields upstream clients never send)."""

    resume_token: str | None = None
    auth_context: AuthContext | None = None


NO_CREDENTIALS = SessionCredentials()


class BindingRefused(Exception):
    """Why a connection may not use a session: for the log only."""


def not_found(session_id) -> ProtocolError:
    return ProtocolError(ErrorCode.SESSION_NOT_FOUND, f"session {session_id} not found")


def load_session(session_id: uuid.UUID, related: tuple[str, ...] = ()) -> Session | None:
    """The session with what every check reads (agent, policy, conversation, the visitor a
    budget counts), any turn it has parked (chat.turns.parking) and the `related` rows a
    caller names (a turn's stages: chat.turns.stages.session_related), in one query."""
    return (
        Session.objects.select_related("agent__embed_policy", "conversation", "user_participant", "parked_turn", *related)
        .filter(session_id=session_id)
        .first()
    )


def check_binding(
    session: Session, *, origin: str | None, principal, attached: bool, credentials: SessionCredentials
) -> VerifiedIdentity | None:
    """Raise BindingRefused unless this connection may use `session` now. Returns the
    identity of an authContext that re-attached a verified session, whose signature
    the caller must still check against the replay cache."""
    if session.agent is None:
        raise BindingRefused("the session has no agent")
    try:
        check_embed(agent=session.agent, origin=origin, strict=settings.WIDGET_AUTH_STRICT)
    except OriginNotAllowed as exc:
        # Report-only mode counted it when the session was created; the session's own origin binding below still holds.
        if not stages.lets_through(session.agent):
            raise BindingRefused(exc.reason) from None
    except WidgetAuthError as exc:
        raise BindingRefused(exc.reason) from None
    if origin != session.origin:
        raise BindingRefused("the connection's origin is not the one the session was created from")
    if principal is not None and principal.organization_id != session.organization_id:
        raise BindingRefused("the principal belongs to another organisation")
    if session.owner_id is not None and (principal is None or principal.user_id != session.owner_id):
        raise BindingRefused("the session belongs to another principal")
    if attached:
        return None

    if session.last_activity_at < timezone.now() - timedelta(hours=settings.SMOOTH_SESSION_IDLE_TTL_HOURS):
        raise BindingRefused("the session has been idle too long to be re-attached")
    if credentials.resume_token is not None:
        if not resume.names(credentials.resume_token, session.session_id):
            raise BindingRefused("the resume token is not valid for this session, or has expired")
        return None
    if settings.SMOOTH_SESSION_RESUME == "token" and resume.CAPABILITY in session.conversation.supports:
        raise BindingRefused("the session re-attaches only with its resume token")
    if session.identity_verified:
        context = credentials.auth_context
        if context is None or context.user_id != session.verified_user_id:
            raise BindingRefused("a verified visitor's session re-attaches only with a fresh authContext for that visitor")
        try:
            return verify_identity(agent=session.agent, auth_context=context, origin=origin, now=int(time.time()))
        except WidgetAuthError as exc:
            raise BindingRefused(exc.reason) from None
    return None


async def bound_session(conn, session_id: uuid.UUID, credentials: SessionCredentials = NO_CREDENTIALS) -> Session:
    """The session, if this connection may use it; else SESSION_NOT_FOUND."""
    session = await database_sync_to_async(load_session)(session_id)
    try:
        if session is None:
            raise BindingRefused("no such session")
        identity = check_binding(
            session, origin=conn.origin, principal=conn.principal, attached=conn.attached(session_id), credentials=credentials
        )
        if identity is not None and not await replay.first_use(identity):
            raise BindingRefused("the authContext was already used")
    except BindingRefused as exc:
        await _refuse(conn, session_id, exc)
    return session


async def bound_session_or_none(conn, session_id: uuid.UUID, credentials: SessionCredentials = NO_CREDENTIALS) -> Session | None:
    """As bound_session, but None where it would answer SESSION_NOT_FOUND: for the answers to a
    waiting turn, whose refusal reads as "nothing waits here"."""
    try:
        return await bound_session(conn, session_id, credentials)
    except ProtocolError as exc:
        if exc.code != ErrorCode.SESSION_NOT_FOUND:
            raise
        return None


async def _refuse(conn, session_id, reason: BindingRefused):
    """Log why, forget any attachment, and answer as for an unknown id."""
    logger.info("session %s refused to connection %s: %s", session_id, conn.channel_name, reason)
    await conn.detach_session(session_id)
    raise not_found(session_id)


def reader_access(session: Session, principal) -> AccessContext:
    """What a turn of `session` may read: its owner's documents when the owner asks,
    else what an anonymous visitor of the session's organisation may read."""
    if principal is not None and session.owner_id == principal.user_id and principal.organization_id == session.organization_id:
        return principal.access
    return AccessContext.anonymous(session.organization_id)
