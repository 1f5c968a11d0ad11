"""/metrics in one process: what real actions over a socket count (sessions, open sockets,
refusals by kind and mode, escalations and the time to take over), the readings taken at
scrape time (waiting conversations, the channel layer's and Redis's reachability, never
holding a scrape for long), and the bearer token. Every figure is compared before and
after, since other tests in this process count too. Several processes: test_metrics_processes.py."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from agents.models import Agent
from chat import services
from chat.models import Conversation, Session
from handoff import services as handoff
from limits import counters
from smooth.metrics_view import READING_SECONDS
from tests.factories import AGENT_ID, make_agent, make_policy
from tests.helpers import send, until_terminal

pytestmark = pytest.mark.django_db(transaction=True)
SHOP, EVIL = "https://shop.example", "https://evil.example"
TOKEN = "scrape-token-5f1c9e"


@pytest.fixture(autouse=True)
def open_metrics_and_fresh_counters(settings):
    settings.SMOOTH_METRICS_TOKEN = None  # whatever the machine's environment says; one test sets it
    counters.forget()
    yield
    counters.forget()


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(async_client, **headers: str) -> Samples:
    response = await async_client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.content.decode())


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def refusals_between(before: Samples, after: Samples) -> dict[tuple[str, str], float]:
    """The refusals counted in between, by (kind, mode); none left out, none counted as 0."""
    moved = {}
    for (name, labels), counted in after.items():
        if name == "smooth_refusals_total" and counted != before.get((name, labels), 0.0):
            moved[(dict(labels)["kind"], dict(labels)["mode"])] = counted - before.get((name, labels), 0.0)
    return moved


def policy(mode: str = "enforce") -> None:
    make_policy(allowed_origins=[SHOP], key_scheme="hmac-sha256", hmac_secret="s3cret")
    Agent.objects.filter(id=AGENT_ID).update(enforcement=mode)


def bad_auth_context() -> dict:
    return {"userId": "alice", "signature": "00" * 32, "timestamp": int(time.time())}


async def test_sessions_created_and_open_sockets_are_counted_over_real_sockets(ws, async_client):
    before = await scrape(async_client)
    first, second = await ws(), await ws()
    # At once, so that the sessions may be stored as one batch (core.batching): counted all the same.
    await asyncio.gather(first.create_session(AGENT_ID), first.create_session(AGENT_ID), second.create_session(AGENT_ID))
    during = await scrape(async_client)
    assert value(during, "smooth_sessions_created_total") - value(before, "smooth_sessions_created_total") == 3
    assert value(during, "smooth_open_sockets") - value(before, "smooth_open_sockets") == 2

    await second.communicator.disconnect()  # returns once the consumer's disconnect has run
    after = await scrape(async_client)
    assert value(after, "smooth_open_sockets") - value(before, "smooth_open_sockets") == 1
    assert value(after, "smooth_sessions_created_total") == value(during, "smooth_sessions_created_total")


def new_session(agent: Agent, user_name: str | None) -> services.NewSession:
    return services.NewSession(
        agent=agent,
        agent_id=uuid.UUID(AGENT_ID),
        identity=None,
        user_name=user_name,  # None: a participant the database refuses (NOT NULL)
        user_email=None,
        browser_fingerprint=None,
        browser_info=None,
        metadata={},
        supports=None,
    )


async def test_a_batch_counts_the_sessions_it_stored_and_one_by_one_only_those_that_were(async_client):
    agent = await database_sync_to_async(make_agent)()
    before = await scrape(async_client)
    stored = await database_sync_to_async(services.create_sessions)([new_session(agent, "Ann"), new_session(agent, "Bo")])
    assert all(isinstance(outcome, Session) for outcome in stored)
    batch = await scrape(async_client)
    assert value(batch, "smooth_sessions_created_total") - value(before, "smooth_sessions_created_total") == 2

    # The batch fails on the second; retried one by one, the first and third are stored.
    outcomes = await database_sync_to_async(services.create_sessions)(
        [new_session(agent, "Cy"), new_session(agent, None), new_session(agent, "Di")]
    )
    assert [type(outcome) is Session for outcome in outcomes] == [True, False, True]
    after = await scrape(async_client)
    assert value(after, "smooth_sessions_created_total") - value(batch, "smooth_sessions_created_total") == 2
    assert await Session.objects.acount() == 4


async def test_rate_limits_are_counted_as_refused_where_they_refuse(ws, async_client, settings):
    settings.SMOOTH_LIMIT_SESSIONS_PER_IP = "1/min"
    settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET = "2/10s"
    before = await scrape(async_client)
    client = await ws()
    await client.create_session(AGENT_ID)
    assert (await client.request({"action": "create_conversation_session", "agentId": AGENT_ID}))["error"]["code"] == "RATE_LIMITED"
    # The socket's third frame in its window is refused (RATE_LIMITED, counted once); the next is dropped unanswered.
    assert (await client.request({"action": "ping", "requestId": "p-1"}))["error"]["code"] == "RATE_LIMITED"
    await client.send({"action": "ping", "requestId": "p-2"})
    await client.assert_silent()
    assert refusals_between(before, await scrape(async_client)) == {("rate_limit", "enforced"): 2}


async def test_a_forged_origin_and_a_bad_auth_context_are_counted_by_kind(ws, async_client):
    await database_sync_to_async(policy)()
    before = await scrape(async_client)
    refused = await (await ws(EVIL)).request({"action": "create_conversation_session", "agentId": AGENT_ID})
    assert refused["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    frame = {"action": "create_conversation_session", "agentId": AGENT_ID, "authContext": bad_auth_context()}
    assert (await (await ws(SHOP)).request(frame))["error"]["code"] == "AUTH_CONTEXT_INVALID"
    assert refusals_between(before, await scrape(async_client)) == {("origin", "enforced"): 1, ("auth_context", "enforced"): 1}


async def test_a_spent_budget_is_counted_as_refused(ws, async_client, settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-metrics"
    settings.SMOOTH_BUDGET_PER_SESSION = "15 tokens"
    fake_gateway.push({"kind": "text", "text": "Thirty days."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert (await client.request(send(session_id, "m-1", "return window?")))["status"] == 202
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    before = await scrape(async_client)
    assert (await client.request(send(session_id, "m-2", "and for sale items?")))["status"] == 202
    assert (await until_terminal(client))[-1]["error"]["code"] == "BUDGET_EXCEEDED"
    assert refusals_between(before, await scrape(async_client)) == {("budget", "enforced"): 1}


async def test_report_only_mode_counts_would_be_refusals_apart(ws, async_client, settings):
    settings.SMOOTH_AGENT_LLM = "offline"
    settings.SMOOTH_LIMIT_MESSAGES_PER_SESSION = "1/min"
    await database_sync_to_async(policy)("report")
    before = await scrape(async_client)
    client = await ws(EVIL)
    session_id = (await client.create_session(AGENT_ID))["sessionId"]  # let in from a forged origin
    for request_id in ("m-1", "m-2"):  # the second is over the rate, and answered
        assert (await client.request(send(session_id, request_id)))["status"] == 202
        assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    assert refusals_between(before, await scrape(async_client)) == {("origin", "report_only"): 1, ("rate_limit", "report_only"): 1}


async def test_escalations_waiting_conversations_and_the_time_to_take_over(ws, async_client, settings):
    settings.SMOOTH_AGENT_LLM = "offline"  # the visitor's words escalate with no model
    before = await scrape(async_client)
    assert value(before, "smooth_conversations_waiting") == 0 and ("smooth_conversations_waiting", ()) in before
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for request_id in ("m-1", "m-2"):  # asked twice while waiting: one escalation
        assert (await client.request(send(session_id, request_id, "Can I talk to a human?")))["status"] == 202
        assert (await until_terminal(client))[-1]["data"]["data"]["needsEscalation"] is True
    waiting = await scrape(async_client)
    assert value(waiting, "smooth_escalations_total", agent=AGENT_ID) - value(before, "smooth_escalations_total", agent=AGENT_ID) == 1
    assert value(waiting, "smooth_conversations_waiting") == 1

    conversation = await Conversation.objects.aget()
    await database_sync_to_async(handoff.take_over)(conversation, user_id="staff:1", name="Alex")
    taken = await scrape(async_client)
    assert value(taken, "smooth_takeover_seconds_count") - value(waiting, "smooth_takeover_seconds_count") == 1
    assert 0 <= value(taken, "smooth_takeover_seconds_sum") - value(waiting, "smooth_takeover_seconds_sum") < 60
    assert value(taken, "smooth_conversations_waiting") == 0
    # Taken from the person holding it, or taken over unasked (no escalation): no time to take over.
    await database_sync_to_async(handoff.take_over)(conversation, user_id="staff:2", name="Sam", take_from=True)
    other = await ws()
    await other.create_session(AGENT_ID)
    unasked = await Conversation.objects.exclude(id=conversation.id).aget()
    await database_sync_to_async(handoff.take_over)(unasked, user_id="staff:1", name="Alex")
    assert value(await scrape(async_client), "smooth_takeover_seconds_count") == value(taken, "smooth_takeover_seconds_count")


async def test_the_in_memory_layer_is_reachable_and_redis_is_said_to_be_not_configured(async_client):
    samples = await scrape(async_client)
    assert value(samples, "smooth_channel_layer_reachable", layer="InMemoryChannelLayer") == 1
    assert value(samples, "smooth_redis_configured") == 0  # REDIS_URL is unset in the tests' settings
    assert ("smooth_redis_configured", ()) in samples and ("smooth_redis_reachable", ()) not in samples


@pytest.mark.redis
async def test_a_reachable_redis_reads_1(async_client, machine_redis):
    samples = await scrape(async_client)
    assert (value(samples, "smooth_redis_configured"), value(samples, "smooth_redis_reachable")) == (1, 1)


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (a Redis that hangs)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


async def test_a_hanging_redis_and_channel_layer_read_0_without_holding_the_scrape(async_client, settings, silent_port):
    hanging = f"redis://127.0.0.1:{silent_port}/0"
    settings.REDIS_URL = hanging
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [hanging]}}}
    channel_layers.backends.clear()
    try:
        started = time.monotonic()
        samples = await scrape(async_client)
        took = time.monotonic() - started
    finally:
        channel_layers.backends.clear()
    assert value(samples, "smooth_channel_layer_reachable", layer="RedisChannelLayer") == 0
    assert (value(samples, "smooth_redis_configured"), value(samples, "smooth_redis_reachable")) == (1, 0)
    assert ("smooth_redis_reachable", ()) in samples and ("smooth_conversations_waiting", ()) in samples
    assert READING_SECONDS <= took < READING_SECONDS + 2  # the readings wait at once, each for READING_SECONDS


async def test_with_a_token_set_only_its_bearer_may_scrape(async_client, settings, caplog):
    settings.SMOOTH_METRICS_TOKEN = TOKEN
    caplog.set_level(logging.DEBUG)
    for headers, query in (
        ({}, {}),
        ({"Authorization": "Bearer wrong-guess"}, {}),
        ({"Authorization": f"Bearer {TOKEN}-and-more"}, {}),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, {}),
        ({"Authorization": "Bearer "}, {}),
        ({"Authorization": f"Basic {TOKEN}"}, {}),
        ({}, {"token": TOKEN}),
    ):
        refused = await async_client.get("/metrics", query, headers=headers)
        assert (refused.status_code, refused["WWW-Authenticate"]) == (401, 'Bearer realm="metrics"')
        assert b"smooth_" not in refused.content
    for scheme in ("Bearer", "bearer"):
        assert ("smooth_sessions_created_total", ()) in await scrape(async_client, Authorization=f"{scheme} {TOKEN}")
    assert TOKEN not in caplog.text and "wrong-guess" not in caplog.text


async def test_prometheus_asking_for_openmetrics_gets_it(async_client):
    response = await async_client.get("/metrics", headers={"Accept": "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"})
    assert response["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    families = {family.name: family for family in openmetrics_families(response.content.decode())}
    assert families["smooth_sessions_created"].type == "counter" and families["smooth_open_sockets"].type == "gauge"
