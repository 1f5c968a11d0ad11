"""Incoming frames: decoding and validation into one frozen dataclass per action.

Mirrors shared/spec/actions/*.schema.json. Everything here raises
ProtocolError(VALIDATION_ERROR, <what is wrong, naming the field>) and nothing
else, so bad input never reaches a handler, the database or the model.
Unknown fields are ignored (clients newer than the server must keep working).
"""

from __future__ import annotations

import json
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from chat.binding import NO_CREDENTIALS, SessionCredentials
from chat.models import Message
from chat.protocol import ErrorCode, ProtocolError
from widget_auth.signatures import AuthContext

MAX_REQUEST_ID_LENGTH = 256
MAX_MESSAGE_LENGTH = 10_000
MAX_NESTING = 64
MAX_RESUME_TOKEN_LENGTH = 512
MAX_FEEDBACK_COMMENT_LENGTH = 2_000
RATINGS = frozenset(Message.Feedback.values)  # up, down
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SKILL_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def invalid(message: str) -> ProtocolError:
    return ProtocolError(ErrorCode.VALIDATION_ERROR, message)


# --- decoding ------------------------------------------------------------------


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class _Unstorable(ValueError):
    pass


def _finite_float(text: str) -> float:
    # 1e400 is valid JSON that Python reads as infinity, which no database stores.
    value = float(text)
    if not math.isfinite(value):
        raise _Unstorable(text)
    return value


def decode_frame(text_data: str | None, bytes_data: bytes | None, *, max_bytes: int) -> dict[str, Any]:
    """The frame as a JSON object, or VALIDATION_ERROR saying why it is not one."""
    if text_data is None:
        raise invalid("binary frames are not supported: send one JSON object per text frame")
    size = len(text_data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise invalid(f"frame too large: {size} bytes, the limit is {max_bytes}")
    try:
        frame = json.loads(text_data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _Unstorable as exc:
        raise invalid(f"frame holds a number too large to store ({str(exc)[:40]})") from None
    except (ValueError, RecursionError):
        raise invalid("frame is not valid JSON") from None
    if not isinstance(frame, dict):
        raise invalid(f"frame must be a JSON object, not {_json_type(frame)}")
    _check_storable(frame)
    return frame


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def _check_storable(frame: dict[str, Any]) -> None:
    """Refuse text no database can store (NUL, lone surrogates) and absurd nesting,
    anywhere in the frame, before any of it is stored or echoed."""
    stack: list[tuple[Any, int]] = [(frame, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise invalid(f"frame is nested more than {MAX_NESTING} levels deep")
        if isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise invalid("frame contains a NUL character")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise invalid("frame contains text that is not valid Unicode (a lone surrogate)") from None


def request_id_of(frame: dict[str, Any]) -> str | None:
    """The requestId to echo; VALIDATION_ERROR (not echoed) when it is present but unusable."""
    request_id = frame.get("requestId")
    if request_id is None:
        return None
    if not isinstance(request_id, str):
        raise invalid(f"requestId must be a string, not {_json_type(request_id)}")
    if len(request_id) > MAX_REQUEST_ID_LENGTH:
        raise invalid(f"requestId must be at most {MAX_REQUEST_ID_LENGTH} characters")
    return request_id


# --- field readers --------------------------------------------------------------


@overload
def _string(frame: dict, name: str, *, required: Literal[True], max_length: int, label: str | None = None) -> str: ...
@overload
def _string(frame: dict, name: str, *, required: bool = False, max_length: int, label: str | None = None) -> str | None: ...
def _string(frame: dict, name: str, *, required: bool = False, max_length: int, label: str | None = None) -> str | None:
    label = label or name
    value = frame.get(name)
    if value is None:
        if required:
            raise invalid(f"{label} is required")
        return None
    if not isinstance(value, str):
        raise invalid(f"{label} must be a string, not {_json_type(value)}")
    if len(value) > max_length:
        raise invalid(f"{label} must be at most {max_length} characters, got {len(value)}")
    return value


def _uuid(frame: dict, name: str) -> uuid.UUID:
    value = _string(frame, name, required=True, max_length=64)
    if not _UUID_RE.match(value):
        raise invalid(f"{name} must be a UUID")
    return uuid.UUID(value)


def _bool(frame: dict, name: str, *, default: bool) -> bool:
    value = frame.get(name, default)
    if not isinstance(value, bool):
        raise invalid(f"{name} must be true or false, not {_json_type(value)}")
    return value


def _object(frame: dict, name: str) -> dict | None:
    value = frame.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(f"{name} must be an object, not {_json_type(value)}")
    return value


def _string_list(frame: dict, name: str) -> list[str] | None:
    value = frame.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid(f"{name} must be an array of strings")
    return value


# --- actions ----------------------------------------------------------------------


@dataclass(frozen=True)
class PingFrame:
    request_id: str | None


@dataclass(frozen=True)
class CreateSessionFrame:
    request_id: str | None
    agent_id: uuid.UUID
    user_name: str
    user_email: str | None
    browser_fingerprint: str | None
    metadata: dict = field(default_factory=dict)
    supports: list[str] | None = None
    auth_context: AuthContext | None = None


@dataclass(frozen=True)
class ResumeRequest:
    request_id: str  # the turn to continue
    events_received: int  # how many of its events (after the 202) the client has


@dataclass(frozen=True)
class GetSessionFrame:
    request_id: str | None
    session_id: uuid.UUID
    credentials: SessionCredentials = NO_CREDENTIALS
    resume: ResumeRequest | None = None


@dataclass(frozen=True)
class CancelFrame:
    request_id: str | None  # the turn to stop (its send_message's requestId)
    session_id: uuid.UUID | None  # None: the frame named no session (or none that could exist)
    credentials: SessionCredentials = NO_CREDENTIALS


@dataclass(frozen=True)
class SendMessageFrame:
    request_id: str
    session_id: uuid.UUID
    message: str
    stream: bool
    model: str | None
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_ping(frame: dict, request_id: str | None) -> PingFrame:
    return PingFrame(request_id)


def parse_create_session(frame: dict, request_id: str | None) -> CreateSessionFrame:
    agent_id = _uuid(frame, "agentId")
    user_name = _string(frame, "userName", max_length=255)
    user_email = _string(frame, "userEmail", max_length=254)
    if user_email is not None:
        try:
            validate_email(user_email)
        except ValidationError:
            raise invalid("userEmail must be an email address") from None
    return CreateSessionFrame(
        request_id=request_id,
        agent_id=agent_id,
        user_name=(user_name or "").strip() or "Visitor",
        user_email=user_email or None,
        browser_fingerprint=_string(frame, "browserFingerprint", max_length=512) or None,
        metadata=_object(frame, "metadata") or {},
        supports=_string_list(frame, "supports"),
        auth_context=_auth_context(frame),
    )


def _auth_context(frame: dict) -> AuthContext | None:
    context = _object(frame, "authContext")
    if context is None:
        return None
    user_id = _string(context, "userId", required=True, max_length=255, label="authContext.userId")
    if not user_id:
        raise invalid("authContext.userId must not be empty")
    signature = _string(context, "signature", required=True, max_length=1024, label="authContext.signature")
    timestamp = context.get("timestamp")
    if timestamp is None:
        raise invalid("authContext.timestamp is required")
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        raise invalid("authContext.timestamp must be an integer (unix seconds)")
    return AuthContext(user_id=user_id, signature=signature, timestamp=timestamp)


def _credentials(frame: dict) -> SessionCredentials:
    """Smooth's request fields for re-attaching from a new connection: `resumeToken`,
    and `authContext` for a verified visitor (upstream clients send neither)."""
    token = _string(frame, "resumeToken", max_length=MAX_RESUME_TOKEN_LENGTH)
    context = _auth_context(frame)
    if token is None and context is None:
        return NO_CREDENTIALS
    return SessionCredentials(resume_token=token, auth_context=context)


def parse_get_session(frame: dict, request_id: str | None) -> GetSessionFrame:
    return GetSessionFrame(request_id, _uuid(frame, "sessionId"), _credentials(frame), _resume(frame))


def _resume(frame: dict) -> ResumeRequest | None:
    """Smooth's `resume: {requestId, eventsReceived}` (upstream clients never send it)."""
    resume = _object(frame, "resume")
    if resume is None:
        return None
    turn = _string(resume, "requestId", required=True, max_length=MAX_REQUEST_ID_LENGTH, label="resume.requestId")
    received = resume.get("eventsReceived")
    if not isinstance(received, int) or isinstance(received, bool) or received < 0:
        raise invalid("resume.eventsReceived must be a whole number of events, 0 or more")
    return ResumeRequest(turn, received)


def parse_cancel(frame: dict, request_id: str | None) -> CancelFrame:
    """cancel's sessionId is any string and advisory (the schema): one that is not a
    session id names none, and the socket's own sessions are looked in."""
    session_id = _string(frame, "sessionId", max_length=MAX_REQUEST_ID_LENGTH)
    named = uuid.UUID(session_id) if session_id is not None and _UUID_RE.match(session_id) else None
    return CancelFrame(request_id, named, _credentials(frame))


@dataclass(frozen=True)
class ConfirmFrame:
    request_id: str
    session_id: uuid.UUID
    approved: bool
    credentials: SessionCredentials = NO_CREDENTIALS


def _answer_request_id(action: str, request_id: str | None) -> str:
    """A visitor's answer to a parked turn is sent under the turn's requestId (the schema requires it)."""
    if request_id is None:
        raise invalid(f"{action} needs a requestId: the requestId of the turn it answers")
    return request_id


def parse_confirm(frame: dict, request_id: str | None) -> ConfirmFrame:
    request_id = _answer_request_id("confirm_tool_action", request_id)
    session_id = _uuid(frame, "sessionId")
    if "approved" not in frame:
        raise invalid("approved is required (true to run the tool, false to refuse it)")
    return ConfirmFrame(request_id, session_id, _bool(frame, "approved", default=False), _credentials(frame))


@dataclass(frozen=True)
class SubmitInteractionFrame:
    request_id: str
    session_id: uuid.UUID
    interaction_id: str
    kind: str | None
    values: dict | None
    declined: bool
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_submit_interaction(frame: dict, request_id: str | None) -> SubmitInteractionFrame:
    request_id = _answer_request_id("submit_interaction", request_id)
    session_id = _uuid(frame, "sessionId")
    interaction_id = _string(frame, "interactionId", required=True, max_length=128)
    declined = _bool(frame, "declined", default=False)
    values = _object(frame, "values")
    if values is None and not declined:
        raise invalid("values is required unless declined is true")
    return SubmitInteractionFrame(
        request_id, session_id, interaction_id, _string(frame, "kind", max_length=64), values, declined, _credentials(frame)
    )


@dataclass(frozen=True)
class VerifyOtpFrame:
    request_id: str
    session_id: uuid.UUID
    code: str
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_verify_otp(frame: dict, request_id: str | None) -> VerifyOtpFrame:
    if request_id is None:
        raise invalid("verify_otp needs a requestId: its answer is correlated by it")
    session_id = _uuid(frame, "sessionId")
    code = _string(frame, "code", required=True, max_length=32)
    if not code.strip():
        raise invalid("code must not be empty")
    return VerifyOtpFrame(request_id, session_id, code, _credentials(frame))


def parse_send_message(frame: dict, request_id: str | None) -> SendMessageFrame:
    if request_id is None:
        raise invalid("send_message needs a requestId: every event of the turn is correlated by it")
    session_id = _uuid(frame, "sessionId")
    message = _string(frame, "message", required=True, max_length=MAX_MESSAGE_LENGTH)
    if not message.strip():
        raise invalid("message must not be empty")
    skill = _string(frame, "skill", max_length=128)
    if skill is not None:
        if not _SKILL_RE.match(skill):
            raise invalid("skill must be 1 to 128 letters, digits, '_' or '-'")
        # Fail closed, as the spec requires: this server resolves no skills.
        raise ProtocolError("SKILL_NOT_FOUND", f"skill {skill!r} is not available on this server")
    return SendMessageFrame(
        request_id=request_id,
        session_id=session_id,
        message=message,
        stream=_bool(frame, "stream", default=True),
        model=_string(frame, "model", max_length=255),
        credentials=_credentials(frame),
    )


@dataclass(frozen=True)
class GetMessagesFrame:
    request_id: str | None
    session_id: uuid.UUID
    limit: int
    cursor: uuid.UUID | None
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_get_messages(frame: dict, request_id: str | None) -> GetMessagesFrame:
    session_id = _uuid(frame, "sessionId")
    limit = frame.get("limit", 50)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
        raise invalid("limit must be an integer from 1 to 100")
    cursor = _string(frame, "cursor", max_length=64)
    before = _string(frame, "before", max_length=64)  # the name the PyPI client 1.66 sends
    if cursor is not None and before is not None and cursor != before:
        raise invalid("cursor and before name the same position: send one of them")
    cursor = cursor if cursor is not None else before
    if cursor is not None and not _UUID_RE.match(cursor):
        raise invalid("cursor is not one this server issued: pass a nextCursor back unchanged")
    return GetMessagesFrame(request_id, session_id, limit, uuid.UUID(cursor) if cursor else None, _credentials(frame))


@dataclass(frozen=True)
class ListConversationsFrame:
    request_id: str | None
    limit: int
    cursor: str | None
    query: str | None


MAX_CONVERSATIONS_PAGE = 200


def parse_list_conversations(frame: dict, request_id: str | None) -> ListConversationsFrame:
    limit = frame.get("limit", 50)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise invalid(f"limit must be an integer from 1 to {MAX_CONVERSATIONS_PAGE}")
    query = _string(frame, "query", max_length=200)
    return ListConversationsFrame(
        request_id,
        min(limit, MAX_CONVERSATIONS_PAGE),  # the spec clamps rather than refuses
        _string(frame, "cursor", max_length=200) or None,
        query.strip() if query and query.strip() else None,
    )


@dataclass(frozen=True)
class RateAnswerFrame:
    """Smooth's `smooth.rate_answer` (upstream clients never send it)."""

    request_id: str
    session_id: uuid.UUID
    message_id: uuid.UUID | None  # None: the frame named no message that could exist
    rating: str
    comment: str
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_rate_answer(frame: dict, request_id: str | None) -> RateAnswerFrame:
    """A messageId that is no UUID is kept as naming nothing, not refused as malformed: the
    handler answers it as it answers an unknown id, so no reply tells ids apart."""
    if request_id is None:
        raise invalid("smooth.rate_answer needs a requestId: its answer is correlated by it")
    session_id = _uuid(frame, "sessionId")
    message_id = _string(frame, "messageId", required=True, max_length=MAX_REQUEST_ID_LENGTH)
    rating = frame.get("rating")
    if rating is None:
        raise invalid("rating is required: up or down")
    if not isinstance(rating, str):
        raise invalid(f"rating must be a string, not {_json_type(rating)}")
    if rating not in RATINGS:
        raise invalid("rating must be up or down")
    comment = _string(frame, "comment", max_length=MAX_FEEDBACK_COMMENT_LENGTH) or ""
    return RateAnswerFrame(
        request_id,
        session_id,
        uuid.UUID(message_id) if _UUID_RE.match(message_id) else None,
        rating,
        comment.strip(),
        _credentials(frame),
    )


# --- the visitor's own data (Smooth's actions) ---------------------------------------

TRANSCRIPT_FORMATS = ("text", "html")
MAX_LANGUAGE_TAG_LENGTH = 35


@dataclass(frozen=True)
class DownloadTranscriptFrame:
    """Smooth's `smooth.download_transcript` (upstream clients never send it)."""

    request_id: str
    session_id: uuid.UUID
    format: str  # one of TRANSCRIPT_FORMATS
    lang: str | None  # the widget's language, for the transcript's own words (chat.i18n picks a supported one)
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_download_transcript(frame: dict, request_id: str | None) -> DownloadTranscriptFrame:
    if request_id is None:
        raise invalid("smooth.download_transcript needs a requestId: its answer is correlated by it")
    session_id = _uuid(frame, "sessionId")
    format = _string(frame, "format", max_length=16)
    if format is None:
        format = "text"
    if format not in TRANSCRIPT_FORMATS:
        raise invalid(f"format must be {' or '.join(TRANSCRIPT_FORMATS)}, not {format[:16]!r}")
    lang = _string(frame, "lang", max_length=MAX_LANGUAGE_TAG_LENGTH)
    return DownloadTranscriptFrame(request_id, session_id, format, lang, _credentials(frame))


@dataclass(frozen=True)
class DeleteConversationFrame:
    """Smooth's `smooth.delete_conversation` (upstream clients never send it)."""

    request_id: str
    session_id: uuid.UUID
    credentials: SessionCredentials = NO_CREDENTIALS


def parse_delete_conversation(frame: dict, request_id: str | None) -> DeleteConversationFrame:
    if request_id is None:
        raise invalid("smooth.delete_conversation needs a requestId: its answer is correlated by it")
    return DeleteConversationFrame(request_id, _uuid(frame, "sessionId"), _credentials(frame))
