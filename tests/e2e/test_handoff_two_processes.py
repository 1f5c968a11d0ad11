"""A person takes over across processes: the visitor's socket on process A, the operator's
inbox on process B, sharing PostgreSQL and Redis. B's take-over stops the turn running on
A, B's reply reaches the visitor on A, and the visitor's messages reach the inbox on B."""

from __future__ import annotations

import pytest

from tests.e2e.live import WireClient, start_server
from tests.e2e.test_handoff import SLOW, Operator, by_person, inbox
from tests.e2e.test_two_processes import REDIS_URL, shared_database  # noqa: F401 - a fixture
from tests.helpers import send, until_terminal

pytestmark = [pytest.mark.live, pytest.mark.redis]
AGENT = "7d3c5a8e-1f00-4c1b-9a55-7a0c2b1e9d02"


@pytest.fixture
def gateway(fake_gateway):
    return fake_gateway


@pytest.fixture
def two_servers(shared_database, gateway, tmp_path):  # noqa: F811 - the fixture imported above
    env = {"DATABASE_URL": shared_database, "REDIS_URL": REDIS_URL, "SMOOAI_GATEWAY_URL": gateway.url, "SMOOAI_GATEWAY_KEY": "sk-two"}
    a = start_server(tmp_path / "a", **env)
    b = start_server(tmp_path / "b", **env)
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "User.objects.filter(username='alex').delete()\n"
        "u = User.objects.create_user('alex', password='pw-alex', first_name='Alex', last_name='Rivera', is_staff=True)\n"
        "u.groups.add(Group.objects.get_or_create(name='org:default')[0])"
    )
    assert b.manage("shell", "-v", "0", "-c", code).returncode == 0
    yield a, b
    a.stop()
    b.stop()


async def test_the_operator_on_one_process_takes_over_from_the_visitor_on_another(two_servers, gateway):
    a, b = two_servers
    visitor = await WireClient.connect(a)
    operator = await Operator.connect(b, "alex")
    try:
        created = await visitor.request({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT, "userName": "Dana"})
        session_id, conversation_id = created["data"]["sessionId"], created["data"]["conversationId"]
        await operator.ask({"action": "open", "conversationId": conversation_id})

        gateway.push(SLOW)
        assert (await visitor.request(send(session_id, "m-1", "What is the warranty?")))["status"] == 202
        assert (await visitor.receive())["type"] == "stream_token"  # the turn runs on A
        await operator.until(lambda frame: frame["type"] == "stream" and frame["event"]["type"] == "stream_token")  # watched on B
        assert (await operator.ask({"action": "take_over", "conversationId": conversation_id}))["type"] == "done"
        seen = [await visitor.receive() for _ in range(2)]
        while any(event["type"] == "stream_token" for event in seen):
            seen = [event for event in seen if event["type"] != "stream_token"] + [await visitor.receive()]
        assert {event["type"] for event in seen} == {"cancelled", "eventual_response"}  # stopped on A, from B

        calls = len(gateway.requests)
        assert (await visitor.request(send(session_id, "m-2", "hello?")))["status"] == 202
        assert [event["type"] for event in await until_terminal(visitor)] == ["cancelled"]
        assert (await operator.until(inbox("visitor_message")))["event"]["text"] == "hello?"
        assert (await operator.ask({"action": "reply", "conversationId": conversation_id, "text": "Hi from process B."}))["type"] == "done"
        assert by_person(await visitor.receive())["responseParts"] == ["Hi from process B."]
        assert len(gateway.requests) == calls
    finally:
        await visitor.close()
        await operator.close()
