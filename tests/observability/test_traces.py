"""Traces of turns as a collector receives them (OTLP/HTTP, decoded with opentelemetry-proto):
a streamed tool turn is one trace of GenAI spans with the right names, parents, attributes
and token counts, across the database and search threads; the gateway request carries its
traceparent; a cancelled, a failed and a shut-down turn end their spans with their outcome;
message text only with SMOOTH_TRACE_CONTENT, and a key never."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings

from chat import turns
from chat.models import Session
from chat.turns.stages import Pipeline, StageTurn, configured
from core import tracing
from core.gateway import Usage
from tests.factories import AGENT_ID
from tests.helpers import send, turn, until_terminal
from tests.knowledge.kb import add
from tests.observability.otlp_receiver import ReceivedSpan
from tests.observability.trace_fixtures import children, named, one, traced
from tests.turns.test_confirmation import DELETE, confirm, confirming, park_then_end, parked_turn

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "sk-trace-test-secret-4b1d"
QUESTION = "what is the returns window?"
REPLY = "You have 17 days to return an item."
SEARCH = {"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "returns window"}', "id": "call_7"}
SLOW = " ".join(f"word{i}" for i in range(60))
# What each stage point runs in a tool turn (two model calls).
POINTS = {"open": 1, "opened": 1, "context": 1, "before_model_call": 2, "model_called": 2, "on_reply": 1, "replied": 1, "ended": 1}
CONTENT = {
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.tool.call.arguments",
    "gen_ai.tool.call.result",
    "smooth.retrieval.query",
}


@pytest.fixture
def traces(settings):
    settings.SMOOTH_TRACE_CONTENT = False
    with traced() as received:
        yield received


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, KEY
    settings.SMOOTH_AGENT_PRICES = {settings.SMOOTH_AGENT_MODEL: (1.0, 5.0)}
    settings.SMOOTH_AGENT_GATEWAY_FIRST_BYTE_TIMEOUT = settings.SMOOTH_AGENT_GATEWAY_IDLE_TIMEOUT = 2
    return fake_gateway


async def session_of(ws):
    client = await ws()
    return client, (await client.create_session(AGENT_ID))["sessionId"]


async def tool_turn(ws, gateway) -> tuple[Session, list[dict]]:
    """A streamed turn whose model searches the knowledge, then answers."""
    await database_sync_to_async(add)(
        "default", "policies/returns.md", "# Returns\n\nReturns are accepted within 17 days.", title="Returns"
    )
    gateway.push(SEARCH, {"kind": "text", "text": REPLY})
    client, session_id = await session_of(ws)
    events = await turn(client, session_id, QUESTION)
    assert events[-1]["type"] == "eventual_response", events[-1]
    return await Session.objects.aget(session_id=session_id), events


def subset(attributes: dict, expected: dict) -> dict:
    return {name: attributes.get(name) for name in expected}


def turn_span(spans: list[ReceivedSpan]) -> ReceivedSpan:
    (root,) = [span for span in spans if span.name.startswith("invoke_agent")]
    assert root.parent_id is None
    return root


def header(headers: dict, name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


async def test_a_streamed_tool_turn_is_one_trace_of_gen_ai_spans(ws, gateway, traces, monkeypatch):
    monkeypatch.setattr("core.spans.QUICK_SPAN_NS", 0)  # every stage point a span, however quick
    session, _ = await tool_turn(ws, gateway)
    spans = await traces.collect()
    model = django_settings.SMOOTH_AGENT_MODEL

    root = one(spans, f"invoke_agent {session.agent_name}")
    assert {span.trace_id for span in spans} == {root.trace_id}  # everything the turn did, in its one trace
    expected = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.request.model": model,
        "gen_ai.usage.input_tokens": 20,  # two calls of 10 and 5 (the fake gateway's usage)
        "gen_ai.usage.output_tokens": 10,
        "gen_ai.response.finish_reasons": ["stop"],
        "gen_ai.agent.id": AGENT_ID,
        "gen_ai.agent.name": session.agent_name,
        "gen_ai.conversation.id": str(session.conversation_id),
        "smooth.session.id": str(session.session_id),
        "smooth.conversation.id": str(session.conversation_id),
        "smooth.agent.id": AGENT_ID,
        "smooth.organization.id": "default",
        "smooth.request.id": "m-1",
        "smooth.cost.usd": pytest.approx((20 * 1.0 + 10 * 5.0) / 1_000_000),
        "smooth.outcome": "answered",
        "smooth.resumed": False,
    }
    assert subset(root.attributes, expected) == expected
    assert root.status == "UNSET" and "smooth.error.code" not in root.attributes

    calls = sorted(named(spans, f"chat {model}"), key=lambda span: span.start)
    assert [call.parent_id for call in calls] == [root.span_id, root.span_id]
    for call, finish in zip(calls, ["tool_calls", "stop"]):
        expected = {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": model,
            "gen_ai.request.max_tokens": django_settings.SMOOTH_AGENT_MAX_TOKENS,
            "gen_ai.usage.input_tokens": 10,
            "gen_ai.usage.output_tokens": 5,
            "gen_ai.response.finish_reasons": [finish],
            "server.address": "127.0.0.1",
        }
        assert subset(call.attributes, expected) == expected

    tool = one(spans, "execute_tool knowledge_search")
    assert tool.parent_id == root.span_id and tool.status == "UNSET"
    expected = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "knowledge_search", "gen_ai.tool.call.id": "call_7"}
    assert subset(tool.attributes, expected) == expected
    assert calls[0].start < tool.start < calls[1].start

    # Each stage point of the turn, once per call, a child of the turn: those run in the
    # database hops (open, on_reply) too.
    stage_spans = [span for span in spans if span.name.startswith("stage ")]
    assert {span.parent_id for span in stage_spans} == {root.span_id}
    wanted = Counter(
        {f"stage {stage.name}.{point}": times for stage in configured() for point, times in POINTS.items() if hasattr(stage, point)}
    )
    assert Counter(span.name for span in stage_spans) == wanted
    assert {"stage budgets.open", "stage handoff.on_reply", "stage knowledge.context"} <= set(wanted)

    # Two searches: the knowledge stage's and the tool's, each with its halves (ranked on a search thread).
    context = one(spans, "stage knowledge.context")
    searches = named(spans, "retrieval")
    assert sorted(search.parent_id for search in searches) == sorted([context.span_id, tool.span_id])
    for search in searches:
        halves = {child.name: child for child in children(spans, search)}
        assert set(halves) == {"retrieval.lexical", "retrieval.dense"}
        assert halves["retrieval.lexical"].attributes["smooth.retrieval.matches"] == 1  # the one chunk
        assert halves["retrieval.lexical"].attributes["smooth.retrieval.known_words"] >= 1
        assert halves["retrieval.dense"].attributes["smooth.retrieval.matches"] == 1
        assert search.attributes["smooth.retrieval.candidates"] == 1
        assert isinstance(search.attributes["smooth.retrieval.relevant"], bool)
    (stage_search,) = children(spans, context)
    assert subset(stage_search.attributes, {"smooth.retrieval.relevant": True, "smooth.retrieval.passages": 1}) == {
        "smooth.retrieval.relevant": True,
        "smooth.retrieval.passages": 1,
    }


async def test_each_gateway_request_carries_the_traceparent_of_its_model_call(ws, gateway, traces):
    await tool_turn(ws, gateway)
    spans = await traces.collect()
    root = turn_span(spans)
    calls = sorted(named(spans, f"chat {django_settings.SMOOTH_AGENT_MODEL}"), key=lambda span: span.start)
    assert len(gateway.headers) == len(calls) == 2
    for headers, call in zip(gateway.headers, calls):
        version, trace_id, span_id, flags = header(headers, "traceparent").split("-")
        assert (version, trace_id, span_id, int(flags, 16) & 1) == ("00", root.trace_id, call.span_id, 1)  # sampled


async def test_without_trace_content_no_message_text_nor_key_is_in_any_span(ws, gateway, traces):
    await tool_turn(ws, gateway)
    spans = await traces.collect()
    names = {span.name for span in spans}
    assert {f"chat {django_settings.SMOOTH_AGENT_MODEL}", "execute_tool knowledge_search", "retrieval", "retrieval.lexical"} <= names
    for span in spans:
        assert not CONTENT & set(span.attributes), span
        recorded = json.dumps(span.attributes)
        for text in (QUESTION, REPLY, "returns window", "17 days", KEY, "Bearer"):
            assert text not in recorded, (span.name, text)


async def test_with_trace_content_the_spans_carry_the_messages_but_never_the_key(ws, gateway, traces, settings):
    settings.SMOOTH_TRACE_CONTENT = True
    await tool_turn(ws, gateway)
    spans = await traces.collect()
    first, second = sorted(named(spans, f"chat {django_settings.SMOOTH_AGENT_MODEL}"), key=lambda span: span.start)

    asked = json.loads(first.attributes["gen_ai.input.messages"])
    assert asked[-1] == {"role": "user", "parts": [{"type": "text", "content": QUESTION}]}
    assert json.loads(first.attributes["gen_ai.output.messages"]) == [
        {
            "role": "assistant",
            "parts": [{"type": "tool_call", "id": "call_7", "name": "knowledge_search", "arguments": SEARCH["arguments"]}],
            "finish_reason": "tool_calls",
        }
    ]
    (response,) = json.loads(second.attributes["gen_ai.input.messages"])[-1]["parts"]
    assert response["type"] == "tool_call_response" and response["id"] == "call_7"
    assert "Returns are accepted within 17 days." in response["response"]
    assert json.loads(second.attributes["gen_ai.output.messages"]) == [
        {"role": "assistant", "parts": [{"type": "text", "content": REPLY}], "finish_reason": "stop"}
    ]

    tool = one(spans, "execute_tool knowledge_search")
    assert tool.attributes["gen_ai.tool.call.arguments"] == SEARCH["arguments"]
    assert "Returns are accepted within 17 days." in tool.attributes["gen_ai.tool.call.result"]
    queries = sorted(search.attributes["smooth.retrieval.query"] for search in named(spans, "retrieval"))
    assert queries == sorted([QUESTION, "returns window"])
    for span in spans:
        recorded = json.dumps(span.attributes)
        assert KEY not in recorded and "Bearer" not in recorded, span.name


async def test_a_cancelled_turn_ends_its_spans_as_cancelled_not_failed(ws, gateway, traces, monkeypatch):
    monkeypatch.setattr("core.spans.QUICK_SPAN_NS", 0)  # every stage point a span, however quick
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.1})
    client, session_id = await session_of(ws)
    assert (await client.request(send(session_id, "m-1")))["status"] == 202
    assert (await client.receive())["type"] == "stream_token"  # the model is streaming
    await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    assert (await until_terminal(client))[-1]["type"] == "cancelled"
    spans = await traces.collect()

    root = turn_span(spans)
    assert root.attributes["smooth.outcome"] == "cancelled" and root.status == "UNSET"
    assert "smooth.error.code" not in root.attributes and "gen_ai.usage.input_tokens" not in root.attributes
    call = one(spans, f"chat {django_settings.SMOOTH_AGENT_MODEL}")
    assert call.parent_id == root.span_id and call.status == "UNSET"
    assert call.attributes["smooth.cancelled"] is True and "gen_ai.response.finish_reasons" not in call.attributes
    assert one(spans, "stage budgets.ended").parent_id == root.span_id  # the turn's end still ran, in its span


async def test_a_failed_turn_ends_its_spans_in_error_with_the_gateway_failure(ws, gateway, traces):
    gateway.push({"kind": "status", "status": 401})
    client, session_id = await session_of(ws)
    events = await turn(client, session_id)
    assert events[-1]["type"] == "error" and events[-1]["error"]["code"] == "AGENT_ERROR"
    spans = await traces.collect()

    root = turn_span(spans)
    expected = {"smooth.outcome": "error", "smooth.error.code": "AGENT_ERROR", "error.type": "AGENT_ERROR"}
    assert subset(root.attributes, expected) == expected and root.status == "ERROR"
    call = one(spans, f"chat {django_settings.SMOOTH_AGENT_MODEL}")
    assert call.parent_id == root.span_id
    assert (call.status, call.attributes["error.type"], call.attributes["http.response.status_code"]) == ("ERROR", "REJECTED", 401)


async def test_a_parked_turn_and_its_rest_are_two_traces_the_rest_linked_to_the_first(ws, gateway, traces, settings):
    """The rest of a parked turn may run in another process, minutes later: a trace of its
    own, whose turn span links to the span of the turn that parked."""
    settings.SMOOTH_AGENT_TOOLS = ["tests.turns.test_confirmation.delete_record"]
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["delete_*"]
    gateway.push(DELETE, {"kind": "text", "text": "Done: record 42 was deleted."})
    client, session_id = await session_of(ws)
    prompt, _call = await parked_turn(client, session_id)
    assert prompt["type"] == "write_confirmation_required"
    assert (await client.request(confirm(session_id, True)))["status"] == 200
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    spans = await traces.collect()

    parked, rest = sorted((span for span in spans if span.name.startswith("invoke_agent")), key=lambda span: span.start)
    assert (parked.attributes["smooth.outcome"], parked.attributes["smooth.resumed"]) == ("parked", False)
    assert (rest.attributes["smooth.outcome"], rest.attributes["smooth.resumed"]) == ("answered", True)
    assert rest.trace_id != parked.trace_id and rest.parent_id is None
    assert rest.links == [(parked.trace_id, parked.span_id, {"smooth.link": "parked_turn"})]
    assert parked.links == []
    tool = one(spans, "execute_tool delete_record")
    assert (tool.trace_id, tool.parent_id) == (rest.trace_id, rest.span_id)  # the approved call ran in the rest


@pytest.mark.parametrize(("end", "outcome"), [("expires", "error"), ("cancelled", "cancelled"), ("left_over", "error")])
async def test_a_parked_turn_that_ends_without_its_rest_ends_in_a_trace_linked_to_the_first(ws, gateway, traces, settings, end, outcome):
    confirming(settings, end)
    gateway.push(DELETE, {"kind": "text", "text": "The next turn ran."})
    client, session_id = await session_of(ws)
    await park_then_end(client, session_id, end)
    spans = await traces.collect()

    by_request = {}
    for span in spans:
        if span.name.startswith("invoke_agent"):
            by_request.setdefault(span.attributes["smooth.request.id"], []).append(span)
    parked, ending = sorted(by_request["m-1"], key=lambda span: span.start)
    assert parked.attributes["smooth.outcome"] == "parked"
    assert ending.trace_id != parked.trace_id and ending.parent_id is None  # its own trace, whoever ended it
    assert ending.links == [(parked.trace_id, parked.span_id, {"smooth.link": "parked_turn"})]
    expected = {"smooth.outcome": outcome, "smooth.resumed": True, "smooth.session.id": session_id, "smooth.agent.id": AGENT_ID}
    assert subset(ending.attributes, expected) == expected
    assert ending.status == ("ERROR" if outcome == "error" else "UNSET")
    if end == "left_over":
        (next_turn,) = by_request["m-2"]
        assert next_turn.attributes["smooth.outcome"] == "answered" and next_turn.trace_id != ending.trace_id


async def test_a_turn_stopped_by_the_shutdown_deadline_ends_its_span(ws, gateway, traces):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.1})
    client, session_id = await session_of(ws)
    assert (await client.request(send(session_id, "m-1")))["status"] == 202
    assert (await client.receive())["type"] == "stream_token"
    (stopped,) = await turns.cancel_all()  # what chat.lifecycle.shutdown does at its deadline
    assert stopped.task.cancelled()
    spans = await traces.collect()

    root = turn_span(spans)
    expected = {"smooth.outcome": "error", "smooth.error.code": "AGENT_ERROR"}
    assert subset(root.attributes, expected) == expected and root.status == "ERROR"
    assert one(spans, f"chat {django_settings.SMOOTH_AGENT_MODEL}").attributes["smooth.cancelled"] is True


class Audit:
    """A stage no one wrote a span for."""

    name = "audit"

    def open(self, turn):
        return None

    async def opened(self, turn):
        return None

    async def context(self, turn):
        return []

    async def before_model_call(self, turn):
        return None

    def model_called(self, turn, usage):
        return None

    def on_reply(self, turn):
        return None

    async def replied(self, turn):
        return None

    async def ended(self, turn):
        raise RuntimeError("a stage's own failure, logged and not raised")


async def test_a_stage_registered_later_has_a_span_at_each_point_without_writing_one(traces, monkeypatch):
    monkeypatch.setattr("core.spans.QUICK_SPAN_NS", 0)
    pipeline = Pipeline(StageTurn(session=None, question="q", client_ip="127.0.0.1", model="m"), stages=(Audit(),))
    with tracing.span("a turn"):
        pipeline.open()
        await pipeline.opened()
        await pipeline.context()
        await pipeline.before_model_call()
        pipeline.model_called(Usage())
        pipeline.on_reply(None, None)
        await pipeline.replied()
        await pipeline.ended()
    spans = await traces.collect()

    root = one(spans, "a turn")
    points = {span.name: span for span in children(spans, root)}
    assert sorted(points) == sorted(f"stage audit.{point}" for point in POINTS)
    assert {name: span.status for name, span in points.items() if span.status != "UNSET"} == {"stage audit.ended": "ERROR"}
    assert points["stage audit.ended"].attributes["error.type"] == "RuntimeError"


class Ledger:
    """A stage whose points are quick, slow, failing, or quick with a span of their own."""

    name = "ledger"

    def open(self, turn):
        return None

    def model_called(self, turn, usage):
        time.sleep(0.002)

    def on_reply(self, turn):
        raise ValueError("the ledger's own failure")

    async def opened(self, turn):
        return None

    async def context(self, turn):
        with tracing.span("ledger lookup"):
            return []

    async def before_model_call(self, turn):
        await asyncio.sleep(0.002)

    async def replied(self, turn):
        raise RuntimeError("the ledger's own failure, later")


async def test_a_quick_point_leaves_no_span_but_a_slow_failed_or_busy_one_does(traces):
    pipeline = Pipeline(StageTurn(session=None, question="q", client_ip="127.0.0.1", model="m"), stages=(Ledger(),))
    with tracing.span("a turn"):
        pipeline.open()
        await pipeline.opened()
        await pipeline.context()
        await pipeline.before_model_call()
        pipeline.model_called(Usage())
        with pytest.raises(ValueError):
            pipeline.on_reply(None, None)
        with pytest.raises(RuntimeError):
            await pipeline.replied()
    spans = await traces.collect()

    root = one(spans, "a turn")
    points = {span.name: span for span in children(spans, root)}
    assert sorted(points) == [
        "stage ledger.before_model_call",  # slow
        "stage ledger.context",  # quick, but with a span of its own
        "stage ledger.model_called",  # slow
        "stage ledger.on_reply",  # failed
        "stage ledger.replied",  # failed
    ]  # not open nor opened: quick, childless, fine
    assert [span.name for span in children(spans, points["stage ledger.context"])] == ["ledger lookup"]
    assert points["stage ledger.model_called"].status == "UNSET"
    assert (points["stage ledger.on_reply"].status, points["stage ledger.on_reply"].attributes["error.type"]) == ("ERROR", "ValueError")
    assert points["stage ledger.replied"].attributes["error.type"] == "RuntimeError"


async def test_with_tracing_off_nothing_is_traced_and_no_traceparent_is_sent(ws, gateway):
    assert not tracing.active()
    with tracing.span("anything") as span:
        assert not span.is_recording()
    stage = Audit()
    pipeline = Pipeline(StageTurn(session=None, question="q", client_ip="127.0.0.1", model="m"), stages=(stage,))
    assert list(pipeline._hooks("open")) == [stage.open]  # the stage's own method, unwrapped
    gateway.push({"kind": "text", "text": "Untraced."})
    client, session_id = await session_of(ws)
    assert (await turn(client, session_id))[-1]["type"] == "eventual_response"
    assert header(gateway.headers[-1], "traceparent") is None


def test_tracing_is_wanted_with_an_endpoint_unless_the_sdk_is_disabled(monkeypatch):
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    assert not tracing.wanted()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces")
    assert tracing.wanted()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not tracing.wanted()


def test_the_service_is_smooth_unless_the_environment_names_another(monkeypatch):
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging")
    resource = tracing._resource().attributes
    assert (resource["service.name"], resource["deployment.environment"]) == ("smooth", "staging")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "smooth-eu")
    assert tracing._resource().attributes["service.name"] == "smooth-eu"
