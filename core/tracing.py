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
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace import INVALID_SPAN, NonRecordingSpan, Span, SpanContext, Status, StatusCode

DEFAULT_SERVICE_NAME = "smooth"
# Not traced unless OTEL_PYTHON_ASGI_EXCLUDED_URLS says otherwise: probes and scrapes come
# every few seconds and would bury the requests worth seeing.
DEFAULT_EXCLUDED_URLS = "healthz,readyz,metrics"
# Header values never recorded, even if OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_* asks for them.
SANITIZED_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

# A brief span (`span(..., brief=True)`: a stage's point, a half of a search) quicker than
# this, with no child and no failure, is never made: it would say only that nothing
# happened there, and making a span costs more than the code it would time.
QUICK_SPAN_NS = 1_000_000

_tracer: trace.Tracer | None = None
_provider: TracerProvider | None = None
_processor: _Exporting | None = None
_OFF = contextlib.nullcontext(INVALID_SPAN)


class _Exporting(BatchSpanProcessor):
    """Exports in batches, and notes which spans have had a child end (a child ends
    before its parent), so that a brief span with a child is made after all."""

    def __init__(self, exporter: SpanExporter):
        super().__init__(exporter)
        self._parents: set[int] = set()  # the spans with a child ended, until they end

    def on_end(self, span: ReadableSpan) -> None:
        parent = span.parent
        if parent is not None and not parent.is_remote:
            self._parents.add(parent.span_id)
        self._parents.discard(span.context.span_id)
        super().on_end(span)

    def had_child(self, span_id: int) -> bool:
        if span_id in self._parents:
            self._parents.discard(span_id)
            return True
        return False


class _ChosenIds(RandomIdGenerator):
    """Random ids, but for a brief span made after the fact: the id its children already name."""

    def __init__(self) -> None:
        self._chosen = threading.local()

    def choose(self, span_id: int) -> None:
        self._chosen.span_id = span_id

    def generate_span_id(self) -> int:
        chosen = self._chosen.__dict__.pop("span_id", None)
        return chosen if chosen is not None else super().generate_span_id()


_ids = _ChosenIds()


class _BriefSpan(NonRecordingSpan):
    """A brief span while it runs: an id its children take as their parent, and what it
    was told (attributes, a failure), kept for the span made if it proves worth seeing."""

    def __init__(self, context: SpanContext, attributes: dict | None):
        super().__init__(context)
        self.attributes: dict = dict(attributes or {})
        self.failure: Status | None = None

    def set_attribute(self, key: str, value) -> None:
        self.attributes[key] = value

    def set_attributes(self, attributes) -> None:
        self.attributes.update(attributes)

    def set_status(self, status, description: str | None = None) -> None:
        self.failure = status if isinstance(status, Status) else Status(status, description)


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
    global _processor
    provider = TracerProvider(resource=_resource(), shutdown_on_exit=shutdown_on_exit, id_generator=_ids)
    _processor = _Exporting(exporter)
    provider.add_span_processor(_processor)
    _tracer, _provider = provider.get_tracer("smooth"), provider
    return provider


def stop() -> None:
    """Stop tracing, once what is left is exported."""
    global _tracer, _provider, _processor
    if _provider is None:
        return
    provider, _tracer, _provider, _processor = _provider, None, None, None
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
    (an exception marks it failed; a cancellation only says so). A `brief` one is made
    only when it proves worth seeing: slow (QUICK_SPAN_NS), failed, cancelled or a parent."""
    if _tracer is None:
        return _OFF
    if brief:
        return _brief(_tracer, name, attributes)
    return _recording(_tracer, name, attributes)


@contextlib.contextmanager
def _recording(tracer: trace.Tracer, name: str, attributes: dict | None) -> Iterator[Span]:
    current = tracer.start_span(name, attributes=attributes)
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


@contextlib.contextmanager
def _brief(tracer: trace.Tracer, name: str, attributes: dict | None) -> Iterator[Span]:
    parent = trace.get_current_span()
    within = parent.get_span_context()
    if not within.is_valid:  # a trace of its own: made, as it could not be told apart later
        with _recording(tracer, name, attributes) as current:
            yield current
        return
    placeholder = _BriefSpan(
        SpanContext(within.trace_id, _ids.generate_span_id(), False, within.trace_flags, within.trace_state), attributes
    )
    token = context.attach(trace.set_span_in_context(placeholder))
    started = time.time_ns()
    try:
        yield placeholder
    except asyncio.CancelledError:
        placeholder.attributes["smooth.cancelled"] = True
        raise
    except Exception as exc:
        if placeholder.failure is None:
            failed(placeholder, type(exc).__qualname__)
        raise
    finally:
        context.detach(token)
        ended = time.time_ns()
        had_child = _processor is not None and _processor.had_child(placeholder.get_span_context().span_id)
        if had_child or ended - started >= QUICK_SPAN_NS or placeholder.failure is not None or "smooth.cancelled" in placeholder.attributes:
            _ids.choose(placeholder.get_span_context().span_id)
            made = tracer.start_span(name, context=trace.set_span_in_context(parent), attributes=placeholder.attributes, start_time=started)
            if placeholder.failure is not None:
                made.set_status(placeholder.failure)
            made.end(end_time=ended)


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
