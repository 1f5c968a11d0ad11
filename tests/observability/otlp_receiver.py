"""An OTLP/HTTP trace receiver on a real local port, as a collector (Jaeger, Tempo, an
OpenTelemetry Collector) would be: each POST /v1/traces body is decoded with
opentelemetry-proto, and its spans are kept, with their trace, parent and attributes."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Status

from tests.httpserver import FakeHttpServer, Reply, Request


@dataclass
class ReceivedSpan:
    name: str
    trace_id: str  # hex, as in a traceparent header
    span_id: str
    parent_id: str | None
    attributes: dict
    status: str  # UNSET, OK or ERROR
    start: int  # ns since the epoch
    resource: dict = field(default_factory=dict)
    links: list[tuple[str, str, dict]] = field(default_factory=list)  # (trace id, span id, attributes)


def value_of(value: AnyValue):
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [value_of(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return {item.key: value_of(item.value) for item in value.kvlist_value.values}
    return getattr(value, kind) if kind else None


def decoded(body: bytes) -> list[ReceivedSpan]:
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {item.key: value_of(item.value) for item in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    ReceivedSpan(
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_id=span.parent_span_id.hex() or None,
                        attributes={item.key: value_of(item.value) for item in span.attributes},
                        status=Status.StatusCode.Name(span.status.code).removeprefix("STATUS_CODE_"),
                        start=span.start_time_unix_nano,
                        resource=resource,
                        links=[
                            (link.trace_id.hex(), link.span_id.hex(), {item.key: value_of(item.value) for item in link.attributes})
                            for link in span.links
                        ],
                    )
                )
    return spans


class OtlpReceiver:
    """tests/httpserver.py's server, answering POST /v1/traces as a collector does."""

    def __init__(self) -> None:
        self.spans: list[ReceivedSpan] = []
        self.bodies = 0
        self._lock = threading.Lock()
        self._server = FakeHttpServer(routes={"/v1/traces": self._export})

    def _export(self, request: Request) -> Reply:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if request.method != "POST" or headers.get("content-type") != "application/x-protobuf":
            return Reply(404, "not found")
        body = gzip.decompress(request.body) if headers.get("content-encoding") == "gzip" else request.body
        spans = decoded(body)
        with self._lock:
            self.spans += spans
            self.bodies += 1
        return Reply(200, ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")

    def start(self) -> OtlpReceiver:
        self._server.start()
        return self

    @property
    def url(self) -> str:
        """What OTEL_EXPORTER_OTLP_ENDPOINT is set to (the exporter adds /v1/traces)."""
        return self._server.url

    def stop(self) -> None:
        self._server.stop()

    def received(self) -> list[ReceivedSpan]:
        with self._lock:
            return list(self.spans)
