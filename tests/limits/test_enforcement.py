"""Report-only mode in one process: what enforcement refuses (a forged origin, a bad
authContext, a rate, a frame flood) goes through and is counted per agent, kind, origin
and hour; it never grants an identity; an agent or policy switched off is refused in
either mode; an agent's own mode wins over the server's; and the admin's sentence.
Against real processes, enforce and report side by side: tests/e2e/test_budgets.py."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from agents.models import Agent
from chat.models import Session
from limits import counters, enforcement
from limits.models import ReportedRefusal
from tests.factories import AGENT_ID, make_agent, make_policy
from tests.helpers import send, until_terminal

pytestmark = pytest.mark.django_db(transaction=True)
SHOP, EVIL = "https://shop.example", "https://evil.example"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.SMOOTH_AGENT_LLM = "offline"  # the turns here answer from the knowledge base
    counters.forget()
    yield
    counters.forget()


def reports() -> list[tuple]:
    return list(ReportedRefusal.objects.order_by("kind", "origin").values_list("agent_id", "kind", "origin", "reason", "count"))


def policy(mode: str = "report", **fields):
    make_policy(allowed_origins=[SHOP], key_scheme="hmac-sha256", hmac_secret="s3cret", **fields)
    Agent.objects.filter(id=AGENT_ID).update(enforcement=mode)


def bad_context() -> dict:
    return {"userId": "alice", "signature": "00" * 32, "timestamp": int(time.time())}


async def test_enforced_a_forged_origin_and_a_bad_auth_context_are_refused_and_nothing_is_counted(ws):
    await database_sync_to_async(policy)("enforce")
    refused = await (await ws(EVIL)).request({"action": "create_conversation_session", "agentId": AGENT_ID})
    assert refused["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    forged = await (await ws(SHOP)).request({"action": "create_conversation_session", "agentId": AGENT_ID, "authContext": bad_context()})
    assert forged["error"]["code"] == "AUTH_CONTEXT_INVALID"
    assert await database_sync_to_async(reports)() == []


async def test_report_only_lets_a_forged_origin_in_and_counts_it(ws):
    await database_sync_to_async(policy)()
    client = await ws(EVIL)
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    # The session works from there (its later actions are not counted again)...
    assert (await client.request(send(session_id, "m-1")))["status"] == 202
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    # ...and stays bound to its own origin: another origin still finds nothing.
    stranger = await (await ws(SHOP)).request({"action": "get_session", "sessionId": session_id})
    assert stranger["error"]["code"] == "SESSION_NOT_FOUND"
    assert await database_sync_to_async(reports)() == [(AGENT_ID, "origin", EVIL, "not an allowed origin", 1)]


async def test_report_only_never_grants_the_identity_a_bad_auth_context_names(ws):
    await database_sync_to_async(policy)()
    client = await ws(SHOP)
    data = await client.create_session(AGENT_ID, authContext=bad_context())
    session = await database_sync_to_async(Session.objects.get)(session_id=data["sessionId"])
    assert not session.identity_verified and session.verified_user_id is None  # served as an anonymous visitor
    assert await database_sync_to_async(reports)() == [(AGENT_ID, "auth_context", "", "authContext refused", 1)]


async def test_a_switched_off_agent_or_policy_is_refused_in_report_only_mode_too(ws):
    await database_sync_to_async(policy)(enabled=False)
    refused = await (await ws(SHOP)).request({"action": "create_conversation_session", "agentId": AGENT_ID})
    assert refused["error"]["code"] == "AGENT_NOT_AUTHORIZED"
    await database_sync_to_async(Agent.objects.filter(id=AGENT_ID).update)(enabled=False)
    refused = await (await ws(SHOP)).request({"action": "create_conversation_session", "agentId": AGENT_ID})
    assert refused["error"]["code"] == "AGENT_NOT_AUTHORIZED"
    assert await database_sync_to_async(reports)() == []


async def test_report_only_counts_the_messages_over_a_rate_and_answers_them(ws, settings):
    settings.SMOOTH_LIMIT_MESSAGES_PER_SESSION = "1/min"
    await database_sync_to_async(make_agent)(enforcement=Agent.Enforcement.REPORT)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for request_id in ("m-1", "m-2", "m-3"):
        assert (await client.request(send(session_id, request_id)))["status"] == 202
        assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    assert await database_sync_to_async(reports)() == [(AGENT_ID, "rate_limit", "", "messages", 2)]


async def test_an_agents_own_mode_wins_over_the_servers(ws, settings):
    settings.SMOOTH_ENFORCEMENT = "report"
    settings.SMOOTH_LIMIT_MESSAGES_PER_SESSION = "1/min"
    await database_sync_to_async(make_agent)(enforcement=Agent.Enforcement.ENFORCE)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await client.request(send(session_id, "m-1")))["status"] == 202
    await until_terminal(client)
    assert (await client.request(send(session_id, "m-2")))["error"]["code"] == "RATE_LIMITED"
    assert await database_sync_to_async(reports)() == []


async def test_server_wide_report_only_lets_a_frame_flood_through_and_counts_it_once_a_window(ws, settings):
    settings.SMOOTH_ENFORCEMENT = "report"
    settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET = "3/s"
    client = await ws()
    for number in range(8):
        await client.send({"action": "ping", "requestId": f"p-{number}"})
    answers = [await client.receive() for _ in range(8)]
    assert [answer["type"] for answer in answers] == ["pong"] * 8  # none dropped
    counted = await database_sync_to_async(reports)()
    assert len(counted) == 1 and counted[0][:2] == ("", "rate_limit") and counted[0][4] in (1, 2)  # 8 frames may span 2 windows


async def test_the_admin_sentence_counts_origins_apart_and_the_rest_by_kind(ws, settings):
    await database_sync_to_async(policy)()
    settings.SMOOTH_LIMIT_MESSAGES_PER_SESSION = "1/min"
    for _ in range(2):
        await (await ws(EVIL)).create_session(AGENT_ID)
    client = await ws("https://other.example")
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for request_id in ("m-1", "m-2"):
        assert (await client.request(send(session_id, request_id)))["status"] == 202
        await until_terminal(client)
    summary = await database_sync_to_async(enforcement.summary)(AGENT_ID)
    assert summary == (
        f"would have refused: 2 from {EVIL} (origin), 1 from https://other.example (origin), 1 (rate limit) in the last 24 h"
    )
    assert await database_sync_to_async(enforcement.summary)("22222222-2222-2222-2222-222222222222") == (
        "would have refused: nothing in the last 24 h"
    )


async def test_made_up_origins_past_the_hours_limit_are_counted_as_one_row(settings):
    agent = await database_sync_to_async(make_agent)()
    for number in range(enforcement.ORIGINS_PER_HOUR + 5):
        await enforcement.areport(agent=agent, kind="origin", reason="not an allowed origin", origin=f"https://{number}.evil.example")
    await enforcement.areport(agent=agent, kind="origin", reason="not an allowed origin", origin="https://0.evil.example")
    rows = await database_sync_to_async(reports)()
    assert len(rows) == enforcement.ORIGINS_PER_HOUR + 1
    counts = {origin: count for _, _, origin, _, count in rows}
    assert counts[enforcement.OTHER_ORIGINS] == 5 and counts["https://0.evil.example"] == 2  # a known origin keeps its row


async def test_counting_the_same_refusal_from_many_tasks_at_once_loses_none(settings):
    agent = await database_sync_to_async(make_agent)()
    await asyncio.gather(*(enforcement.areport(agent=agent, kind="rate_limit", reason="messages", origin=None) for _ in range(20)))
    assert await database_sync_to_async(reports)() == [(AGENT_ID, "rate_limit", "", "messages", 20)]
