"""Dispatch: a raw frame in, exactly the events the protocol promises out.

The one place where ProtocolError becomes an `error` event and where an
unexpected exception becomes INTERNAL_ERROR (logged with its traceback, sent
without details). No failure here closes the socket.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from django.conf import settings

from chat import protocol
from chat.connection import Connection
from chat.errors import protocol_error
from chat.frames import decode_frame, invalid, request_id_of
from chat.handlers import conversations, feedback, history, messages, ping, sessions, verification, visitor_data
from chat.protocol import ErrorCode, ProtocolError

logger = logging.getLogger(__name__)

Handler = Callable[[Connection, dict, "str | None"], Awaitable[None]]

ACTIONS: dict[str, Handler] = {
    "ping": ping.ping,
    "create_conversation_session": sessions.create_conversation_session,
    "get_session": sessions.get_session,
    "send_message": messages.send_message,
    "cancel": messages.cancel,
    "confirm_tool_action": messages.confirm_tool_action,
    "submit_interaction": messages.submit_interaction,
    "verify_otp": verification.verify_otp,
    "get_conversation_messages": history.get_conversation_messages,
    "list_conversations": conversations.list_conversations,
    # Smooth's own actions, in its namespace (upstream clients never send them)
    "smooth.rate_answer": feedback.rate_answer,
    "smooth.download_transcript": visitor_data.download_transcript,
    "smooth.delete_conversation": visitor_data.delete_conversation,
}


async def dispatch(conn: Connection, text_data: str | None, bytes_data: bytes | None) -> None:
    request_id = None
    try:
        frame = decode_frame(text_data, bytes_data, max_bytes=settings.SMOOTH_MAX_FRAME_BYTES)
        request_id = request_id_of(frame)
        action = frame.get("action")
        if action is None:
            raise invalid("action is required")
        if not isinstance(action, str):
            raise invalid("action must be a string")
        handler = ACTIONS.get(action)
        if handler is None:
            raise ProtocolError(ErrorCode.UNSUPPORTED_ACTION, f"action {action[:64]!r} is not supported by this server")
        await handler(conn, frame, request_id)
    except Exception as exc:
        error = protocol_error(exc, conn.language)
        if error is None:
            logger.exception("action failed on connection %s", conn.channel_name)
            error = ProtocolError(ErrorCode.INTERNAL_ERROR, "internal server error")
        await conn.send(protocol.error(request_id, error.code, error.message))
