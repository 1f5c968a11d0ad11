"""The gateway's connections are kept between turns: a stream read to its end goes back
to the pool (a real keep-alive HTTP/1.1 server here, counting the connections it accepts)."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.gateway import GatewayClient
from core.gateway import client as gateway_client


class KeepAliveGateway:
    """Chunked SSE over HTTP/1.1 keep-alive. `after_done` is what it sends between [DONE]
    and the body's end: nothing, a pause, or more bytes than a client should wait for."""

    def __init__(self, after_done: str = "nothing") -> None:
        self.after_done = after_done
        self.connections = 0

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/v1"

    async def stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
                await reader.readexactly(length)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
                for payload in (
                    {"choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": None}]},
                    {
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 3, "completion_tokens": 1},
                    },
                    "[DONE]",
                ):
                    data = f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n".encode()
                    writer.write(b"%x\r\n%s\r\n" % (len(data), data))
                await writer.drain()
                if self.after_done == "pause":
                    await asyncio.sleep(0.05)
                elif self.after_done == "flood":
                    filler = b": keep reading\n" * 8192
                    while True:
                        writer.write(b"%x\r\n%s\r\n" % (len(filler), filler))
                        await writer.drain()
                        await asyncio.sleep(0.01)
                writer.write(b"0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def _three_calls(after_done: str) -> tuple[list[str], int]:
    gateway = KeepAliveGateway(after_done)
    url = await gateway.start()
    client = GatewayClient(url=url, api_key="sk-test")
    texts = []
    try:
        for _ in range(3):

            async def ignore(text: str) -> None:
                pass

            completion = await client.stream_chat(model="m", messages=[{"role": "user", "content": "hi"}], max_tokens=5, on_text=ignore)
            texts.append(completion.text)
    finally:
        await client.aclose()
        await gateway.stop()
    return texts, gateway.connections


@pytest.mark.parametrize("after_done", ["nothing", "pause"])
async def test_a_finished_stream_leaves_its_connection_for_the_next_call(after_done):
    texts, connections = await _three_calls(after_done)
    assert texts == ["Hello"] * 3
    assert connections == 1


async def test_a_gateway_that_goes_on_after_done_is_cut_off_and_the_answer_stands(monkeypatch):
    monkeypatch.setattr(gateway_client, "DRAIN_SECONDS", 0.2)
    texts, connections = await _three_calls("flood")
    assert texts == ["Hello"] * 3
    assert connections == 3  # each connection given up, not waited on for ever


async def test_concurrent_calls_spread_over_small_pools_and_a_quiet_server_uses_the_first():
    gateway = KeepAliveGateway("pause")
    url = await gateway.start()
    client = GatewayClient(url=url, api_key="sk-test")

    async def ignore(text: str) -> None:
        pass

    async def call() -> str:
        completion = await client.stream_chat(model="m", messages=[{"role": "user", "content": "hi"}], max_tokens=5, on_text=ignore)
        return completion.text

    try:
        busy = gateway_client.CALLS_PER_POOL * 2 + 1
        assert await asyncio.gather(*(call() for _ in range(busy))) == ["Hello"] * busy
        assert len(client._pools) == 3 and client._in_flight == [0, 0, 0]
        assert all(pool._transport._pool._ssl_context is client._tls for pool in client._pools)
        connections = gateway.connections
        assert await call() == "Hello"
        assert gateway.connections == connections  # a kept connection of the first pool
    finally:
        await client.aclose()
        await gateway.stop()
