"""Spend budgets and report-only mode against real `manage.py serve` processes, with the
fake gateway playing the model: each budget exhausted answers BUDGET_EXCEEDED with the
question stored and no gateway call (the gateway's request count proves it), offline
nothing applies, and an agent in report-only mode records exactly what the same agent
enforcing refuses, kind for kind, as the admin's sentence reads it."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest

from tests.e2e.live import WireClient, start_server

pytestmark = pytest.mark.live
TEXT = {"kind": "text", "text": "Returns are accepted within 30 days."}
PER_CALL = 15  # the fake gateway's usage per call
SHOP, EVIL = "https://shop.example", "https://evil.example"


@pytest.fixture
def gateway(fake_gateway):
    return fake_gateway


def online(gateway, **env) -> dict:
    return {"SMOOAI_GATEWAY_URL": gateway.url, "SMOOAI_GATEWAY_KEY": "sk-budgets", **env}


def shell(server, code: str) -> str:
    done = server.manage("shell", "-v", "0", "-c", code)
    assert done.returncode == 0, done.stderr
    return done.stdout


def questions(server, session_id: str) -> list[str]:
    with sqlite3.connect(server.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT content FROM chat_message WHERE session_id = ? AND direction = 'inbound' ORDER BY created_at",
            (session_id.replace("-", ""),),
        ).fetchall()
    return [json.loads(content)["text"] for (content,) in rows]


async def create(client, agent_id, **fields) -> dict:
    return await client.request({"action": "create_conversation_session", "requestId": "c", "agentId": agent_id, **fields})


async def ask(client, session_id, request_id, message="what is the return window?") -> dict:
    ack = await client.request({"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": message})
    if ack["type"] == "error":
        return ack
    assert ack["status"] == 202, ack
    event = await client.receive()
    while event["type"] not in ("eventual_response", "error"):
        event = await client.receive()
    return event


def over_budget(event: dict) -> bool:
    return event["type"] == "error" and event["error"]["code"] == "BUDGET_EXCEEDED"


async def test_each_budget_once_spent_refuses_before_the_gateway_is_asked(tmp_path, gateway):
    agents = {scope: str(uuid.uuid4()) for scope in ("session", "visitor", "agent", "org", "org-sibling")}
    server = start_server(tmp_path / "s", **online(gateway))
    shell(
        server,
        "from agents.models import Agent; from limits.models import OrganizationBudget\n"
        f"Agent.objects.create(id='{agents['session']}', organization_id='default', name='a', budget_per_session='{PER_CALL} tokens')\n"
        f"Agent.objects.create(id='{agents['visitor']}', organization_id='default', name='b', budget_per_visitor_day='{PER_CALL} tokens')\n"
        f"Agent.objects.create(id='{agents['agent']}', organization_id='default', name='c', budget_per_agent_day='{PER_CALL} tokens')\n"
        f"Agent.objects.create(id='{agents['org']}', organization_id='capped', name='d')\n"
        f"Agent.objects.create(id='{agents['org-sibling']}', organization_id='capped', name='e')\n"
        f"OrganizationBudget.objects.create(organization_id='capped', per_month='{PER_CALL} tokens')",
    )
    gateway.push(*[TEXT] * 8)
    client = await WireClient.connect(server)
    try:
        # Each: a first turn spends the cap; then the one that must be refused, and by which session.
        first = (await create(client, agents["session"]))["data"]["sessionId"]
        cases = {"session": (first, first)}
        visitor = (await create(client, agents["visitor"], browserFingerprint="fp-1"))["data"]["sessionId"]
        cases["visitor"] = (visitor, (await create(client, agents["visitor"], browserFingerprint="fp-1"))["data"]["sessionId"])
        agent = (await create(client, agents["agent"], browserFingerprint="fp-1"))["data"]["sessionId"]
        cases["agent"] = (agent, (await create(client, agents["agent"], browserFingerprint="fp-2"))["data"]["sessionId"])
        cases["org"] = (
            (await create(client, agents["org"]))["data"]["sessionId"],
            (await create(client, agents["org-sibling"]))["data"]["sessionId"],
        )
        for scope, (spender, refused_session) in cases.items():
            assert (await ask(client, spender, f"{scope}-1"))["type"] == "eventual_response"
            calls = len(gateway.requests)
            refused = await ask(client, refused_session, f"{scope}-2", f"one more for the {scope}?")
            assert over_budget(refused) and refused["requestId"] == f"{scope}-2", (scope, refused)
            assert len(gateway.requests) == calls, scope  # no model call
            assert questions(server, refused_session)[-1] == f"one more for the {scope}?"  # the question is stored
        assert "limit for this month" in refused["error"]["message"] and "15" not in refused["error"]["message"]
        # The admin API's and the admin's figure: the organisation's month, spent.
        spend = shell(
            server,
            f"from agents.models import Agent; from limits import budgets; print(budgets.agent_standing(Agent.objects.get(id='{agents['org']}'))['organization'])",
        )
        assert f"spent_tokens={PER_CALL}" in spend
    finally:
        await client.close()
        server.stop()


async def test_a_visitor_who_cancels_every_answer_runs_out_like_anyone_else(tmp_path, gateway):
    """The attack: usage comes only at a stream's end, so a visitor who cancels each answer
    after some tokens got model output with nothing recorded. Now a cancelled call is
    charged its prompt and what it streamed (estimated), so the budget ends the game."""
    agent_id = str(uuid.uuid4())
    server = start_server(tmp_path / "s", **online(gateway))
    client = None
    try:
        shell(
            server,
            "from agents.models import Agent\n"
            f"Agent.objects.create(id='{agent_id}', organization_id='default', name='a', budget_per_session='10 tokens')",
        )
        gateway.push(*[{"kind": "slow", "text": " ".join(["word"] * 100), "delay": 0.05}] * 3)
        client = await WireClient.connect(server)
        session_id = (await create(client, agent_id))["data"]["sessionId"]
        ends = []
        for number in range(3):
            request_id = f"m-{number}"
            ack = await client.request({"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": "hi"})
            assert ack["status"] == 202, ack
            tokens, event = 0, await client.receive()
            while event["type"] == "stream_token" and tokens < 9:
                tokens, event = tokens + 1, await client.receive()
            if event["type"] == "stream_token":  # ten tokens in: cancel before the end (and its usage) comes
                await client.socket.send(json.dumps({"action": "cancel", "requestId": request_id, "sessionId": session_id}))
            while event["type"] not in ("eventual_response", "error", "cancelled"):
                event = await client.receive()
            ends.append(event["error"]["code"] if event["type"] == "error" else event["type"])
        assert ends == ["cancelled", "BUDGET_EXCEEDED", "BUDGET_EXCEEDED"]
        assert len(gateway.requests) == 1  # the refused turns never reached the model
        standing = shell(
            server,
            f"from chat.models import Session; from limits import budgets; print(budgets.session_standing(Session.objects.get(session_id='{session_id}')).spent_tokens)",
        )
        assert int(standing) > 10  # the prompt's estimate alone is over the cap
    finally:
        if client is not None:
            await client.close()
        server.stop()


async def test_offline_no_budget_applies(tmp_path):
    server = start_server(tmp_path / "s", SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1", SMOOTH_BUDGET_PER_SESSION="1 token")
    client = await WireClient.connect(server)
    try:
        session_id = (await create(client, str(uuid.uuid4())))["data"]["sessionId"]
        for request_id in ("m-1", "m-2"):
            assert (await ask(client, session_id, request_id))["type"] == "eventual_response"
        assert shell(server, "from limits.models import Spend; print(Spend.objects.count())").strip() == "0"
    finally:
        await client.close()
        server.stop()


async def refusals_of_one_sequence(server, agent_id) -> list[str]:
    """The same visitors' actions against `agent_id`: the error codes they got."""
    codes = []

    async def note(event):
        if event["type"] == "error":
            codes.append(event["error"]["code"])
        return event

    evil = await WireClient.connect(server, origin=EVIL)
    shop = await WireClient.connect(server, origin=SHOP)
    try:
        await note(await create(evil, agent_id))  # an origin the policy does not list
        forged = {"userId": "alice", "signature": "00" * 32, "timestamp": int(time.time())}
        await note(await create(shop, agent_id, authContext=forged))
        # One visitor over the message rate (2/min)...
        rated = (await note(await create(shop, agent_id, browserFingerprint="fp-a")))["data"]["sessionId"]
        for number in range(3):
            await note(await ask(shop, rated, f"r-{number}"))
        # ...and another over their day's budget (3 calls), across two sessions.
        spent = [(await note(await create(shop, agent_id, browserFingerprint="fp-b")))["data"]["sessionId"] for _ in range(2)]
        for number, session_id in enumerate([spent[0], spent[0], spent[1], spent[1]]):
            await note(await ask(shop, session_id, f"b-{number}"))
    finally:
        await evil.close()
        await shop.close()
    return codes


async def test_report_only_records_exactly_what_enforcement_refuses(tmp_path, gateway):
    enforcing, reporting = str(uuid.uuid4()), str(uuid.uuid4())
    server = start_server(tmp_path / "s", **online(gateway, SMOOTH_LIMIT_MESSAGES_PER_SESSION="2/min"))
    setup = "from agents.models import Agent; from widget_auth.models import WidgetPolicy\n"
    for agent_id, mode in ((enforcing, "enforce"), (reporting, "report")):
        setup += (
            f"agent = Agent.objects.create(id='{agent_id}', organization_id='default', name='{mode}', "
            f"budget_per_visitor_day='{3 * PER_CALL} tokens', enforcement='{mode}')\n"
            f"WidgetPolicy.objects.create(agent=agent, allowed_origins=['{SHOP}'], key_scheme='hmac-sha256', hmac_secret='s3cret')\n"
        )
    try:
        shell(server, setup)
        gateway.push(*[TEXT] * 20)

        refused = await refusals_of_one_sequence(server, enforcing)
        assert sorted(refused) == ["AUTH_CONTEXT_INVALID", "BUDGET_EXCEEDED", "ORIGIN_NOT_ALLOWED", "RATE_LIMITED"]
        calls_enforced = len(gateway.requests)
        assert await refusals_of_one_sequence(server, reporting) == []  # nothing refused
        assert len(gateway.requests) - calls_enforced == calls_enforced + 2  # the rate's and the budget's turns ran

        counted = json.loads(
            shell(
                server,
                "import json; from limits.models import ReportedRefusal as R\n"
                f"print(json.dumps(sorted([r.kind, r.origin, r.count] for r in R.objects.filter(agent_id='{reporting}'))))",
            )
        )
        assert counted == [["auth_context", "", 1], ["budget", "", 1], ["origin", EVIL, 1], ["rate_limit", "", 1]]
        kinds = {
            "AUTH_CONTEXT_INVALID": "auth_context",
            "BUDGET_EXCEEDED": "budget",
            "ORIGIN_NOT_ALLOWED": "origin",
            "RATE_LIMITED": "rate_limit",
        }
        assert sorted(kinds[code] for code in refused) == [kind for kind, _, _ in counted]  # one for one
        summary = shell(server, f"from limits import enforcement; print(enforcement.summary('{reporting}'))").strip()
        assert summary.startswith("would have refused: ") and summary.endswith(" in the last 24 h")
        assert all(part in summary for part in (f"1 from {EVIL} (origin)", "1 (authContext)", "1 (rate limit)", "1 (budget)"))
        assert "report-only: would have refused (origin: not an allowed origin)" in server.log()
        assert "s3cret" not in server.log()
    finally:
        server.stop()
