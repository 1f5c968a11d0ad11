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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
from django.conf import settings

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

        attempt = 0
        while True:
            try:
                return await self._attempt(payload, forward)
            except _Retryable as exc:
                if forwarded or attempt >= self._retries:
                    raise exc.error from None
                attempt += 1
                logger.warning("gateway call failed (%s); retry %d of %d", exc.error, attempt, self._retries)
                await asyncio.sleep(self._retry_backoff * attempt)

    async def _attempt(self, payload: dict, forward: Callable[[str], Awaitable[None]]) -> Completion:
        headers = {**self._headers, "Accept": "text/event-stream"}
        try:
            with self._pool() as pool:
                async with pool.stream("POST", f"{self._base}/chat/completions", json=payload, headers=headers) as response:
                    if response.status_code != 200:
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
        body = await self._post_json("/rerank", {"model": model, "query": query, "documents": documents, "top_n": len(documents)}, timeout)
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
                    response = await pool.post(f"{self._base}{path}", json=payload, headers=self._headers)
        except TimeoutError:
            raise GatewayError(Failure.TIMEOUT, f"the gateway's {path} took longer than {timeout:g} s") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GatewayError(Failure.UNREACHABLE, f"the gateway's {path} could not be reached ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise GatewayError(Failure.CUT_OFF, f"the gateway's {path} connection failed ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise _status_error(response.status_code)
        try:
            return response.json()
        except ValueError:
            raise GatewayError(Failure.MALFORMED, f"the gateway's {path} answer is not JSON") from None


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
