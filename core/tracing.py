"""Traces: OpenTelemetry spans of turns (the GenAI semantic conventions' names), exported
over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
is set, and off otherwise. The SDK reads the other OTEL_* variables itself: headers,
sampler, batching, resource attributes; the service is "smooth" unless OTEL_SERVICE_NAME
(or OTEL_RESOURCE_ATTRIBUTES) names another.

The tracer is this module's: `start` installs a provider (at process start `configure`
does, from smooth.asgi; a test installs its own) and `stop` flushes and removes it.
`configure` also makes it OpenTelemetry's global provider, for libraries that trace
through that, but nothing here reads the global one: a process may set it only once.
Off, `span` hands out the API's invalid span and creates nothing: a turn pays a few
dictionary lookups.

A gateway request carries the `traceparent` of its call's span (`inject`, the
propagators of OTEL_PROPAGATORS). httpx's instrumentation would do the same with a span
of its own per request, at about 0.2 ms of the event loop's CPU each (measured): a turn
makes one to several. Django's HTTP requests are traced by the ASGI middleware around
the HTTP application (`http_app`): Django's own instrumentation is sync-only middleware,
which makes Django run every request, async health probes included, on the one thread
that serves every socket's database work (and, without the ASGI package, it records
nothing under Daphne).

Message text goes into spans only with SMOOTH_TRACE_CONTENT (`content_allowed`); keys
and headers never do.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator

from django.conf import settings
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import INVALID_SPAN, Span, Status, StatusCode

DEFAULT_SERVICE_NAME = "smooth"
# Not traced unless OTEL_PYTHON_ASGI_EXCLUDED_URLS says otherwise: probes and scrapes come
# every few seconds and would bury the requests worth seeing.
DEFAULT_EXCLUDED_URLS = "healthz,readyz,metrics"
# Header values never recorded, even if OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_* asks for them.
SANITIZED_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

# A brief span (`span(..., brief=True)`: a stage's point, a half of a search) quicker than
# this, with no child and no failure, is not exported: encoding and sending a span costs
# about three times making it, and such a span says only that nothing happened there.
QUICK_SPAN_NS = 1_000_000

_tracer: trace.Tracer | None = None
_provider: TracerProvider | None = None
_OFF = contextlib.nullcontext(INVALID_SPAN)
_brief: set[int] = set()  # the ids of the brief spans not ended yet


class _WorthSeeing(BatchSpanProcessor):
    """Exports in batches every span but a brief one that took less than QUICK_SPAN_NS
    and has neither a child nor a failure (a child ends before its parent: its parent's
    id is noted then)."""

    def __init__(self, exporter: SpanExporter):
        super().__init__(exporter)
        self._parents: set[int] = set()  # the spans with a child ended, until they end

    def on_end(self, span: ReadableSpan) -> None:
        parent = span.parent
        if parent is not None and not parent.is_remote:
            self._parents.add(parent.span_id)
        span_id = span.context.span_id
        had_child = span_id in self._parents
        if had_child:
            self._parents.discard(span_id)
        if span_id in _brief:
            _brief.discard(span_id)
            took = (span.end_time or 0) - (span.start_time or 0)
            if (
                took < QUICK_SPAN_NS
                and not had_child
                and span.status.status_code is StatusCode.UNSET
                and not (span.attributes or {}).get("smooth.cancelled")
            ):
                return
        super().on_end(span)


def wanted() -> bool:
    """Whether this process exports traces: the variables the OTLP exporter reads itself."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure() -> None:
    """At process start: tracing on when wanted, as the global provider too (for any
    library that traces through it), flushed at exit."""
    if _provider is not None or not wanted():
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = start(OTLPSpanExporter(), shutdown_on_exit=True)
    trace.set_tracer_provider(provider)


def start(exporter: SpanExporter, *, shutdown_on_exit: bool = False) -> TracerProvider:
    """Trace from now on, in batches to `exporter`."""
    global _tracer, _provider
    stop()
    provider = TracerProvider(resource=_resource(), shutdown_on_exit=shutdown_on_exit)
    provider.add_span_processor(_WorthSeeing(exporter))
    _tracer, _provider = provider.get_tracer("smooth"), provider
    return provider


def stop() -> None:
    """Stop tracing, once what is left is exported."""
    global _tracer, _provider
    if _provider is None:
        return
    provider, _tracer, _provider = _provider, None, None
    provider.shutdown()


def active() -> bool:
    return _tracer is not None


def _resource() -> Resource:
    resource = Resource.create()  # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    return resource


def content_allowed() -> bool:
    """Whether spans may carry message text (questions, replies, tool arguments and results)."""
    return _tracer is not None and settings.SMOOTH_TRACE_CONTENT


def span(name: str, attributes: dict | None = None, *, brief: bool = False) -> contextlib.AbstractContextManager[Span]:
    """A child of the current span, current while the block runs, ended when it leaves
    (an exception marks it failed; a cancellation only says so). A `brief` one is not
    exported when it was quick, childless and did not fail (QUICK_SPAN_NS)."""
    if _tracer is None:
        return _OFF
    return _recording(_tracer, name, attributes, brief)


@contextlib.contextmanager
def _recording(tracer: trace.Tracer, name: str, attributes: dict | None, brief: bool) -> Iterator[Span]:
    current = tracer.start_span(name, attributes=attributes)
    if brief:
        _brief.add(current.get_span_context().span_id)
    token = context.attach(trace.set_span_in_context(current))
    try:
        yield current
    except asyncio.CancelledError:
        current.set_attribute("smooth.cancelled", True)
        raise
    except Exception as exc:
        status = getattr(current, "status", None)  # the SDK's span says whether a status was set already
        if status is None or status.status_code is StatusCode.UNSET:
            failed(current, type(exc).__qualname__)
        raise
    finally:
        context.detach(token)
        current.end()


def record(name: str, start_ns: int, end_ns: int, error_type: str | None = None) -> None:
    """A span after the fact (times in ns since the epoch, as time.time_ns), a child of the current span."""
    if _tracer is None:
        return
    done = _tracer.start_span(name, start_time=start_ns)
    if error_type is not None:
        failed(done, error_type)
    done.end(end_time=end_ns)


def failed(current: Span, error_type: str) -> None:
    """Mark a span failed with `error_type` (a class or a code: never a message, which may
    hold what a visitor typed)."""
    current.set_attribute("error.type", error_type)
    current.set_status(Status(StatusCode.ERROR, error_type))


def current_span() -> Span:
    return trace.get_current_span()


def inject(headers: dict[str, str]) -> dict[str, str]:
    """`headers` with the current span's trace context (`traceparent`), when tracing is on."""
    if _tracer is not None:
        propagate.inject(headers)
    return headers


def http_app(app):
    """The HTTP application, each request a server span (its route's name), when tracing is on."""
    if _provider is None:
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    excluded = os.environ.get("OTEL_PYTHON_ASGI_EXCLUDED_URLS") or os.environ.get("OTEL_PYTHON_EXCLUDED_URLS") or DEFAULT_EXCLUDED_URLS
    sanitized = os.environ.get("OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS", "").split(",")
    return OpenTelemetryMiddleware(
        app,
        excluded_urls=excluded,
        default_span_details=_route_name,
        tracer_provider=_provider,
        http_capture_headers_sanitize_fields=SANITIZED_HEADERS + [name.strip() for name in sanitized if name.strip()],
        exclude_spans=["receive", "send"],  # one span a request, not one per ASGI message
    )


def _route_name(scope: dict) -> tuple[str, dict]:
    """`GET api/v1/agents/<uuid:agent_id>`: the route, not the path, so that names stay few."""
    from django.urls import Resolver404, resolve

    method = scope.get("method", "HTTP")
    try:
        route = resolve(scope.get("path", "")).route
    except Resolver404:
        return method, {}
    return (f"{method} {route}", {"http.route": route}) if route else (method, {})
