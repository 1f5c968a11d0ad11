"""A streaming client for an OpenAI-compatible model gateway.

`POST {url}/chat/completions` with `stream: true` and usage reporting, parsed
incrementally from server-sent events: text deltas go to `on_text` as they
arrive, tool-call deltas are assembled by index, and the finish reason and the
usage chunk are kept. Timeouts: connect, first byte, and idle between chunks.
Connect errors, 429 and 5xx are retried only while nothing has been forwarded
to `on_text`; once a token went out, a failure is final. Errors carry the
status and what went wrong, never the key.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class GatewayError(Exception):
    """The model call failed; the message is safe to show (no key, no body dump)."""


@dataclass(frozen=True)
class GatewayTimeouts:
    connect: float = 5.0
    first_byte: float = 30.0
    idle: float = 30.0


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str  # the JSON text as the model wrote it


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class Completion:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None


class _Assembly:
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


def _parse_event(data: str, assembly: _Assembly) -> str | None:
    """Fold one SSE data payload into the assembly; return its text delta, if any."""
    if data == "[DONE]":
        assembly.done = True
        return None
    try:
        chunk = json.loads(data)
    except ValueError:
        raise GatewayError("the gateway sent a malformed stream (an event that is not JSON)") from None
    if not isinstance(chunk, dict):
        raise GatewayError("the gateway sent a malformed stream (an event that is not an object)")
    if "error" in chunk:
        message = chunk["error"].get("message") if isinstance(chunk["error"], dict) else None
        raise GatewayError(f"the gateway reported an error mid-stream: {str(message or 'unknown')[:200]}")
    usage = chunk.get("usage")
    if isinstance(usage, dict):
        assembly.usage = Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    text = None
    for choice in chunk.get("choices") or []:
        if not isinstance(choice, dict):
            raise GatewayError("the gateway sent a malformed stream (a choice that is not an object)")
        if choice.get("finish_reason"):
            assembly.finish_reason = choice["finish_reason"]
        delta = choice.get("delta") or {}
        content = delta.get("content")
        if isinstance(content, str) and content:
            assembly.text.append(content)
            text = content if text is None else text + content
        for call_delta in delta.get("tool_calls") or []:
            index = call_delta.get("index", 0)
            call = assembly.calls.setdefault(index, {"id": "", "name": "", "arguments": ""})
            call["id"] = call_delta.get("id") or call["id"]
            function = call_delta.get("function") or {}
            call["name"] += function.get("name") or ""
            call["arguments"] += function.get("arguments") or ""
    return text


class GatewayClient:
    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        timeouts: GatewayTimeouts = GatewayTimeouts(),
        retries: int = 2,
        retry_backoff: float = 0.25,
        client: httpx.AsyncClient | None = None,
    ):
        self._url = url.rstrip("/") + "/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": "text/event-stream"}
        self._timeouts = timeouts
        self._retries = retries
        self._retry_backoff = retry_backoff
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(connect=timeouts.connect, read=None, write=timeouts.connect, pool=timeouts.connect)
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def stream_chat(
        self,
        *,
        model: str,
        messages: list[dict],
        max_tokens: int,
        tools: list[dict] | None = None,
        on_text: Callable[[str], Awaitable[None]],
    ) -> Completion:
        payload = {
            "model": model,
            "messages": messages,
            "max_tokens": max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if tools:
            payload["tools"] = tools
        forwarded = False

        async def forward(text: str) -> None:
            nonlocal forwarded
            forwarded = True
            await on_text(text)

        attempt = 0
        while True:
            try:
                return await self._attempt(payload, forward)
            except _Retryable as exc:
                if forwarded or attempt >= self._retries:
                    raise GatewayError(str(exc)) from None
                attempt += 1
                logger.warning("gateway call failed (%s); retry %d of %d", exc, attempt, self._retries)
                await asyncio.sleep(self._retry_backoff * attempt)

    async def _attempt(self, payload: dict, forward: Callable[[str], Awaitable[None]]) -> Completion:
        try:
            async with self._client.stream("POST", self._url, json=payload, headers=self._headers) as response:
                if response.status_code != 200:
                    message = f"the gateway answered HTTP {response.status_code}"
                    if response.status_code in RETRYABLE_STATUSES:
                        raise _Retryable(message)
                    raise GatewayError(message)
                return await self._read(response, forward)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(f"the gateway could not be reached ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise GatewayError(f"the gateway connection failed ({type(exc).__name__})") from None

    async def _read(self, response: httpx.Response, forward: Callable[[str], Awaitable[None]]) -> Completion:
        """Parse the stream read by read. The text of all the deltas one network
        read delivered is forwarded once: deltas that arrive together go out as
        one token event (the concatenated text is the same), and nothing waits."""
        assembly = _Assembly()
        reads = response.aiter_text()
        pending = ""
        timeout, waiting_for = self._timeouts.first_byte, "its first byte"
        while not assembly.done:
            try:
                async with asyncio.timeout(timeout):  # no task per read, unlike wait_for
                    received = await anext(reads)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise GatewayError(f"the gateway timed out waiting for {waiting_for} ({timeout:g} s)") from None
            timeout, waiting_for = self._timeouts.idle, "the next chunk"
            *lines, pending = (pending + received).split("\n")
            texts = []
            for line in lines:
                if line.startswith("data:"):  # comments, event names and blank separators are skipped
                    text = _parse_event(line[5:].strip(), assembly)
                    if text:
                        texts.append(text)
                    if assembly.done:
                        break
            if texts:
                await forward("".join(texts))
        if not assembly.done and assembly.finish_reason is None:
            raise GatewayError("the gateway's stream ended before the reply was complete")
        return assembly.completion()


class _Retryable(Exception):
    pass
