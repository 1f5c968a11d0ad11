"""The one client of the model gateway: chat completions (streamed), embeddings
and rerank, over one pooled httpx.AsyncClient per event loop.

Base URL, key, timeouts, retries and error mapping are written here once. Every
call is async and is awaited on the event loop, never inside a
database_sync_to_async hop: that one thread serves every socket's database work
in the process, and a slow call there would stall them all.

Chat: connect errors, 429 and 5xx are retried only while nothing has been
forwarded to `on_text`; once a token went out, a failure is final. Timeouts:
connect, first byte, and idle between chunks. Embeddings and rerank each have
one short overall timeout, and their callers fall back when they fail.

Each call, retries included, is a span (`chat <model>`, `embeddings <model>`,
`rerank <model>`, with the GenAI conventions' attributes; the messages only with
SMOOTH_TRACE_CONTENT), timed and its failures counted by kind (core.metrics). Its
HTTP requests carry the span's trace in `traceparent` (core.tracing.inject).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
from django.conf import settings
from opentelemetry.trace import Span

from core import metrics, tracing
from core.gateway.errors import Failure, GatewayError
from core.gateway.streaming import Assembly, Completion

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_CONNECTIONS = 1000  # concurrent gateway calls per process: one per answering turn, at most
CALLS_PER_POOL = 4
# After [DONE], what is left of the body (the chunked end, usually in the same packet) is
# read, so the connection goes back to the pool: one not read to its end is closed, and
# the next turn paid a new connection (a TCP handshake, and a TLS one in production).
DRAIN_SECONDS = 0.5
DRAIN_BYTES = 65536


@dataclass(frozen=True)
class GatewayTimeouts:
    connect: float = 5.0
    first_byte: float = 30.0
    idle: float = 30.0


class _Retryable(Exception):
    def __init__(self, error: GatewayError):
        self.error = error


def _status_error(status: int) -> GatewayError:
    failure = Failure.BUSY if status in RETRYABLE_STATUSES else Failure.REJECTED
    return GatewayError(failure, f"the gateway answered HTTP {status}")


class GatewayClient:
    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        timeouts: GatewayTimeouts = GatewayTimeouts(),
        retries: int = 2,
        retry_backoff: float = 0.25,
    ):
        self._base = url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        parsed = httpx.URL(self._base)
        self._server = {"server.address": parsed.host, "server.port": parsed.port or (443 if parsed.scheme == "https" else 80)}
        self._timeouts = timeouts
        self._retries = retries
        self._retry_backoff = retry_backoff
        # Small pools, filled one after the other: httpcore walks all of a pool's connections
        # (and, for each, all of them again) whenever a request starts or ends, and asks each
        # socket for its peer with a system call; one pool of a few hundred connections made
        # that walk cost the event loop more than the turns' own work. A quiet server uses the first
        # pool alone, and keeps its connection.
        self._pools: list[httpx.AsyncClient] = []
        self._in_flight: list[int] = []
        self._tls = httpx.create_ssl_context()  # made once: loading the CA certificates is dear

    def _new_pool(self) -> httpx.AsyncClient:
        timeouts = self._timeouts
        return httpx.AsyncClient(
            verify=self._tls,
            timeout=httpx.Timeout(connect=timeouts.connect, read=None, write=timeouts.connect, pool=timeouts.connect),
            # every connection kept for the next call: with fewer, a burst of turns reconnected
            limits=httpx.Limits(max_connections=CALLS_PER_POOL, max_keepalive_connections=CALLS_PER_POOL),
        )

    @contextlib.contextmanager
    def _pool(self) -> Iterator[httpx.AsyncClient]:
        """The first pool with room for one more call (a new one while there are fewer than
        MAX_CONNECTIONS / CALLS_PER_POOL), else the least busy."""
        index = next((index for index, calls in enumerate(self._in_flight) if calls < CALLS_PER_POOL), None)
        if index is None and len(self._pools) < MAX_CONNECTIONS // CALLS_PER_POOL:
            self._pools.append(self._new_pool())
            self._in_flight.append(0)
            index = len(self._pools) - 1
        elif index is None:
            index = self._in_flight.index(min(self._in_flight))
        self._in_flight[index] += 1
        try:
            yield self._pools[index]
        finally:
            self._in_flight[index] -= 1

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()

    @contextlib.contextmanager
    def _call(self, operation: str, model: str, **attributes) -> Iterator[Span]:
        """One call, retries included: its span, its time, and its failure counted by kind."""
        started = time.perf_counter()
        attributes.update(self._server)
        with tracing.span(
            f"{operation} {model}", {"gen_ai.operation.name": operation, "gen_ai.request.model": model, **attributes}
        ) as span:
            try:
                yield span
            except GatewayError as exc:
                metrics.gateway_errors.labels(code=exc.failure.name).inc()
                tracing.failed(span, exc.failure.name)
                raise
            finally:
                metrics.gateway_seconds.labels(model=model).observe(time.perf_counter() - started)

    # --- chat -------------------------------------------------------------------

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

        with self._call("chat", model, **{"gen_ai.request.max_tokens": max_tokens}) as span:
            if tracing.content_allowed():
                span.set_attribute("gen_ai.input.messages", json.dumps(_semconv_messages(messages), ensure_ascii=False))
            attempt = 0
            while True:
                try:
                    completion = await self._attempt(payload, forward)
                    break
                except _Retryable as exc:
                    if forwarded or attempt >= self._retries:
                        raise exc.error from None
                    attempt += 1
                    logger.warning("gateway call failed (%s); retry %d of %d", exc.error, attempt, self._retries)
                    await asyncio.sleep(self._retry_backoff * attempt)
            _describe(span, completion)
        return completion

    async def _attempt(self, payload: dict, forward: Callable[[str], Awaitable[None]]) -> Completion:
        headers = tracing.inject({**self._headers, "Accept": "text/event-stream"})
        try:
            with self._pool() as pool:
                async with pool.stream("POST", f"{self._base}/chat/completions", json=payload, headers=headers) as response:
                    if response.status_code != 200:
                        tracing.current_span().set_attribute("http.response.status_code", response.status_code)
                        error = _status_error(response.status_code)
                        raise _Retryable(error) if response.status_code in RETRYABLE_STATUSES else error
                    return await self._read(response, forward)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(GatewayError(Failure.UNREACHABLE, f"the gateway could not be reached ({type(exc).__name__})")) from None
        except httpx.HTTPError as exc:
            raise GatewayError(Failure.CUT_OFF, f"the gateway connection failed ({type(exc).__name__})") from None

    async def _read(self, response: httpx.Response, forward: Callable[[str], Awaitable[None]]) -> Completion:
        """Parse the stream read by read. The text of all the deltas one network
        read delivered is forwarded once: deltas that arrive together go out as
        one token event (the concatenated text is the same), and nothing waits."""
        assembly = Assembly()
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
                raise GatewayError(Failure.TIMEOUT, f"the gateway timed out waiting for {waiting_for} ({timeout:g} s)") from None
            timeout, waiting_for = self._timeouts.idle, "the next chunk"
            *lines, pending = (pending + received).split("\n")
            texts = []
            for line in lines:
                if line.startswith("data:"):  # comments, event names and blank separators are skipped
                    text = assembly.fold(line[5:].strip())
                    if text:
                        texts.append(text)
                    if assembly.done:
                        break
            if texts:
                await forward("".join(texts))
        if not assembly.done and assembly.finish_reason is None:
            raise GatewayError(Failure.CUT_OFF, "the gateway's stream ended before the reply was complete")
        if assembly.done:
            await _drain(reads)
        return assembly.completion()

    # --- embeddings and rerank ----------------------------------------------------

    async def embed(self, texts: list[str], *, model: str, timeout: float) -> list[list[float]]:
        """One vector per text, in order."""
        with self._call("embeddings", model):
            body = await self._post_json("/embeddings", {"model": model, "input": texts}, timeout)
            try:
                rows = sorted(body["data"], key=lambda item: item["index"])
                vectors = [[float(value) for value in row["embedding"]] for row in rows]
            except (KeyError, TypeError, ValueError):
                raise GatewayError(Failure.MALFORMED, "the gateway's /embeddings answer is not an embeddings list") from None
            if len(vectors) != len(texts) or len({len(vector) for vector in vectors}) > 1:
                raise GatewayError(Failure.MALFORMED, "the gateway returned a different number or width of embeddings than asked for")
        return vectors

    async def rerank(self, query: str, documents: list[str], *, model: str, timeout: float) -> list[float]:
        """One relevance score per document, in order."""
        with self._call("rerank", model):
            payload = {"model": model, "query": query, "documents": documents, "top_n": len(documents)}
            body = await self._post_json("/rerank", payload, timeout)
            scores = [0.0] * len(documents)
            try:
                for item in body["results"]:
                    index = item["index"]
                    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(documents):
                        raise ValueError(index)
                    scores[index] = float(item["relevance_score"])
            except (KeyError, TypeError, ValueError):
                raise GatewayError(Failure.MALFORMED, "the gateway's /rerank answer is not a list of scored indexes") from None
        return scores

    async def _post_json(self, path: str, payload: dict, timeout: float):
        try:
            async with asyncio.timeout(timeout):
                with self._pool() as pool:
                    response = await pool.post(f"{self._base}{path}", json=payload, headers=tracing.inject(dict(self._headers)))
        except TimeoutError:
            raise GatewayError(Failure.TIMEOUT, f"the gateway's {path} took longer than {timeout:g} s") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GatewayError(Failure.UNREACHABLE, f"the gateway's {path} could not be reached ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise GatewayError(Failure.CUT_OFF, f"the gateway's {path} connection failed ({type(exc).__name__})") from None
        if response.status_code != 200:
            tracing.current_span().set_attribute("http.response.status_code", response.status_code)
            raise _status_error(response.status_code)
        try:
            return response.json()
        except ValueError:
            raise GatewayError(Failure.MALFORMED, f"the gateway's {path} answer is not JSON") from None


def _describe(span: Span, completion: Completion) -> None:
    """A finished chat call's span: why it ended, its usage, and (SMOOTH_TRACE_CONTENT) what it said."""
    if not span.is_recording():
        return
    if completion.finish_reason:
        span.set_attribute("gen_ai.response.finish_reasons", [completion.finish_reason])
    if completion.usage is not None:
        span.set_attributes(
            {"gen_ai.usage.input_tokens": completion.usage.prompt_tokens, "gen_ai.usage.output_tokens": completion.usage.completion_tokens}
        )
    if tracing.content_allowed():
        parts = [{"type": "text", "content": completion.text}] if completion.text else []
        parts += [{"type": "tool_call", "id": call.id, "name": call.name, "arguments": call.arguments} for call in completion.tool_calls]
        output = {"role": "assistant", "parts": parts, "finish_reason": completion.finish_reason or ""}
        span.set_attribute("gen_ai.output.messages", json.dumps([output], ensure_ascii=False))


def _semconv_messages(messages: list[dict]) -> list[dict]:
    """OpenAI chat messages in the GenAI conventions' shape: a role and its parts."""
    converted = []
    for message in messages:
        if message.get("role") == "tool":
            parts = [{"type": "tool_call_response", "id": message.get("tool_call_id"), "response": message.get("content")}]
        else:
            parts = [{"type": "text", "content": message["content"]}] if message.get("content") else []
            parts += [
                {"type": "tool_call", "id": call.get("id"), "name": call["function"]["name"], "arguments": call["function"]["arguments"]}
                for call in message.get("tool_calls") or []
            ]
        converted.append({"role": message.get("role"), "parts": parts})
    return converted


_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def configured_client() -> GatewayClient:
    """A new client with the server's settings (the caller closes it)."""
    return GatewayClient(
        url=settings.SMOOAI_GATEWAY_URL,
        api_key=settings.SMOOAI_GATEWAY_KEY or "",
        timeouts=GatewayTimeouts(
            connect=settings.SMOOTH_AGENT_GATEWAY_CONNECT_TIMEOUT,
            first_byte=settings.SMOOTH_AGENT_GATEWAY_FIRST_BYTE_TIMEOUT,
            idle=settings.SMOOTH_AGENT_GATEWAY_IDLE_TIMEOUT,
        ),
        retries=settings.SMOOTH_AGENT_GATEWAY_RETRIES,
    )


def gateway() -> GatewayClient:
    """The event loop's pooled client."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = configured_client()
    return client


async def close_loop_client() -> None:
    """Close the running loop's pooled client, for loops that end (async_to_sync callers)."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


async def _drain(reads) -> None:
    """Read a finished stream to its end (DRAIN_SECONDS, DRAIN_BYTES at most) so that its
    connection can be kept; a gateway that goes on sending is cut off instead."""
    drained = 0
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            async for rest in reads:
                drained += len(rest)
                if drained > DRAIN_BYTES:
                    return
    except (TimeoutError, httpx.HTTPError):
        return
