"""Tracing for one test (`traced`): core.tracing started with Smooth's OTLP/HTTP exporter
pointed at a real local receiver, and stopped after (httpx left as it was, nothing
global set); and ways to find spans among those received."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from opentelemetry.sdk.trace import TracerProvider

from chat import turns
from core import tracing
from core.otlp import SpanExporter
from tests.observability.otlp_receiver import OtlpReceiver, ReceivedSpan


@dataclass
class Traces:
    receiver: OtlpReceiver
    provider: TracerProvider

    async def collect(self) -> list[ReceivedSpan]:
        """Every span so far, once the running turns have ended and the batch is exported."""
        await turns.drain()
        assert self.provider.force_flush(10_000)
        return self.receiver.received()


@contextlib.contextmanager
def traced() -> Iterator[Traces]:
    receiver = OtlpReceiver().start()
    provider = tracing.start(SpanExporter(endpoint=f"{receiver.url}/v1/traces"))
    try:
        yield Traces(receiver, provider)
    finally:
        tracing.stop()
        receiver.stop()


def named(spans: list[ReceivedSpan], name: str) -> list[ReceivedSpan]:
    return [span for span in spans if span.name == name]


def one(spans: list[ReceivedSpan], name: str) -> ReceivedSpan:
    found = named(spans, name)
    assert len(found) == 1, f"{len(found)} spans named {name!r} among {sorted(span.name for span in spans)}"
    return found[0]


def children(spans: list[ReceivedSpan], parent: ReceivedSpan) -> list[ReceivedSpan]:
    return [span for span in spans if span.parent_id == parent.span_id]
