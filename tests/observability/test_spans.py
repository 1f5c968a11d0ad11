"""core.spans makes the SDK's spans more cheaply: the same calls through the SDK's tracer
and through core.spans.Tracer export the same request, under the same limits, sampler
and ids; and a brief span is exported only when it proves worth seeing."""

from __future__ import annotations

import asyncio
import contextvars
import enum
import itertools

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider, sampling
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

from core import spans


class Outcome(enum.StrEnum):
    ANSWERED = "answered"


class CountingIds(IdGenerator):
    """Ids 1, 2, 3…: two tracers given the same calls make the same ids."""

    def __init__(self) -> None:
        self._next = itertools.count(1)

    def generate_span_id(self) -> int:
        return next(self._next)

    def generate_trace_id(self) -> int:
        return 0xABC0 + next(self._next)


REMOTE = SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, True, TraceFlags(1), TraceState([("vendor", "v")]))
REMOTE_UNSAMPLED = SpanContext(0x0AF7651916CD43DD8448EB211C80319D, 0xB7AD6B7169203332, True, TraceFlags(0))


def provider_of(limits: SpanLimits | None = None, sampler: sampling.Sampler | None = None) -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        resource=Resource({"service.name": "smooth"}), span_limits=limits, sampler=sampler, id_generator=CountingIds()
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def calls(tracer: trace.Tracer) -> None:
    """Every part of a span a caller can set, at fixed times."""
    with tracer.start_as_current_span(
        "invoke_agent", kind=SpanKind.SERVER, attributes={"smooth.session.id": "s-1", "yes": True, "n": 3}, start_time=1_000
    ) as turn:
        turn.set_attribute("smooth.outcome", Outcome.ANSWERED)  # a str subclass: cleaned to str
        turn.set_attribute("texts", ["stop", "length"])  # a list: stored as a tuple
        turn.set_attribute("long", "a value past the length limit")
        turn.set_attributes({"ratio": 0.5, "n": 4, "raw": b"\x00\xff"})  # n again: the newest, last
        turn.set_attribute("", "an empty key is dropped")
        turn.update_name("invoke_agent Support")
        turn.add_event("retry", {"attempt": 2}, timestamp=1_500)
        turn.add_event("plain", timestamp=1_600)
        turn.add_event("over the limit", timestamp=1_700)
        turn.add_link(REMOTE, {"why": "resumed"})
        turn.add_link(REMOTE)
        chat = tracer.start_span("chat gpt-x", kind=SpanKind.CLIENT, links=[Link(REMOTE)], start_time=2_000)
        chat.set_status(Status(StatusCode.OK))
        chat.set_status(Status(StatusCode.ERROR, "ignored: OK stands"))
        chat.end(end_time=3_000)
        chat.set_attribute("after the end", 1)  # ignored, as on an ended SDK span
        chat.end(end_time=4_000)  # ignored
        tool = tracer.start_span("execute_tool refund", attributes={"gen_ai.tool.name": "refund"}, start_time=3_500)
        tool.set_status(StatusCode.ERROR, "ToolFailed")
        tool.end(end_time=3_600)
        for index in range(4):
            turn.set_attribute(f"extra.{index}", index)  # over the count limit: the oldest go
    remote = tracer.start_span("from a remote parent", context=trace.set_span_in_context(NonRecordingSpan(REMOTE)), start_time=5_000)
    remote.end(end_time=6_000)
    unsampled = trace.set_span_in_context(NonRecordingSpan(REMOTE_UNSAMPLED))
    tracer.start_span("under an unsampled parent", context=unsampled, start_time=7_000).end(end_time=8_000)


def exported(make_tracer, limits: SpanLimits | None = None, sampler: sampling.Sampler | None = None):
    provider, exporter = provider_of(limits, sampler)
    calls(make_tracer(provider))
    finished = exporter.get_finished_spans()
    request = encode_spans(finished)
    for resource in request.resource_spans:  # the turn's own end time is the clock's: not compared
        for scope in resource.scope_spans:
            for span in scope.spans:
                if span.name == "invoke_agent Support":
                    span.end_time_unix_nano = 0
    return finished, request


def sdk(provider: TracerProvider) -> trace.Tracer:
    return provider.get_tracer("smooth")


def lean(provider: TracerProvider) -> trace.Tracer:
    return spans.Tracer(provider, "smooth")


@pytest.mark.parametrize(
    "limits",
    [None, SpanLimits(max_span_attributes=6, max_span_attribute_length=8, max_events=2, max_links=1)],
    ids=["default limits", "tight limits"],
)
@pytest.mark.parametrize(
    "sampler",
    [None, sampling.ParentBased(sampling.TraceIdRatioBased(1.0)), sampling.ALWAYS_ON],
    ids=["default sampler", "parent-based ratio", "always on"],
)
def test_the_same_calls_export_what_the_sdk_tracer_exports(limits, sampler):
    theirs, expected = exported(sdk, limits, sampler)
    ours, actual = exported(lean, limits, sampler)

    assert actual == expected
    assert [type(span) for span in ours] == [spans.Span] * len(theirs)
    assert len(theirs) == 4 + (sampler is sampling.ALWAYS_ON)  # always on records under an unsampled parent too
    if limits is not None:
        assert [span.dropped_attributes for span in ours] == [span.dropped_attributes for span in theirs]
        assert any(span.dropped_attributes for span in ours) and any(span.dropped_events for span in ours)


@pytest.mark.parametrize("sampler", [sampling.ALWAYS_OFF, sampling.ParentBased(sampling.ALWAYS_OFF), sampling.TraceIdRatioBased(0.0)])
def test_a_sampler_that_drops_the_turn_drops_its_children_too(sampler):
    provider, exporter = provider_of(sampler=sampler)
    tracer = lean(provider)
    with tracer.start_as_current_span("invoke_agent") as turn:
        assert not turn.is_recording()
        with tracer.start_as_current_span("chat gpt-x") as chat:
            assert not chat.is_recording()
    assert exporter.get_finished_spans() == ()


def names(exporter: InMemorySpanExporter) -> list[str]:
    return sorted(span.name for span in exporter.get_finished_spans())


def brief(tracer: trace.Tracer, name: str, **options):
    span = tracer.start_span(name, brief=True, **options)  # type: ignore[call-arg]
    return trace.use_span(span, end_on_exit=True, record_exception=False, set_status_on_exception=False)


def test_a_brief_span_is_exported_only_when_slow_failed_cancelled_or_a_parent_of_one_exported():
    provider, exporter = provider_of()
    tracer = lean(provider)
    with tracer.start_as_current_span("turn"):
        with brief(tracer, "quick"):
            pass
        with brief(tracer, "slow", start_time=1):  # started at the epoch: long ago
            pass
        with brief(tracer, "failed") as failed:
            failed.set_status(Status(StatusCode.ERROR, "ValueError"))
        with brief(tracer, "cancelled") as cancelled:
            cancelled.set_attribute("smooth.cancelled", True)
        with brief(tracer, "parent"), tracer.start_as_current_span("its child"):
            pass
        with brief(tracer, "parent of a quick brief one"), brief(tracer, "quick child"):
            pass
        with brief(tracer, "grandparent"), brief(tracer, "parent of a slow one"), brief(tracer, "slow grandchild", start_time=1):
            pass
    assert names(exporter) == sorted(
        ["turn", "slow", "failed", "cancelled", "parent", "its child", "grandparent", "parent of a slow one", "slow grandchild"]
    )
    parents = {span.name: span.parent.span_id for span in exporter.get_finished_spans() if span.parent is not None}
    ids = {span.name: span.context.span_id for span in exporter.get_finished_spans() if span.context is not None}
    assert parents["its child"] == ids["parent"]
    assert parents["slow grandchild"] == ids["parent of a slow one"]


async def test_a_child_in_another_task_marks_its_brief_parent_across_the_hop():
    provider, exporter = provider_of()
    tracer = lean(provider)

    def in_a_thread() -> None:
        tracer.start_span("in a thread", start_time=1).end()

    with brief(tracer, "search"):
        await asyncio.get_running_loop().run_in_executor(None, contextvars.copy_context().run, in_a_thread)
    assert names(exporter) == ["in a thread", "search"]
