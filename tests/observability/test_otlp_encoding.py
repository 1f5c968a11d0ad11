"""core.otlp.encode_spans writes what the OTLP exporter's own encoder does: the request it
makes, parsed with opentelemetry-proto, equals the library's for spans using every part of
the format (attribute types, events, links, statuses, trace state, remote parents, dropped
counts, several resources and scopes)."""

from __future__ import annotations

import enum

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans as library_encode
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

from core.otlp import encode_spans


class Code(enum.StrEnum):
    REFUSED = "refused"


class Number(enum.IntEnum):
    TWO = 2


REMOTE = SpanContext(
    trace_id=0x0AF7651916CD43DD8448EB211C80319C,
    span_id=0xB7AD6B7169203331,
    is_remote=True,
    trace_flags=TraceFlags(1),
    trace_state=TraceState([("vendor", "opaque-value"), ("other", "1")]),
)


def finished_spans(resource: Resource, scope: str, version: str | None = None) -> list:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=resource, span_limits=SpanLimits(max_attributes=15, max_events=2, max_links=1))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer(scope, version, schema_url="https://opentelemetry.io/schemas/1.26.0" if version else None)
    attributes = {
        "text": "héllo wörld ✓",
        "empty": "",
        "yes": True,
        "no": False,
        "small": 7,
        "zero": 0,
        "negative": -42,
        "large": 2**62,
        "ratio": 0.125,
        "texts": ["stop", "length"],
        "numbers": [1, -2, 3],
        "flags": [True, False],
        "code": Code.REFUSED,  # subclasses of str and int, as their values
        "number": Number.TWO,
        "raw": b"\x00\xff",
    }
    with tracer.start_as_current_span("invoke_agent Support", kind=SpanKind.SERVER, attributes=attributes) as turn:
        turn.add_event("retry", {"attempt": 2, "reason": "timeout"})
        turn.add_event("plain")
        turn.add_event("dropped: over the limit of two")
        with tracer.start_as_current_span("chat gpt-x", kind=SpanKind.CLIENT, links=[Link(REMOTE, {"why": "resumed"}), Link(REMOTE)]):
            pass
        with tracer.start_as_current_span("execute_tool refund") as tool:
            tool.set_status(Status(StatusCode.ERROR, "ToolFailed"))
        with tracer.start_as_current_span("ok") as ok:
            ok.set_status(Status(StatusCode.OK))
        for index in range(15):  # three over the limit: dropped
            turn.set_attribute(f"extra.{index}", index)
    with tracer.start_as_current_span("from a remote parent", context=trace.set_span_in_context(trace.NonRecordingSpan(REMOTE))):
        pass
    tracer.start_span("a producer", kind=SpanKind.PRODUCER).end()
    tracer.start_span("a consumer", kind=SpanKind.CONSUMER).end()
    return list(exporter.get_finished_spans())


@pytest.mark.parametrize("version", [None, "1.2.3"])
def test_the_request_equals_the_one_the_library_encodes(version):
    spans = finished_spans(Resource({"service.name": "smooth", "deployment": "test"}), "smooth", version)
    spans += finished_spans(Resource({"service.name": "other"}, schema_url="https://opentelemetry.io/schemas/1.21.0"), "other.scope")
    assert any(span.dropped_attributes for span in spans) and any(span.dropped_events for span in spans)
    assert any(span.dropped_links for span in spans)

    ours = ExportTraceServiceRequest.FromString(encode_spans(spans))

    assert ours == library_encode(spans)
    assert len(ours.resource_spans) == 2
    assert sum(len(scope.spans) for resource in ours.resource_spans for scope in resource.scope_spans) == len(spans)


def test_nothing_to_export_is_an_empty_request():
    assert encode_spans([]) == b""
    assert ExportTraceServiceRequest.FromString(b"") == library_encode([])
