"""Traces: OpenTelemetry spans of turns (the GenAI semantic conventions' names), exported
over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
is set, and off otherwise. The SDK reads the other OTEL_* variables itself: headers,
sampler, batching, resource attributes; the service is "smooth" unless OTEL_SERVICE_NAME
(or OTEL_RESOURCE_ATTRIBUTES) names another.

The tracer is this module's: `start` installs a provider (at process start `configure`
does, from smooth.asgi; a test installs its own) and `stop` flushes and removes it. Its
spans are made by core.spans (the SDK's Span class, made for less than half the SDK
tracer's cost; brief ones exported only when worth seeing).
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
from collections.abc import Sequence

from django.conf import settings
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import INVALID_SPAN, Link, Span, Status, StatusCode

from core import spans

DEFAULT_SERVICE_NAME = "smooth"
# Not traced unless OTEL_PYTHON_ASGI_EXCLUDED_URLS says otherwise: probes and scrapes come
# every few seconds and would bury the requests worth seeing.
DEFAULT_EXCLUDED_URLS = "healthz,readyz,metrics"
# Header values never recorded, even if OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_* asks for them.
SANITIZED_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

_tracer: spans.Tracer | None = None
_provider: TracerProvider | None = None
_OFF = contextlib.nullcontext(INVALID_SPAN)
_NO_PARENT = context.Context()  # a context with no span in it: what a new trace starts from


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
    from core.otlp import SpanExporter

    provider = start(SpanExporter(), shutdown_on_exit=True)
    trace.set_tracer_provider(provider)


def start(exporter: SpanExporter, *, shutdown_on_exit: bool = False) -> TracerProvider:
    """Trace from now on, in batches to `exporter`."""
    global _tracer, _provider
    stop()
    provider = TracerProvider(resource=_resource(), shutdown_on_exit=shutdown_on_exit)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    _tracer, _provider = spans.Tracer(provider, "smooth"), provider
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


def span(
    name: str, attributes: dict | None = None, *, brief: bool = False, links: Sequence[Link] = (), new_trace: bool = False
) -> contextlib.AbstractContextManager[Span]:
    """A child of the current span (with `new_trace`, the root of a trace of its own),
    current while the block runs, ended when it leaves (an exception marks it failed; a
    cancellation only says so). A `brief` one is exported only when it proves worth seeing:
    slow (spans.QUICK_SPAN_NS), failed, cancelled or a parent of one exported."""
    if _tracer is None:
        return _OFF
    parent = _NO_PARENT if new_trace else None
    return _Current(_tracer.start_span(name, parent, attributes=attributes, links=links, brief=brief))


def linked_to(carrier: dict[str, str] | None, why: str) -> list[Link]:
    """A link to the span whose trace context `carrier` holds (headers `inject` wrote, kept
    for later or sent from elsewhere), its attribute `smooth.link` saying `why`; none when
    tracing is off or `carrier` holds no context."""
    if _tracer is None or not carrier:
        return []
    linked = trace.get_current_span(propagate.extract(carrier)).get_span_context()
    return [Link(linked, {"smooth.link": why})] if linked.is_valid else []


class _Current:
    """A span current while a block runs (a class, not a generator: it runs several times a turn)."""

    __slots__ = ("_span", "_token")

    def __init__(self, span: Span):
        self._span = span

    def __enter__(self) -> Span:
        self._token = context.attach(trace.set_span_in_context(self._span))
        return self._span

    def __exit__(self, kind, exc, traceback) -> None:
        current = self._span
        if isinstance(exc, asyncio.CancelledError):
            current.set_attribute("smooth.cancelled", True)
        elif isinstance(exc, Exception):
            status = getattr(current, "status", None)  # a span sampled out has none
            if status is not None and status.status_code is StatusCode.UNSET:
                failed(current, type(exc).__qualname__)
        context.detach(self._token)
        current.end()


def record(name: str, start_ns: int, end_ns: int, error_type: str | None = None, *, brief: bool = False) -> None:
    """A span after the fact (times in ns since the epoch, as time.time_ns), a child of the
    current span; a `brief` one only if it failed or took spans.QUICK_SPAN_NS or longer."""
    if _tracer is None or (brief and error_type is None and end_ns - start_ns < spans.QUICK_SPAN_NS):
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
