"""The smooth-operator wire protocol: error codes and event builders.

Builders are pure functions returning JSON-native dicts with the spec's field
names (shared/spec/events/*.schema.json); camelCase lives here and in frames.py
only. Every event carries `timestamp` (epoch ms) and echoes `requestId` when the
action that caused it carried one.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    UNSUPPORTED_ACTION = "UNSUPPORTED_ACTION"
    SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
    AGENT_NOT_AUTHORIZED = "AGENT_NOT_AUTHORIZED"
    ORIGIN_NOT_ALLOWED = "ORIGIN_NOT_ALLOWED"
    AUTH_CONTEXT_INVALID = "AUTH_CONTEXT_INVALID"
    LLM_UNAVAILABLE = "LLM_UNAVAILABLE"
    AGENT_ERROR = "AGENT_ERROR"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    # send_message named a skill this server cannot resolve (spec: fail closed)
    SKILL_NOT_FOUND = "SKILL_NOT_FOUND"
    # send_message while the session already runs a turn (one turn per session)
    TURN_IN_PROGRESS = "TURN_IN_PROGRESS"
    # confirm_tool_action when nothing of the session waits for a confirmation
    NO_PENDING_CONFIRMATION = "NO_PENDING_CONFIRMATION"
    # submit_interaction when nothing waits for one / for another interactionId or kind
    NO_PENDING_INTERACTION = "NO_PENDING_INTERACTION"
    INTERACTION_MISMATCH = "INTERACTION_MISMATCH"
    # an action over one of the rate limits (limits/); the message says when to retry
    RATE_LIMITED = "RATE_LIMITED"
    # a turn whose session, visitor, agent or organisation has spent its budget (limits.budgets)
    BUDGET_EXCEEDED = "BUDGET_EXCEEDED"
    # a parked turn nobody answered within SMOOTH_PARKED_TURN_TTL_MINUTES (Smooth's code)
    TURN_EXPIRED = "TURN_EXPIRED"
    # smooth.rate_answer named no answer of the session's conversation (Smooth's code); one
    # answer for every such id, whatever it names elsewhere
    MESSAGE_NOT_FOUND = "MESSAGE_NOT_FOUND"


class ProtocolError(Exception):
    """Raised by handlers; turned into one `error` event in exactly one place (dispatch)."""

    def __init__(self, code: ErrorCode | str, message: str):
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message


# The events that end a turn: exactly one of them per send_message.
TERMINAL_EVENTS = frozenset({"eventual_response", "error", "cancelled"})


def ends_turn(event: dict) -> bool:
    return event["type"] in TERMINAL_EVENTS


def request_id_of(event: dict) -> str | None:
    return event.get("requestId")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _event(event_type: str, request_id: str | None, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": event_type}
    if request_id is not None:
        event["requestId"] = request_id
    event.update(fields)
    event.setdefault("timestamp", now_ms())
    return event


def pong(request_id: str | None) -> dict[str, Any]:
    timestamp = now_ms()
    return _event("pong", request_id, data={"timestamp": timestamp}, timestamp=timestamp)


def immediate_response(request_id: str | None, *, status: int, message: str, data: dict[str, Any]) -> dict[str, Any]:
    return _event("immediate_response", request_id, status=status, message=message, data=data)


def error(request_id: str | None, code: ErrorCode | str, message: str) -> dict[str, Any]:
    descriptor = {"code": str(code), "message": message}
    data: dict[str, Any] = {"error": dict(descriptor)}
    if request_id is not None:
        data["requestId"] = request_id
    return _event("error", request_id, error=descriptor, data=data)


def session_descriptor(session, *, with_state: bool) -> dict[str, Any]:
    """The session as create_conversation_session (with_state=False) or get_session (True) answer it."""
    data: dict[str, Any] = {
        "sessionId": str(session.session_id),
        "conversationId": str(session.conversation_id),
        "agentName": session.agent_name,
        "userParticipantId": str(session.user_participant_id),
        "agentParticipantId": str(session.agent_participant_id),
    }
    if session.agent_id is not None:  # omitted, never invented (spec/domain/session)
        data["agentId"] = str(session.agent_id)
    if with_state:
        data["threadId"] = session.thread_id
        data["status"] = session.status
    return data


def resume_token(request_id: str | None, *, session_id: str, token: str, expires_at: int) -> dict[str, Any]:
    """Smooth's extension, sent only to clients that asked for it (`supports:
    ["resume_token"]`, or a get_session carrying one): a second immediate_response
    for the same request, after the session descriptor, whose open `data` carries
    the token. The descriptor itself stays exactly the spec's closed shape."""
    return immediate_response(
        request_id, status=200, message="Resume token", data={"sessionId": session_id, "resumeToken": token, "expiresAt": expires_at}
    )


def answer_rated(request_id: str, *, message_id: str, rating: str) -> dict[str, Any]:
    """Smooth's `smooth.rate_answer` is answered in immediate_response's open `data`."""
    return immediate_response(request_id, status=200, message="Rating stored", data={"messageId": message_id, "rating": rating})


def transcript(request_id: str, *, filename: str, content_type: str, content: str, messages: int, omitted: int) -> dict[str, Any]:
    """Smooth's `smooth.download_transcript`, answered in immediate_response's open `data`:
    the file the client saves (a Blob), and how many messages it holds and left out."""
    data = {"filename": filename, "contentType": content_type, "content": content, "messages": messages, "omitted": omitted}
    return immediate_response(request_id, status=200, message="Transcript", data=data)


def conversation_deleted(request_id: str | None, *, messages: int, session_id: str | None = None) -> dict[str, Any]:
    """Smooth's `smooth.delete_conversation`: the answer to the visitor who asked (with their
    requestId), and, with the sessionId and no requestId, the notice every socket of the
    session gets so that another tab clears its panel too."""
    data: dict[str, Any] = {"deleted": True, "messages": messages}
    if session_id is not None:
        data["sessionId"] = session_id
    return immediate_response(request_id, status=200, message="Conversation deleted", data=data)


def accepted(request_id: str, *, session_id: str) -> dict[str, Any]:
    """The 202 that acknowledges a send_message, before anything of its turn."""
    return immediate_response(request_id, status=202, message="Processing your request...", data={"sessionId": session_id})


def stream_token(request_id: str, token: str) -> dict[str, Any]:
    return _event("stream_token", request_id, token=token, data={"requestId": request_id, "token": token})


def stream_preamble(request_id: str, token: str) -> dict[str, Any]:
    """A passing "working on it" line, shown until the answer streams; never part of it."""
    return _event("stream_preamble", request_id, token=token, data={"requestId": request_id, "token": token})


def keepalive(request_id: str) -> dict[str, Any]:
    return _event("keepalive", request_id, data={"requestId": request_id})


def stream_chunk(request_id: str, node: str, raw_response: Any) -> dict[str, Any]:
    return _event(
        "stream_chunk", request_id, node=node, data={"requestId": request_id, "node": node, "state": {"rawResponse": raw_response}}
    )


def tool_call(name: str, arguments: Any) -> dict[str, Any]:
    """A stream_chunk's rawResponse when a tool is called (arguments as parsed, else as written)."""
    return {"toolCall": {"name": name, "arguments": arguments}}


def tool_result(name: str, *, is_error: bool, result: Any) -> dict[str, Any]:
    """A stream_chunk's rawResponse when a tool has answered (only what is safe to expose)."""
    return {"toolResult": {"name": name, "isError": is_error, "result": result}}


def citation(*, id: str, title: str, snippet: str, score: float, url: str | None) -> dict[str, Any]:
    shown = {"id": id, "title": title, "snippet": snippet, "score": score}
    if url:  # omitted, not null, when the source has no web address
        shown["url"] = url
    return shown


def usage(*, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> dict[str, Any]:
    return {"promptTokens": prompt_tokens, "completionTokens": completion_tokens, "costUsd": cost_usd}


def write_confirmation_required(request_id: str, *, tool_id: str, action_description: str) -> dict[str, Any]:
    """The turn is parked until a confirm_tool_action approves or denies the tool call."""
    prompt = {"toolId": tool_id, "actionDescription": action_description}
    return _event("write_confirmation_required", request_id, data={"requestId": request_id, "data": prompt})


def interaction_required(request_id: str, *, interaction_id: str, kind: str, spec: dict, reason: str) -> dict[str, Any]:
    """The turn is parked until a submit_interaction answers the card."""
    card = {"interactionId": interaction_id, "kind": kind, "spec": spec, "reason": reason}
    return _event("interaction_required", request_id, data={"requestId": request_id, "data": card})


def interaction_invalid(request_id: str, *, interaction_id: str, kind: str, errors: list[dict]) -> dict[str, Any]:
    """A submission failed its kind's validator; the turn stays parked for another."""
    detail = {"interactionId": interaction_id, "kind": kind, "errors": errors, "message": "Some fields need attention."}
    return _event("interaction_invalid", request_id, data={"requestId": request_id, "data": detail})


def otp_verification_required(request_id: str, *, tool_id: str, action_description: str, channels: list[str]) -> dict[str, Any]:
    prompt = {"toolId": tool_id, "actionDescription": action_description, "availableChannels": channels, "authLevel": "end_user"}
    return _event("otp_verification_required", request_id, data={"requestId": request_id, "data": prompt})


def otp_sent(request_id: str, *, channel: str, masked_destination: str) -> dict[str, Any]:
    detail = {"channel": channel, "maskedDestination": masked_destination}
    return _event("otp_sent", request_id, data={"requestId": request_id, "data": detail})


def otp_verified(request_id: str) -> dict[str, Any]:
    detail = {"message": "Identity verified. Ask again, and the assistant can go on."}
    return _event("otp_verified", request_id, data={"requestId": request_id, "data": detail})


def otp_invalid(request_id: str, *, error: str, attempts_remaining: int, message: str) -> dict[str, Any]:
    detail = {"error": error, "attemptsRemaining": attempts_remaining, "message": message}
    return _event("otp_invalid", request_id, data={"requestId": request_id, "data": detail})


def cancelled(request_id: str | None) -> dict[str, Any]:
    """The terminal event of a turn stopped by `cancel`, in place of its eventual_response."""
    data: dict[str, Any] = {"status": 499}
    if request_id is not None:
        data["requestId"] = request_id
    return _event("cancelled", request_id, status=499, data=data)


def eventual_response(
    request_id: str,
    *,
    message_id: str,
    response: dict,
    citations: list[dict] | None,
    usage: dict | None,
    escalation_reason: str | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"messageId": message_id, "response": response, "needsEscalation": escalation_reason is not None}
    if escalation_reason is not None:
        payload["escalationReason"] = escalation_reason
    if citations:
        payload["citations"] = citations
    if usage is not None:
        payload["usage"] = usage
    return _event("eventual_response", request_id, status=200, data={"requestId": request_id, "status": 200, "data": payload})


def general_agent_response(reply: str, *, request_summary: str, resolution_status: str) -> dict[str, Any]:
    """The general-agent response shape. Smooth does not score turns: the two
    scores are a neutral 0.5 until something measures them."""
    return {
        "responseParts": [reply],
        "customerHappinessScore": 0.5,
        "needsSatisfactionScore": 0.5,
        "requestSummary": request_summary,
        "resolutionStatus": resolution_status,
        "suggestedNextActions": [],
    }


# --- stored shapes (the spec's domain names, kept in JSON fields) ------------------


def browser_info(*, user_agent: str | None, origin: str | None) -> dict[str, str] | None:
    """A participant's browserInfo: what the handshake said, or None when it said nothing."""
    info = {"userAgent": (user_agent or "")[:512], "origin": (origin or "")[:512]}
    info = {key: value for key, value in info.items() if value}
    return info or None


def _participant(participant) -> dict[str, Any] | None:
    if participant is None:
        return None
    return {"id": str(participant.id), "type": participant.type, "name": participant.name}


def conversation_message(message) -> dict[str, Any]:
    content: dict[str, Any] = {"text": message.text}
    citations = [
        {key: value for key, value in item.items() if key != "type"}
        for item in message.content.get("items", [])
        if item.get("type") == "citation"
    ]
    if citations:  # the wire's content items are text only; a reply's sources ride in structuredResponse
        content["structuredResponse"] = {"citations": citations}
    handoff = message.metadata.get("handoff")
    if handoff:  # a person's step (handoff.services): joined, taken, message, returned
        content.setdefault("structuredResponse", {})["handoff"] = handoff
    if message.feedback:  # the visitor's rating (smooth.rate_answer), so any tab shows the answer as rated
        content.setdefault("structuredResponse", {})["feedback"] = message.feedback
    wire: dict[str, Any] = {
        "id": str(message.id),
        "direction": message.direction,
        "content": content,
        "createdAt": message.created_at.isoformat(),
    }
    for key, participant in (("from", message.from_participant), ("to", message.to_participant)):
        if participant is not None:  # omitted, not null: the wire schema wants an object
            wire[key] = _participant(participant)
    return wire


def conversation_item(entry) -> dict[str, Any]:
    """One row of list_conversations (chat.selectors.ConversationEntry)."""
    return {
        "conversationId": str(entry.conversation_id),
        "title": entry.title,
        "updatedAt": entry.updated_at.isoformat(),
        "messageCount": entry.message_count,
    }


def message_page(messages, has_more: bool) -> dict[str, Any]:
    return {
        "messages": [conversation_message(message) for message in messages],
        "nextCursor": str(messages[-1].id) if has_more and messages else None,
        "hasMore": has_more,
    }
