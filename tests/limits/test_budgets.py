"""Spend budgets in one process: the caps' syntax, the ledger's arithmetic and its one
upsert, and turns refused with BUDGET_EXCEEDED before the model is asked (the question
stored, the gateway's request count unchanged), per session, visitor, agent and
organisation; mid-turn between tool calls; never offline; counted, not refused, in
report-only mode; a call the gateway reported no usage for (cancelled, dropped)
charged by estimate. The same against real processes: tests/e2e/test_budgets.py."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from agents.models import Agent
from chat.models import Message, Session
from chat.turns.pricing import CallMeter, estimated_tokens
from core.gateway import Usage
from limits import budgets
from limits.amounts import NANO, Cap, describe_standing, format_usd, parse_cap
from limits.models import OrganizationBudget, ReportedRefusal, Spend
from tests import helpers
from tests.factories import AGENT_ID, make_agent, make_session

pytestmark = pytest.mark.django_db(transaction=True)
TEXT = {"kind": "text", "text": "Returns are accepted within 30 days."}
LOOKUP = {"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "returns"}'}
PER_CALL = 15  # the fake gateway's usage: 10 prompt and 5 completion tokens


@pytest.mark.parametrize(
    "text, cap",
    [
        ("50000 tokens", Cap(50_000, None)),
        ("50k tokens", Cap(50_000, None)),
        ("2M tokens", Cap(2_000_000, None)),
        ("1 token", Cap(1, None)),
        ("$2.50", Cap(None, 2_500_000_000)),
        ("$0.000000001", Cap(None, 1)),
        ("50k tokens, $2", Cap(50_000, 2 * NANO)),
        (" $2 , 10 TOKENS ", Cap(10, 2 * NANO)),
        ("0", None),
        ("", None),
        (None, None),
    ],
)
def test_caps_read_as_written(text, cap):
    assert parse_cap(text) == cap


@pytest.mark.parametrize(
    "text",
    [
        "50000",
        "tokens",
        "$",
        "$-1",
        "-5 tokens",
        "5 tokens, 6 tokens",
        "$1, $2",
        "0 tokens",
        "$0",
        "$1e3",
        "10 dollars",
        "1" * 17 + " tokens",
    ],
)
def test_a_cap_that_is_not_one_is_refused_with_how_to_write_it(text):
    with pytest.raises(ValidationError) as refused:
        parse_cap(text)
    assert repr(text) in refused.value.messages[0] or text in refused.value.messages[0]


def test_amounts_read_for_people():
    assert format_usd(0) == "0.00" and format_usd(1) == "0.000000001" and format_usd(12_500_000_000) == "12.50"
    assert str(parse_cap("50k tokens, $2")) == "50000 tokens, $2.00"
    standing = budgets.Standing(1234, 10_000_000, Cap(50_000, None))
    assert describe_standing(standing) == "1,234 tokens, $0.01 of 50,000 tokens"
    assert describe_standing(budgets.Standing(0, 0, None)) == "0 tokens, $0.00 (no cap)"


def test_a_ledger_prices_its_usage_and_writes_four_rows_in_one_upsert(settings, django_assert_num_queries):
    settings.SMOOTH_AGENT_PRICES = {"priced": (1.0, 5.0)}  # USD per million tokens
    session = make_session()
    ledger = budgets.Ledger(session.agent, "default", None, "priced", _lines(session))
    ledger.add(Usage(prompt_tokens=1000, completion_tokens=100))
    assert (ledger.tokens, ledger.nano_usd) == (1100, 1000 * 1000 + 100 * 5000)
    with django_assert_num_queries(1):
        budgets.write(ledger)
    ledger.add(Usage(prompt_tokens=1, completion_tokens=1))
    budgets.write(ledger)
    assert (ledger.tokens, ledger.nano_usd) == (0, 0)  # written
    rows = {row.scope: (row.tokens, row.nano_usd) for row in Spend.objects.all()}
    assert rows == dict.fromkeys(Spend.Scope.values, (1102, 1_506_000))


def test_an_unpriced_model_spends_tokens_but_no_cost(settings):
    settings.SMOOTH_AGENT_PRICES = {}
    ledger = budgets.Ledger(None, "default", None, "free-model", ())
    ledger.add(Usage(prompt_tokens=7, completion_tokens=3))
    assert (ledger.tokens, ledger.nano_usd) == (10, 0)


def test_a_visitor_is_the_verified_user_else_the_fingerprint_and_address():
    session = make_session()
    session.user_participant.browser_fingerprint = "fp-1"
    assert budgets.visitor_key(session, "203.0.113.9") == f"{AGENT_ID}:anon:fp-1:203.0.113.9"
    assert budgets.visitor_key(session, "2001:db8::1") == f"{AGENT_ID}:anon:fp-1:2001:db8::/64"
    session.verified_user_id = "user-7"
    assert budgets.visitor_key(session, "203.0.113.9") == f"{AGENT_ID}:user:user-7"


def test_the_effective_caps_are_the_agents_the_organisations_else_the_servers(settings):
    settings.SMOOTH_BUDGET_PER_SESSION, settings.SMOOTH_BUDGET_PER_ORG_MONTH = "100 tokens", "$5"
    agent = make_agent(budget_per_agent_day="1k tokens")
    caps = budgets.caps(agent, "default")
    assert caps[Spend.Scope.SESSION] == Cap(100) and caps[Spend.Scope.AGENT] == Cap(1000) and caps[Spend.Scope.VISITOR] is None
    assert caps[Spend.Scope.ORGANIZATION] == Cap(None, 5 * NANO)
    OrganizationBudget.objects.create(organization_id="default", per_month="7 tokens")
    assert budgets.caps(agent, "default")[Spend.Scope.ORGANIZATION] == Cap(7)


def test_an_agent_refuses_a_budget_that_is_not_one():
    agent = make_agent()
    agent.budget_per_session = "lots"
    with pytest.raises(ValidationError) as refused:
        agent.full_clean()
    assert "budget_per_session" in refused.value.message_dict


def _lines(session):
    day, month = budgets.periods(date.today())
    return (
        budgets.Line(Spend.Scope.SESSION, str(session.session_id), budgets.LIFETIME, None),
        budgets.Line(Spend.Scope.VISITOR, "v", day, None),
        budgets.Line(Spend.Scope.AGENT, str(session.agent_id), day, None),
        budgets.Line(Spend.Scope.ORGANIZATION, session.organization_id, month, None),
    )


# --- turns --------------------------------------------------------------------------


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-budgets"
    return fake_gateway


async def turn(client, session_id, request_id, message="what is the return window?") -> dict:
    """The turn's terminal event."""
    return (await helpers.turn(client, session_id, message, request_id))[-1]


def over_budget(event: dict, words: str) -> None:
    assert event["type"] == "error" and event["error"]["code"] == "BUDGET_EXCEEDED", event
    assert words in event["error"]["message"]


async def spent(scope: str) -> int:
    return await database_sync_to_async(lambda: sum(Spend.objects.filter(scope=scope).values_list("tokens", flat=True)))()


async def test_a_spent_session_is_refused_before_the_model_is_asked(ws, gateway, settings):
    settings.SMOOTH_BUDGET_PER_SESSION = f"{2 * PER_CALL} tokens"
    gateway.push(TEXT, TEXT, TEXT)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await turn(client, session_id, "m-1"))["type"] == "eventual_response"
    assert (await turn(client, session_id, "m-2"))["type"] == "eventual_response"
    refused = await turn(client, session_id, "m-3", "and for sale items?")
    over_budget(refused, "start a new conversation")
    assert refused["requestId"] == "m-3" and len(gateway.requests) == 2  # no model call for m-3
    texts = await database_sync_to_async(lambda: list(Message.objects.order_by("created_at").values_list("direction", "content__text")))()
    assert texts[-1] == ("inbound", "and for sale items?") and len(texts) == 5  # the question stored, no reply
    assert await spent("session") == 2 * PER_CALL
    # A new conversation has a budget of its own.
    fresh = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await turn(client, fresh, "m-4"))["type"] == "eventual_response"


async def test_a_turns_refusal_is_worded_in_the_language_of_the_socket_that_asked(ws, gateway, settings):
    settings.SMOOTH_BUDGET_PER_SESSION = f"{PER_CALL} tokens"
    gateway.push(TEXT, TEXT)
    for lang, words in (("es", "esta conversación ha usado todo lo que tenía"), (None, "this conversation has used all it may")):
        client = await ws(lang=lang)
        session_id = (await client.create_session(AGENT_ID))["sessionId"]
        assert (await turn(client, session_id, "m-1"))["type"] == "eventual_response"
        over_budget(await turn(client, session_id, "m-2"), words)


async def test_a_budget_spent_between_tool_calls_ends_the_turn_before_the_next_call(ws, gateway, settings):
    settings.SMOOTH_BUDGET_PER_SESSION = f"{PER_CALL} tokens"
    gateway.push(LOOKUP, TEXT)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    over_budget(await turn(client, session_id, "m-1"), "start a new conversation")
    assert len(gateway.requests) == 1  # the call after the tool's result was not made
    assert await spent("session") == PER_CALL  # the call that was made is counted
    replies = await database_sync_to_async(Message.objects.filter(direction="outbound").count)()
    assert replies == 0  # no partial reply stored


async def test_a_visitors_day_holds_across_their_sessions_and_not_across_visitors(ws, gateway, settings):
    settings.SMOOTH_BUDGET_PER_VISITOR_DAY = f"{PER_CALL} tokens"
    gateway.push(TEXT, TEXT)
    client = await ws()
    first = (await client.create_session(AGENT_ID, browserFingerprint="fp-a"))["sessionId"]
    second = (await client.create_session(AGENT_ID, browserFingerprint="fp-a"))["sessionId"]
    other = (await client.create_session(AGENT_ID, browserFingerprint="fp-b"))["sessionId"]
    assert (await turn(client, first, "m-1"))["type"] == "eventual_response"
    over_budget(await turn(client, second, "m-2"), "come back tomorrow")
    assert (await turn(client, other, "m-3"))["type"] == "eventual_response"
    assert len(gateway.requests) == 2


async def test_an_agents_day_holds_for_everyone(ws, gateway, settings):
    await database_sync_to_async(make_agent)(budget_per_agent_day=f"{PER_CALL} tokens")
    gateway.push(TEXT)
    client = await ws()
    first = (await client.create_session(AGENT_ID, browserFingerprint="fp-a"))["sessionId"]
    second = (await client.create_session(AGENT_ID, browserFingerprint="fp-b"))["sessionId"]
    assert (await turn(client, first, "m-1"))["type"] == "eventual_response"
    over_budget(await turn(client, second, "m-2"), "this assistant has reached its limit for today")
    assert len(gateway.requests) == 1


async def test_an_organisations_month_holds_across_its_agents_and_counts_cost(ws, gateway, settings):
    settings.SMOOTH_AGENT_PRICES = {settings.SMOOTH_AGENT_MODEL: (1000.0, 1000.0)}  # 15 tokens: $0.015
    other_agent = str(uuid.uuid4())

    def setup():
        make_agent()
        make_agent(agent_id=other_agent)
        OrganizationBudget.objects.create(organization_id="default", per_month="$0.01")

    await database_sync_to_async(setup)()
    gateway.push(TEXT)
    client = await ws()
    first = (await client.create_session(AGENT_ID))["sessionId"]
    second = (await client.create_session(other_agent))["sessionId"]
    assert (await turn(client, first, "m-1"))["type"] == "eventual_response"
    over_budget(await turn(client, second, "m-2"), "limit for this month")
    assert len(gateway.requests) == 1
    nano = await database_sync_to_async(lambda: Spend.objects.get(scope="organization").nano_usd)()
    assert nano == 15 * 1000 * 1000


async def test_offline_nothing_is_spent_and_no_budget_applies(ws, settings):
    settings.SMOOTH_AGENT_LLM = "offline"
    settings.SMOOTH_BUDGET_PER_SESSION = "1 token"
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for request_id in ("m-1", "m-2"):
        assert (await turn(client, session_id, request_id))["type"] == "eventual_response"
    assert await database_sync_to_async(Spend.objects.count)() == 0


async def test_report_only_lets_the_turn_run_and_counts_it_once(ws, gateway, settings):
    await database_sync_to_async(make_agent)(enforcement=Agent.Enforcement.REPORT)
    settings.SMOOTH_BUDGET_PER_SESSION = f"{PER_CALL} tokens"
    gateway.push(TEXT, LOOKUP, TEXT)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await turn(client, session_id, "m-1"))["type"] == "eventual_response"
    assert (await turn(client, session_id, "m-2"))["type"] == "eventual_response"  # two calls over the cap
    assert len(gateway.requests) == 3
    reports = await database_sync_to_async(lambda: list(ReportedRefusal.objects.values_list("kind", "reason", "count")))()
    assert reports == [("budget", "session budget", 1)]  # once for the turn enforcement would have ended


async def test_spend_of_a_turn_that_fails_is_still_counted(ws, gateway, settings):
    gateway.push(LOOKUP, {"kind": "status", "status": 500}, {"kind": "status", "status": 500}, {"kind": "status", "status": 500})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await turn(client, session_id, "m-1"))["type"] == "error"
    assert await spent("session") == PER_CALL
    session = await database_sync_to_async(Session.objects.get)(session_id=session_id)
    assert session.token_count == 0  # no reply: the session's own count has none of it; the budget has


def estimate_of(request: dict, streamed: str) -> int:
    """What a call the gateway gave no usage for is charged: its prompt and what it streamed."""
    prompt = len(json.dumps(request["messages"])) + (len(json.dumps(request["tools"])) if "tools" in request else 0)
    return estimated_tokens(prompt) + estimated_tokens(len(streamed))


def test_a_calls_estimate_is_its_prompt_and_output_at_four_characters_a_token():
    meter = CallMeter.of([{"role": "user", "content": "hi"}], None)  # 35 characters of JSON
    meter.streamed("Hello")
    meter.streamed(" there")
    assert (meter.prompt_characters, meter.streamed_characters) == (35, 11)
    assert meter.usage() == Usage(9, 3) and meter.usage(extra_characters=1) == Usage(9, 3) and meter.usage(2) == Usage(9, 4)


async def test_a_gateway_that_reports_no_usage_is_charged_by_estimate(ws, gateway):
    gateway.push({**TEXT, "usage": False})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    final = await turn(client, session_id, "m-1")
    assert final["type"] == "eventual_response" and "usage" not in final["data"]["data"]  # nothing made up for the visitor
    assert await spent("session") == estimate_of(gateway.requests[0], TEXT["text"]) > 0


async def test_a_call_dropped_mid_stream_is_charged_what_it_streamed(ws, gateway):
    gateway.push({"kind": "drop", "text": TEXT["text"], "after": 2})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await turn(client, session_id, "m-1"))["type"] == "error"
    assert await spent("session") == estimate_of(gateway.requests[0], "Returns are ")
