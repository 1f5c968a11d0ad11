"""The SDK's spans, made at a fraction of its tracer's cost: the spans of every turn.

The SDK's `Tracer.start_span` costs about 50 µs a span on the event loop (measured): a
`BoundedAttributes` that cleans every value under a lock, a `ReadableSpan` copied at
the end, tracer metrics that are off. A turn makes several spans. `Tracer` makes
`Span`s, a subclass of the SDK's own `Span`, so whatever reads an SDK span (processors,
exporters, the OTLP encoders) reads these unchanged; what they differ in:

- attributes live in a plain dict. A str, bool, int or float is stored as it is (the
  SDK's cleaning returns it unchanged); any other value, a key that is not a string
  and the provider's limits (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT and ..._VALUE_LENGTH_LIMIT)
  go the SDK's way, with its own cleaning function;
- the span itself is handed to the processors when it ends, not a copy: once ended it
  refuses every change, as the SDK's span does;
- events and links are made on first use;
- a `brief` span is handed to the processors only if it proves worth seeing: it took
  QUICK_SPAN_NS or longer, failed, was cancelled, or a child of it was exported. A
  quick point of a stage would otherwise say only that nothing happened there.

The sampler (OTEL_TRACES_SAMPLER), the id generator, the resource and the processors
are the provider's. A test runs the same calls through both tracers and compares what
they export.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from time import time_ns

from opentelemetry import trace as trace_api
from opentelemetry.attributes import _clean_attribute_value
from opentelemetry.sdk import trace as sdk_trace
from opentelemetry.sdk.trace import sampling
from opentelemetry.sdk.util import BoundedList
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.util._decorator import _agnosticcontextmanager

# A brief span quicker than this, with no child exported and no failure, is not exported.
QUICK_SPAN_NS = 1_000_000
_PLAIN = {str, bool, int, float}
_UNSET = Status(StatusCode.UNSET)
# A span's trace flags, by whether it is sampled and whether its trace id is random.
_FLAGS = {
    (sampled, random): trace_api.TraceFlags(
        (trace_api.TraceFlags.SAMPLED if sampled else trace_api.TraceFlags.DEFAULT)
        | (trace_api.TraceFlags.RANDOM_TRACE_ID if random else 0)
    )
    for sampled in (False, True)
    for random in (False, True)
}
_PARENT_BASED_ALWAYS_ON = sampling.ParentBased(sampling.ALWAYS_ON).get_description()


class Span(sdk_trace.Span):
    """An SDK span with plain-dict attributes, handed on itself at its end."""

    def __init__(
        self,
        tracer: Tracer,
        name: str,
        context: trace_api.SpanContext,
        parent: trace_api.SpanContext | None,
        parent_span: trace_api.Span,
        kind: SpanKind,
        links,
        brief: bool,
        record_exception: bool,
        set_status_on_exception: bool,
    ):
        # The fields ReadableSpan's properties read; sdk_trace.Span.__init__ is not called (its cost is the point).
        self._name = name
        self._context = context
        self._kind = kind
        self._parent = parent
        self._resource = tracer.resource
        self._instrumentation_info = tracer.instrumentation_info
        self._instrumentation_scope = tracer.instrumentation_scope
        self._status = _UNSET
        self._start_time = None
        self._end_time: int | None = None
        self._attributes: dict = {}
        self._dropped_attributes = 0
        self._events: tuple | BoundedList = ()
        self._links: tuple | BoundedList = ()
        self._limits = tracer.limits
        self._lock = threading.Lock()
        self._span_processor = tracer.span_processor
        self._record_exception = record_exception
        self._set_status_on_exception = set_status_on_exception
        self._record_end_metrics = None
        self._sampler = tracer.sampler
        self._trace_config = None
        self._brief = brief
        self._had_child = False
        # The parent span object, told when a child of it is exported (so a brief parent is exported too).
        self._parent_span = parent_span if type(parent_span) is Span else None
        if links:
            self._links = self._new_links(links)

    # --- attributes ---------------------------------------------------------------

    @property
    def dropped_attributes(self) -> int:
        return self._dropped_attributes

    def set_attribute(self, key: str, value) -> None:
        if self._end_time is not None:
            sdk_trace.logger.warning("Setting attribute on ended span.")
            return
        self._set(key, value)

    def set_attributes(self, attributes) -> None:
        if self._end_time is not None:
            sdk_trace.logger.warning("Setting attribute on ended span.")
            return
        limits, mine = self._limits, self._attributes
        if (
            not mine
            and limits.max_span_attribute_length is None
            and (limits.max_span_attributes is None or len(attributes) <= limits.max_span_attributes)
        ):
            for key, value in attributes.items():
                if type(value) not in _PLAIN or type(key) is not str or not key:
                    break
            else:  # the common case, at a span's start: plain values, within the limits
                self._attributes = dict(attributes)
                return
        for key, value in attributes.items():
            self._set(key, value)

    def _set(self, key, value) -> None:
        limits = self._limits
        if type(value) not in _PLAIN or type(key) is not str or not key or limits.max_span_attribute_length is not None:
            if not key or not isinstance(key, str):
                sdk_trace.logger.warning("invalid key `%s`. must be non-empty string. Dropping key from attributes.", key)
                self._dropped_attributes += 1
                return
            value = _clean_attribute_value(value, limits.max_span_attribute_length)
        attributes = self._attributes
        if key in attributes:
            del attributes[key]  # re-set: the newest, as the SDK's dict keeps it
        elif limits.max_span_attributes is not None and len(attributes) >= limits.max_span_attributes:
            if limits.max_span_attributes == 0:
                self._dropped_attributes += 1
                return
            del attributes[next(iter(attributes))]  # the oldest goes, as in the SDK
            self._dropped_attributes += 1
        attributes[key] = value

    # --- events and links, made on first use -------------------------------------

    def _add_event(self, event) -> None:
        with self._lock:
            if self._end_time is not None:
                sdk_trace.logger.warning("Tried calling _add_event on an ended span.")
                return
            events = self._events if isinstance(self._events, BoundedList) else self._new_events()
            self._events = events
            events.append(event)

    def _add_link(self, link) -> None:
        with self._lock:
            if self._end_time is not None:
                sdk_trace.logger.warning("Tried calling _add_link on an ended span.")
                return
            links = self._links if isinstance(self._links, BoundedList) else self._new_links(())
            self._links = links
            links.append(link)

    # --- life ---------------------------------------------------------------------

    def start(self, start_time: int | None = None, parent_context=None) -> None:
        self._start_time = start_time if start_time is not None else time_ns()
        self._span_processor.on_start(self, parent_context=parent_context)

    def end(self, end_time: int | None = None) -> None:
        with self._lock:
            if self._end_time is not None:
                sdk_trace.logger.warning("Calling end() on an ended span.")
                return
            self._end_time = end_time if end_time is not None else time_ns()
        if self._brief and not self._worth_seeing():
            return
        parent = self._parent_span
        if parent is not None:
            parent._had_child = True
        self._span_processor._on_ending(self)
        self._span_processor.on_end(self)

    def _worth_seeing(self) -> bool:
        return (
            self._had_child
            or self._end_time - self._start_time >= QUICK_SPAN_NS  # type: ignore[operator]
            or self._status.status_code is StatusCode.ERROR
            or "smooth.cancelled" in self._attributes
        )


class Tracer(trace_api.Tracer):
    """Makes `Span`s with what an SDK tracer of the provider has: its sampler, ids,
    resource, scope, limits and processors."""

    def __init__(self, provider: sdk_trace.TracerProvider, name: str):
        made = provider.get_tracer(name)
        assert isinstance(made, sdk_trace.Tracer), "the SDK's provider makes the SDK's tracer"
        self.sampler = made.sampler
        self.resource = made.resource
        self.span_processor = made.span_processor
        self.id_generator = made.id_generator
        self.instrumentation_info = made.instrumentation_info
        self.instrumentation_scope = made._instrumentation_scope
        self.limits = made._span_limits
        self._enabled = made._is_enabled
        # The SDK's default sampler (OTEL_TRACES_SAMPLER unset or parentbased_always_on) follows a
        # parent's sampled flag and keeps its trace state: answered here, at a fifth of the cost.
        self._parent_decides = self.sampler.get_description() == _PARENT_BASED_ALWAYS_ON

    def start_span(
        self,
        name: str,
        context=None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes=None,
        links=(),
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        *,
        brief: bool = False,
    ) -> trace_api.Span:
        parent_span = trace_api.get_current_span(context)
        if not self._enabled():
            return trace_api.NonRecordingSpan(context=parent_span.get_span_context())
        parent: trace_api.SpanContext | None = parent_span.get_span_context()
        if parent is None or not parent.is_valid:
            parent, trace_id = None, self.id_generator.generate_trace_id()
            random_trace_id = self.id_generator.is_trace_id_random()
        else:
            trace_id, random_trace_id = parent.trace_id, parent.trace_flags.random_trace_id
        trace_state: trace_api.TraceState | None
        if parent is not None and self._parent_decides:  # what the default sampler would answer, without asking it
            recording, trace_state = parent.trace_flags.sampled, parent.trace_state
        else:
            sampled = self.sampler.should_sample(context, trace_id, name, kind, attributes, links)
            recording, trace_state, attributes = sampled.decision.is_recording(), sampled.trace_state, sampled.attributes
        flags = _FLAGS[recording, random_trace_id]
        span_context = trace_api.SpanContext(trace_id, self.id_generator.generate_span_id(), False, flags, trace_state)
        if not recording:
            return trace_api.NonRecordingSpan(context=span_context)
        span = Span(self, name, span_context, parent, parent_span, kind, links, brief, record_exception, set_status_on_exception)
        if attributes:
            span.set_attributes(attributes)
        span.start(start_time=start_time, parent_context=context)
        return span

    @_agnosticcontextmanager
    def start_as_current_span(
        self,
        name: str,
        context=None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes=None,
        links=(),
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> Iterator[trace_api.Span]:
        span = self.start_span(name, context, kind, attributes, links, start_time, record_exception, set_status_on_exception)
        with trace_api.use_span(span, end_on_exit, record_exception, set_status_on_exception) as current:
            yield current
