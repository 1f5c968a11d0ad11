"""smooth.rate_answer: the visitor rates an answer 👍 or 👎, with an optional comment.

Smooth's own action (upstream clients never send it; an upstream server answers
UNSUPPORTED_ACTION). It is answered in immediate_response's open `data`, as the spec's
event schemas are closed. Whatever the messageId names, when it is not an answer of the
session's own conversation the answer is MESSAGE_NOT_FOUND, word for word the same, so
no reply tells a message of another conversation or organisation from one that does
not exist.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from chat import binding, protocol, services
from chat.frames import parse_rate_answer
from chat.protocol import ErrorCode, ProtocolError
from core import metrics


def message_not_found() -> ProtocolError:
    return ProtocolError(ErrorCode.MESSAGE_NOT_FOUND, "no answer with this messageId in this session")


async def rate_answer(conn, frame: dict, request_id: str | None) -> None:
    request = parse_rate_answer(frame, request_id)
    session = await binding.bound_session(conn, request.session_id, request.credentials)
    if request.message_id is None:
        raise message_not_found()
    earlier = await database_sync_to_async(services.rate_answer)(
        session=session, message_id=request.message_id, rating=request.rating, comment=request.comment
    )
    if earlier is None:
        raise message_not_found()
    if earlier != request.rating:  # a new or changed rating; a comment added to it is not another
        metrics.answer_feedback.labels(agent=str(session.agent_id), rating=request.rating).inc()
    await conn.send(protocol.answer_rated(request.request_id, message_id=str(request.message_id), rating=request.rating))
