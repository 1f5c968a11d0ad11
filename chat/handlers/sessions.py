"""create_conversation_session and get_session."""
from __future__ import annotations

import logging
import time

from channels.db import database_sync_to_async
from django.conf import settings

from chat import protocol, selectors, services
from chat.frames import parse_create_session, parse_get_session
from chat.protocol import ProtocolError
from widget_auth.exceptions import WidgetAuthError
from widget_auth.selectors import policy_for_agent
from widget_auth.services import decide_embed

logger = logging.getLogger(__name__)


async def create_conversation_session(conn, frame: dict, request_id: str | None) -> None:
    request = parse_create_session(frame, request_id)
    policy = await policy_for_agent(request.agent_id)
    try:
        decision = decide_embed(
            policy=policy,
            origin=conn.origin,
            auth_context=request.auth_context,
            now=int(time.time()),
            strict=settings.WIDGET_AUTH_STRICT,
            default_organization_id=settings.SMOOTH_DEFAULT_ORG_ID,
        )
    except WidgetAuthError as exc:
        logger.info("embed refused for agent %s: %s", request.agent_id, exc.error_code)
        raise ProtocolError(exc.error_code, str(exc)) from None

    principal = conn.principal
    session = await database_sync_to_async(services.create_session)(
        agent_id=request.agent_id,
        agent_name=settings.SMOOTH_AGENT_NAME,
        # An authenticated caller's sessions belong to its organisation and to it.
        organization_id=principal.organization_id if principal else decision.organization_id,
        owner_id=principal.user_id if principal else None,
        identity=decision.identity,
        user_name=request.user_name,
        user_email=request.user_email,
        browser_fingerprint=request.browser_fingerprint,
        browser_info=conn.browser_info,
        metadata=request.metadata,
        supports=request.supports,
    )
    await _answer_with_session(conn, request_id, session, message="Session created", with_state=False)


async def get_session(conn, frame: dict, request_id: str | None) -> None:
    request = parse_get_session(frame, request_id)
    session = await selectors.session_for(request.session_id, conn.principal)
    await _answer_with_session(conn, request_id, session, message="Session found", with_state=True)


async def _answer_with_session(conn, request_id: str | None, session, *, message: str, with_state: bool) -> None:
    """Attach the connection to the session's groups, then answer 200 with its descriptor."""
    await conn.attach_session(session)
    data = protocol.session_descriptor(session, with_state=with_state)
    await conn.send(protocol.immediate_response(request_id, status=200, message=message, data=data))
