"""The inbox socket's vocabulary (/ws/inbox): every frame it sends, and every event of the
organisation's inbox group, is built here and nowhere else. Its JSON Schemas are
handoff/schemas/inbox.schema.json (Smooth's namespace: the protocol's /ws schemas are
closed, and none of this ever reaches a /ws socket); the tests validate every frame
against them.

Frames: `conversations` (the list), `opened` (a conversation's history and handoff),
`done` (an action carried out), `inbox` (an event of the organisation's inbox group),
`stream` (a /ws event of the open conversation, as its visitor gets it) and `error`.
Inbox events: `escalation`, `visitor_message`, and an operator's steps `joined`,
`taken`, `message`, `returned`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class InboxErrorCode(StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    NOT_FOUND = "NOT_FOUND"  # unknown, or another organisation's: the same answer
    HELD_BY_OTHER = "HELD_BY_OTHER"
    NOT_HOLDING = "NOT_HOLDING"
    ALREADY_HOLDING = "ALREADY_HOLDING"


ACTIONS = ("list", "open", "take_over", "reply", "hand_back")

# --- frames ------------------------------------------------------------------------


def conversations(items: list[dict]) -> dict[str, Any]:
    return {"type": "conversations", "items": items}


def opened(conversation_id: str, messages: list[dict], handoff: dict) -> dict[str, Any]:
    return {"type": "opened", "conversationId": conversation_id, "messages": messages, "handoff": handoff}


def done(action: str, conversation_id: str, message_id: str | None = None) -> dict[str, Any]:
    frame = {"type": "done", "action": action, "conversationId": conversation_id}
    if message_id is not None:
        frame["messageId"] = message_id
    return frame


def inbox(event: dict) -> dict[str, Any]:
    return {"type": "inbox", "event": event}


def stream(conversation_id: str | None, event: dict) -> dict[str, Any]:
    return {"type": "stream", "conversationId": conversation_id, "event": event}


def error(code: InboxErrorCode, message: str) -> dict[str, Any]:
    return {"type": "error", "code": InboxErrorCode(code).value, "message": message}


# --- what frames carry ---------------------------------------------------------------


def conversation_row(
    *,
    conversation_id: str,
    session_id: str,
    organization_id: str,
    visitor: str,
    agent: str,
    last_message: str,
    last_at: str | None,
    state: str,
    holder: str | None,
    reason: str | None,
    since: str,
    active_at: str,
) -> dict[str, Any]:
    """One line of the list: `state` is waiting, held, active or recent."""
    return {
        "conversationId": conversation_id,
        "sessionId": session_id,
        "organizationId": organization_id,
        "visitor": visitor,
        "agent": agent,
        "lastMessage": last_message,
        "lastAt": last_at,
        "state": state,
        "holder": holder,
        "reason": reason,
        "since": since,
        "activeAt": active_at,
    }


def history_message(
    *, message_id: str, direction: str, author_type: str | None, author_name: str | None, text: str, handoff: str | None, at: str
) -> dict[str, Any]:
    """A message of an opened conversation; `handoff` names an operator's step."""
    author = {"type": author_type, "name": author_name} if author_type is not None else None
    return {"id": message_id, "direction": direction, "author": author, "text": text, "handoff": handoff, "at": at}


def handoff_state(*, state: str | None, holder: str | None, holder_user_id: str | None, reason: str | None) -> dict[str, Any]:
    return {"state": state, "holder": holder, "holderUserId": holder_user_id, "reason": reason}


# --- events of the inbox group ----------------------------------------------------------


def escalation(
    *,
    conversation_id: str,
    session_id: str | None,
    organization_id: str,
    agent_name: str,
    visitor: str,
    reason: str,
    source: str,
    last_message: str,
    requested_at: str,
) -> dict[str, Any]:
    """A conversation asks for a person (the same object goes to email and the webhook)."""
    return {
        "type": "escalation",
        "conversationId": conversation_id,
        "sessionId": session_id,
        "organizationId": organization_id,
        "agentName": agent_name,
        "visitor": visitor,
        "reason": reason,
        "source": source,
        "lastMessage": last_message,
        "requestedAt": requested_at,
    }


def visitor_message(*, conversation_id: str, session_id: str, text: str, held_by: str | None, at: str) -> dict[str, Any]:
    return {
        "type": "visitor_message",
        "conversationId": conversation_id,
        "sessionId": session_id,
        "text": text,
        "heldBy": held_by,
        "at": at,
    }


def operator_step(*, step: str, conversation_id: str, author: str, text: str, previous_holder: str | None, at: str) -> dict[str, Any]:
    """An operator joined, took over from another, wrote, or handed back (`step`)."""
    return {"type": step, "conversationId": conversation_id, "author": author, "text": text, "previousHolder": previous_holder, "at": at}
