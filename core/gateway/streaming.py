"""Reading an OpenAI-compatible chat completion stream (server-sent events).

Every chunk is checked for the shape it must have before any of it is used: a
gateway that sends a delta that is not an object, usage that is not a number or
`choices` that is not a list fails the call as MALFORMED, never as a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from core.gateway.errors import Failure, GatewayError


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str  # the JSON text as the model wrote it


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass
class Completion:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None


def _malformed(what: str) -> GatewayError:
    return GatewayError(Failure.MALFORMED, f"the gateway sent a malformed stream ({what})")


def _expect(value, kind: type | tuple, what: str, *, optional: bool = True):
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _malformed(what)
    return value


def _count(value, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 2**53:
        raise _malformed(f"{what} is not a token count")
    return int(value)


class Assembly:
    """The pieces of one streamed completion as they arrive."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.calls: dict[int, dict] = {}
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.done = False

    def completion(self) -> Completion:
        calls = [
            ToolCall(id=call["id"] or f"call_{index}", name=call["name"], arguments=call["arguments"] or "{}")
            for index, call in sorted(self.calls.items())
        ]
        return Completion("".join(self.text), calls, self.finish_reason, self.usage)

    def fold(self, data: str) -> str | None:
        """Fold one SSE data payload in; return its text delta, if any."""
        if data == "[DONE]":
            self.done = True
            return None
        try:
            chunk = json.loads(data)
        except ValueError:
            raise _malformed("an event that is not JSON") from None
        _expect(chunk, dict, "an event that is not an object", optional=False)
        if "error" in chunk:
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else error
            raise GatewayError(Failure.UPSTREAM, f"the gateway reported an error mid-stream: {str(message or 'unknown')}")
        usage = _expect(chunk.get("usage"), dict, "usage that is not an object")
        if usage is not None:
            self.usage = Usage(
                _count(usage.get("prompt_tokens"), "prompt_tokens"), _count(usage.get("completion_tokens"), "completion_tokens")
            )
        text = None
        for choice in _expect(chunk.get("choices"), list, "choices that are not a list") or []:
            _expect(choice, dict, "a choice that is not an object", optional=False)
            finish_reason = _expect(choice.get("finish_reason"), str, "a finish_reason that is not a string")
            if finish_reason:
                self.finish_reason = finish_reason
            delta = _expect(choice.get("delta"), dict, "a delta that is not an object") or {}
            content = _expect(delta.get("content"), str, "content that is not a string")
            if content:
                self.text.append(content)
                text = content if text is None else text + content
            for call_delta in _expect(delta.get("tool_calls"), list, "tool_calls that are not a list") or []:
                self._fold_call(_expect(call_delta, dict, "a tool call that is not an object", optional=False))
        return text

    def _fold_call(self, call_delta: dict) -> None:
        index = _expect(call_delta.get("index", 0), int, "a tool call index that is not an integer", optional=False)
        call = self.calls.setdefault(index, {"id": "", "name": "", "arguments": ""})
        call["id"] = _expect(call_delta.get("id"), str, "a tool call id that is not a string") or call["id"]
        function = _expect(call_delta.get("function"), dict, "a tool call function that is not an object") or {}
        call["name"] += _expect(function.get("name"), str, "a tool name that is not a string") or ""
        call["arguments"] += _expect(function.get("arguments"), str, "tool arguments that are not a string") or ""
