"""The turn path's metrics, read from the process's registry before and after real turns
(other tests in the process count too): turns by outcome and code, first-token and
whole-turn latency, gateway latency and failures, tokens and cost by agent, searches."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from prometheus_client import REGISTRY

from chat import turns
from tests.factories import AGENT_ID
from tests.helpers import send, turn, until_terminal
from tests.knowledge.kb import add
from tests.turns.test_confirmation import DELETE, confirming, park_then_end

pytestmark = pytest.mark.django_db(transaction=True)
SEARCH = {"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "returns window"}'}
SLOW = " ".join(f"word{i}" for i in range(60))


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-turn-metrics"
    settings.SMOOTH_AGENT_PRICES = {settings.SMOOTH_AGENT_MODEL: (1.0, 5.0)}
    return fake_gateway


class Figures:
    """Samples of the default registry, read now; `moved` is what changed since."""

    def __init__(self) -> None:
        self.before = self._read()

    @staticmethod
    def _read() -> dict[tuple[str, tuple], float]:
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in REGISTRY.collect()
            if family.name.startswith("smooth_")
            for sample in family.samples
            if not sample.name.endswith("_created")
        }

    async def moved(self) -> dict[tuple[str, tuple], float]:
        await turns.drain()  # counted as the turn ends, just after its terminal event
        after = self._read()
        return {key: value - self.before.get(key, 0.0) for key, value in after.items() if value != self.before.get(key, 0.0)}


def key(name: str, **labels: str) -> tuple[str, tuple]:
    return name, tuple(sorted(labels.items()))


def moved_of(moved: dict, *names: str) -> dict:
    """The changed samples of the named metrics only, without the histograms' buckets and sums."""
    return {key: value for key, value in moved.items() if key[0] in names}


async def session_of(ws):
    client = await ws()
    return client, (await client.create_session(AGENT_ID))["sessionId"]


async def test_an_answered_tool_turn_counts_its_outcome_latencies_tokens_cost_and_searches(ws, gateway):
    await database_sync_to_async(add)(
        "default", "policies/returns.md", "# Returns\n\nReturns are accepted within 17 days.", title="Returns"
    )
    gateway.push(SEARCH, {"kind": "text", "text": "Within 17 days."})
    client, session_id = await session_of(ws)
    figures = Figures()
    assert (await turn(client, session_id, "what is the returns window?"))[-1]["type"] == "eventual_response"
    moved = await figures.moved()
    model = django_settings.SMOOTH_AGENT_MODEL

    assert moved_of(
        moved,
        "smooth_turns_total",
        "smooth_turn_seconds_count",
        "smooth_turn_first_token_seconds_count",
        "smooth_gateway_request_seconds_count",
        "smooth_gateway_errors_total",
        "smooth_tokens_total",
        "smooth_retrieval_seconds_count",
    ) == {
        key("smooth_turns_total", outcome="answered", code=""): 1,
        key("smooth_turn_seconds_count", outcome="answered"): 1,
        key("smooth_turn_first_token_seconds_count"): 1,
        key("smooth_gateway_request_seconds_count", model=model): 2,  # the two model calls
        key("smooth_tokens_total", agent=AGENT_ID, kind="input"): 20,
        key("smooth_tokens_total", agent=AGENT_ID, kind="output"): 10,
        key("smooth_retrieval_seconds_count"): 2,  # the knowledge stage's search, and the tool's
    }
    assert moved[key("smooth_cost_usd_total", agent=AGENT_ID)] == pytest.approx((20 * 1.0 + 10 * 5.0) / 1_000_000)
    first_token = moved[key("smooth_turn_first_token_seconds_sum")]
    assert 0 < first_token < moved[key("smooth_turn_seconds_sum", outcome="answered")]
    assert 0 < moved[key("smooth_retrieval_seconds_sum")] < moved[key("smooth_turn_seconds_sum", outcome="answered")]


async def test_a_turn_without_streaming_has_no_first_token(ws, gateway):
    gateway.push({"kind": "text", "text": "Quiet."})
    client, session_id = await session_of(ws)
    figures = Figures()
    assert (await turn(client, session_id, stream=False))[-1]["type"] == "eventual_response"
    moved = await figures.moved()
    assert moved[key("smooth_turns_total", outcome="answered", code="")] == 1
    assert key("smooth_turn_first_token_seconds_count") not in moved


async def test_a_failed_gateway_call_counts_an_error_turn_and_a_gateway_error_by_kind(ws, gateway):
    gateway.push({"kind": "status", "status": 401})
    client, session_id = await session_of(ws)
    figures = Figures()
    assert (await turn(client, session_id))[-1]["error"]["code"] == "AGENT_ERROR"
    moved = await figures.moved()
    assert moved_of(
        moved, "smooth_turns_total", "smooth_turn_seconds_count", "smooth_gateway_errors_total", "smooth_gateway_request_seconds_count"
    ) == {
        key("smooth_turns_total", outcome="error", code="AGENT_ERROR"): 1,
        key("smooth_turn_seconds_count", outcome="error"): 1,
        key("smooth_gateway_errors_total", code="REJECTED"): 1,
        key("smooth_gateway_request_seconds_count", model=django_settings.SMOOTH_AGENT_MODEL): 1,
    }
    assert not moved_of(moved, "smooth_tokens_total", "smooth_cost_usd_total")  # refused by the gateway: nothing spent


async def test_a_spent_budget_counts_a_refused_turn_with_its_code(ws, gateway, settings):
    settings.SMOOTH_BUDGET_PER_SESSION = "15 tokens"  # one call's worth
    gateway.push({"kind": "text", "text": "First."})
    client, session_id = await session_of(ws)
    assert (await turn(client, session_id, request_id="m-1"))[-1]["type"] == "eventual_response"
    figures = Figures()
    assert (await turn(client, session_id, request_id="m-2"))[-1]["error"]["code"] == "BUDGET_EXCEEDED"
    moved = await figures.moved()
    assert moved_of(moved, "smooth_turns_total", "smooth_turn_seconds_count", "smooth_gateway_request_seconds_count") == {
        key("smooth_turns_total", outcome="refused", code="BUDGET_EXCEEDED"): 1,
        key("smooth_turn_seconds_count", outcome="refused"): 1,
    }


async def test_a_cancelled_turn_is_counted_cancelled_and_its_cut_call_charged_by_estimate(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.1})
    client, session_id = await session_of(ws)
    figures = Figures()
    assert (await client.request(send(session_id, "m-1")))["status"] == 202
    assert (await client.receive())["type"] == "stream_token"
    await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    assert (await until_terminal(client))[-1]["type"] == "cancelled"
    moved = await figures.moved()
    assert moved_of(moved, "smooth_turns_total", "smooth_turn_seconds_count", "smooth_gateway_errors_total") == {
        key("smooth_turns_total", outcome="cancelled", code=""): 1,
        key("smooth_turn_seconds_count", outcome="cancelled"): 1,
    }
    assert moved[key("smooth_tokens_total", agent=AGENT_ID, kind="input")] > 0  # the prompt, estimated
    assert moved[key("smooth_tokens_total", agent=AGENT_ID, kind="output")] >= 1  # what streamed before the cancel


@pytest.mark.parametrize(
    ("end", "outcome", "code"),
    [("expires", "error", "TURN_EXPIRED"), ("cancelled", "cancelled", ""), ("left_over", "error", "TURN_EXPIRED")],
)
async def test_a_parked_turn_that_ends_without_its_rest_is_counted_once_with_no_time(ws, gateway, settings, end, outcome, code):
    """Nobody answered in time (the parking process's timer; or, that process gone, the
    session's next turn), or the visitor stopped it while it waited."""
    confirming(settings, end)
    gateway.push(DELETE, {"kind": "text", "text": "The next turn ran."})
    client, session_id = await session_of(ws)
    figures = Figures()
    await park_then_end(client, session_id, end)
    moved = moved_of(await figures.moved(), "smooth_turns_total", "smooth_turn_seconds_count")
    expected = {key("smooth_turns_total", outcome=outcome, code=code): 1}
    if end == "left_over":  # and the turn that found it
        expected |= {key("smooth_turns_total", outcome="answered", code=""): 1, key("smooth_turn_seconds_count", outcome="answered"): 1}
    assert moved == expected
