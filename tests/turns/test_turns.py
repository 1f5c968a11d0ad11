"""Agent turns over the socket, with a real local HTTP server as the gateway."""

import pytest
from channels.db import database_sync_to_async

from chat import services, turns
from chat.models import Message, Session
from tests.factories import AGENT_ID
from tests.helpers import text_of, turn
from tests.knowledge.kb import add
from tests.turns.scenario_tools import install

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-turn-test-secret"
    settings.SMOOTH_AGENT_GATEWAY_FIRST_BYTE_TIMEOUT = 2
    settings.SMOOTH_AGENT_GATEWAY_IDLE_TIMEOUT = 2
    return fake_gateway


async def open_session(ws):
    client = await ws()
    return client, (await client.create_session(AGENT_ID))["sessionId"]


async def stored(direction):
    return [message async for message in Message.objects.filter(direction=direction).order_by("created_at")]


async def test_a_turn_streams_tokens_then_stores_and_answers_with_usage(ws, gateway):
    gateway.push({"kind": "text", "text": "Hello from the engine!"})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hi there")

    final = events[-1]
    assert text_of(events) == "Hello from the engine!"
    assert events[0]["type"] == "stream_token" and {event["type"] for event in events[:-1]} == {"stream_token"}
    (reply,) = await stored("outbound")
    (question,) = await stored("inbound")
    assert final["data"]["data"]["messageId"] == str(reply.id)
    assert final["data"]["data"]["response"]["responseParts"] == ["Hello from the engine!"]
    assert final["data"]["data"]["usage"] == {"promptTokens": 10, "completionTokens": 5, "costUsd": 0.000035}
    assert "citations" not in final["data"]["data"]  # nothing grounded the turn
    assert (question.text, reply.text) == ("hi there", "Hello from the engine!")
    session = await Session.objects.aget(session_id=session_id)
    assert (session.message_count, session.token_count) == (2, 15)
    user, agent = session.user_participant_id, session.agent_participant_id
    assert (question.from_participant_id, question.to_participant_id) == (user, agent)
    assert (reply.from_participant_id, reply.to_participant_id) == (agent, user)
    assert reply.session_id == question.session_id == session.session_id


async def test_stream_false_sends_only_the_final_event(ws, gateway):
    gateway.push({"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "x"}'}, {"kind": "text", "text": "Quiet answer."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hello", stream=False)
    assert [event["type"] for event in events] == ["eventual_response"]
    assert events[0]["data"]["data"]["response"]["responseParts"] == ["Quiet answer."]


async def test_memory_carries_the_previous_exchange(ws, gateway):
    gateway.push({"kind": "text", "text": "First answer."}, {"kind": "text", "text": "Second answer."})
    client, session_id = await open_session(ws)
    await turn(client, session_id, "first question", "m-1")
    await turn(client, session_id, "second question", "m-2")
    conversation = [m for m in gateway.requests[1]["messages"] if m["role"] != "system"]
    assert conversation == [
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "First answer."},
        {"role": "user", "content": "second question"},
    ]


async def test_memory_is_the_last_50_messages(ws, gateway):
    gateway.push({"kind": "text", "text": "ok"})
    client, session_id = await open_session(ws)
    session = await Session.objects.aget(session_id=session_id)
    for index in range(59):
        await database_sync_to_async(services.record_user_message)(session=session, text=f"old {index}", request_id=f"o-{index}")
    await turn(client, session_id, "the newest")
    conversation = [m["content"] for m in gateway.requests[0]["messages"] if m["role"] != "system"]
    assert len(conversation) == 50
    assert conversation[0] == "old 10" and conversation[-1] == "the newest"  # 60 messages, the last 50


async def test_knowledge_grounds_the_turn_and_is_cited(ws, gateway):
    await database_sync_to_async(add)(
        "default", "https://help.example.com/returns", "# Returns\n\nReturns are accepted within 17 days.", title="Returns"
    )
    await database_sync_to_async(add)("default", "policies/shipping.md", "# Shipping\n\nShipping takes 5 days.", title="Shipping")
    gateway.push(
        {"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "shipping time", "limit": 2}'},
        {"kind": "text", "text": "17 days."},
    )
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "what is the returns window?")

    system = "\n".join(m["content"] for m in gateway.requests[0]["messages"] if m["role"] == "system")
    assert "[Relevant knowledge]" in system and "Returns are accepted within 17 days." in system
    call, result = [event for event in events if event["type"] == "stream_chunk"]
    assert call["node"] == "knowledge_search"
    assert call["data"]["state"]["rawResponse"] == {
        "toolCall": {"name": "knowledge_search", "arguments": {"query": "shipping time", "limit": 2}}
    }
    assert result["data"]["state"]["rawResponse"]["toolResult"]["isError"] is False
    tool_message = gateway.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and "Shipping takes 5 days." in tool_message["content"]

    citations = events[-1]["data"]["data"]["citations"]
    assert [c["id"] for c in citations][:1] == ["https://help.example.com/returns"]  # auto-context first
    assert {c["id"] for c in citations} == {"https://help.example.com/returns", "policies/shipping.md"}  # deduplicated
    by_id = {c["id"]: c for c in citations}
    assert by_id["https://help.example.com/returns"]["url"] == "https://help.example.com/returns"
    assert "url" not in by_id["policies/shipping.md"]
    assert by_id["https://help.example.com/returns"]["snippet"] == "Returns are accepted within 17 days."

    # The history carries the same sources, so a re-attached client can show them.
    history = await client.request({"action": "get_conversation_messages", "sessionId": session_id})
    reply, question = history["data"]["messages"]
    assert reply["content"]["structuredResponse"] == {"citations": citations}
    assert "structuredResponse" not in question["content"]


async def test_a_question_the_knowledge_does_not_answer_gets_no_passage_nor_citation(ws, gateway, settings):
    await database_sync_to_async(add)(
        "default", "policies/returns.md", "# Returns\n\nReturns are accepted within 17 days.", title="Returns"
    )
    gateway.push({"kind": "text", "text": "I don't know."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "how do I cancel my gym membership")

    system = "\n".join(m["content"] for m in gateway.requests[0]["messages"] if m["role"] == "system")
    assert "[Relevant knowledge]\n" not in system and "17 days" not in system
    assert "Nothing in the knowledge base answers this question" in system and "do not know" in system
    assert "citations" not in events[-1]["data"]["data"]

    gateway.push({"kind": "text", "text": "Within 17 days."})
    events = await turn(client, session_id, "how long do I have to send something back")
    system = "\n".join(m["content"] for m in gateway.requests[1]["messages"] if m["role"] == "system")
    assert "17 days" in system and "If they do not answer the question, say that you do not know." in system
    assert [c["id"] for c in events[-1]["data"]["data"]["citations"]] == ["policies/returns.md"]


async def test_an_anonymous_visitor_never_sees_a_restricted_document(ws, gateway):
    secret = "Staff discount code is STAFF-ONLY-4242."
    await database_sync_to_async(add)("default", "staff.md", f"# Discount codes\n\n{secret}", access={"groups": ["staff"]})
    await database_sync_to_async(add)("default", "public.md", "# Discounts\n\nStudents get 10 percent off.")
    gateway.push(
        {"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "staff discount code"}'},
        {"kind": "text", "text": "No code."},
    )
    client, session_id = await open_session(ws)  # a token-less connection: anonymous
    events = await turn(client, session_id, "what is the staff discount code?")
    everything_sent = str(gateway.requests) + str(events)
    assert "STAFF-ONLY-4242" not in everything_sent
    assert all(c["id"] != "staff.md" for c in events[-1]["data"]["data"].get("citations", []))


@pytest.mark.parametrize(
    "arguments, tool, words",
    [
        ('{"query": ""}', "knowledge_search", "needs a non-empty 'query'"),
        ("not json", "knowledge_search", "must be a JSON object"),
        ("{}", "no_such_tool", "there is no tool named 'no_such_tool'"),
    ],
)
async def test_a_failing_tool_is_an_error_result_not_a_failed_turn(ws, gateway, arguments, tool, words):
    gateway.push({"kind": "toolCall", "name": tool, "arguments": arguments}, {"kind": "text", "text": "Sorry."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "search please")
    result = [e for e in events if e["type"] == "stream_chunk"][1]["data"]["state"]["rawResponse"]["toolResult"]
    assert result["isError"] is True and words in result["result"]
    assert gateway.requests[1]["messages"][-1]["content"].startswith("Error: ")
    assert events[-1]["type"] == "eventual_response"


async def test_a_crashing_tool_is_reported_without_its_details(ws, gateway, settings):
    from tests.turns.scenario_tools import ExplodingTool

    install(settings, [ExplodingTool()])
    gateway.push({"kind": "toolCall", "name": "explode", "arguments": "{}"}, {"kind": "text", "text": "Recovered."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "go")
    assert "/srv/secret" not in str(events)
    assert events[-1]["data"]["data"]["response"]["responseParts"] == ["Recovered."]


async def test_the_iteration_cap_ends_with_a_call_without_tools(ws, gateway, settings):
    settings.SMOOTH_AGENT_MAX_ITERATIONS = 2
    gateway.push({"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "a"}'}, {"kind": "text", "text": "Done."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "loop")
    assert len(gateway.requests) == 2
    assert "tools" in gateway.requests[0] and "tools" not in gateway.requests[1]
    assert events[-1]["type"] == "eventual_response"


@pytest.mark.parametrize(
    "script, told, logged",
    [
        ([{"kind": "status", "status": 401}], "its model service refused the request", "HTTP 401"),
        ([{"kind": "status", "status": 429}] * 3, "its model service is busy or failing", "HTTP 429"),
        ([{"kind": "status", "status": 500}] * 3, "its model service is busy or failing", "HTTP 500"),
        ([{"kind": "malformed"}], "its model service sent an answer it could not read", "malformed stream"),
        ([{"kind": "hang", "seconds": 4}], "its model service took too long to answer", "timed out waiting for its first byte"),
        ([{"kind": "text", "text": "   "}], "its model service returned no answer", "the model returned no text"),
    ],
)
async def test_gateway_failures_give_one_agent_error_and_keep_the_question(ws, gateway, settings, caplog, script, told, logged):
    settings.SMOOTH_AGENT_GATEWAY_RETRIES = 2
    gateway.push(*script)
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hello?")
    assert [event["type"] for event in events if event["type"] != "stream_token"] == ["error"]
    # The visitor gets a fixed sentence per kind of failure; the log gets what happened.
    assert events[-1]["error"] == {"code": "AGENT_ERROR", "message": f"the agent could not answer: {told}; please try again"}
    assert logged in caplog.text
    assert "sk-turn-test-secret" not in str(events) + caplog.text
    assert len(await stored("inbound")) == 1 and await stored("outbound") == []
    await client.assert_open()


@pytest.mark.parametrize(
    "events",
    [
        [{"choices": [{"index": 0, "delta": "not an object"}]}],
        [{"choices": [], "usage": {"prompt_tokens": "ten", "completion_tokens": 5}}],
        [{"choices": {"0": {"delta": {"content": "x"}}}}],
    ],
    ids=["a malformed delta", "a non-numeric usage", "choices that are not a list"],
)
async def test_a_stream_of_the_wrong_shape_ends_in_agent_error_without_a_traceback(ws, gateway, caplog, events):
    gateway.push({"kind": "raw", "events": [*events, "[DONE]"]})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hello?")
    assert events[-1]["error"] == {
        "code": "AGENT_ERROR",
        "message": "the agent could not answer: its model service sent an answer it could not read; please try again",
    }
    assert "Traceback" not in caplog.text and "malformed stream" in caplog.text
    assert len(await stored("inbound")) == 1 and await stored("outbound") == []


async def test_a_gateway_that_echoes_the_key_never_gets_it_to_the_visitor_or_the_log(ws, gateway, caplog):
    key = "sk-turn-test-secret"
    gateway.push(
        {"kind": "status", "status": 401, "body": {"error": {"message": f"Incorrect API key provided: {key}"}}},
    )
    client, session_id = await open_session(ws)
    refused = await turn(client, session_id, "hello?", "m-1")
    gateway.push({"kind": "raw", "events": [{"error": {"message": f"key {key} is over quota", "type": "insufficient_quota"}}]})
    mid_stream = await turn(client, session_id, "again?", "m-2")
    assert refused[-1]["error"]["message"] == "the agent could not answer: its model service refused the request; please try again"
    assert mid_stream[-1]["error"]["message"] == "the agent could not answer: its model service reported an error; please try again"
    assert "over quota" not in str(mid_stream)  # the gateway's own words stay out of events
    assert "reported an error mid-stream: key [redacted] is over quota" in caplog.text
    assert key not in str(refused + mid_stream) + caplog.text


async def test_a_failure_after_some_tokens_is_not_retried(ws, gateway):
    gateway.push({"kind": "drop", "text": "one two three four", "after": 2}, {"kind": "text", "text": "never sent"})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hello?")
    assert text_of(events) == "one two "
    assert events[-1]["error"]["code"] == "AGENT_ERROR"
    assert len(gateway.requests) == 1
    assert len(await stored("inbound")) == 1 and await stored("outbound") == []


async def test_an_unreachable_gateway_is_an_agent_error(ws, settings):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = "http://127.0.0.1:1/v1", "sk-x"
    settings.SMOOTH_AGENT_GATEWAY_RETRIES = 0
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hello?")
    assert events[-1]["error"]["message"] == "the agent could not answer: its model service could not be reached; please try again"


async def test_a_ping_is_answered_while_a_turn_streams(ws, gateway):
    gateway.push({"kind": "slow", "text": "a slow answer arriving word by word", "delay": 0.2})
    client, session_id = await open_session(ws)
    await client.request({"action": "send_message", "requestId": "m-slow", "sessionId": session_id, "message": "hi"})
    assert (await client.receive())["type"] == "stream_token"
    await client.send({"action": "ping", "requestId": "p-during"})
    events = []
    while not events or events[-1]["type"] != "eventual_response":
        events.append(await client.receive(timeout=5))
    pong_at = next(index for index, event in enumerate(events) if event["type"] == "pong")
    assert events[pong_at]["requestId"] == "p-during"
    assert "stream_token" in [event["type"] for event in events[pong_at + 1 :]]  # answered mid-stream


async def test_a_second_message_while_a_turn_runs_is_turn_in_progress_and_the_turn_goes_on(ws, gateway):
    gateway.push({"kind": "slow", "text": "Answer one, slowly.", "delay": 0.05}, {"kind": "text", "text": "Answer two."})
    client, session_id = await open_session(ws)
    await client.send({"action": "send_message", "requestId": "m-a", "sessionId": session_id, "message": "first"})
    await client.send({"action": "send_message", "requestId": "m-b", "sessionId": session_id, "message": "second"})
    events = []
    while not events or events[-1]["type"] != "eventual_response":
        events.append(await client.receive(timeout=10))
    assert (events[0]["status"], events[0]["requestId"]) == (202, "m-a")
    (refused,) = [event for event in events if event["type"] == "error"]
    assert refused["requestId"] == "m-b" and refused["error"]["code"] == "TURN_IN_PROGRESS"
    assert text_of(events) == "Answer one, slowly." and events[-1]["requestId"] == "m-a"  # untouched
    assert [m.text for m in await stored("inbound")] == ["first"]  # nothing stored for the refused one
    # Once the turn has ended, the next message is accepted at once.
    events = await turn(client, session_id, "second", "m-c")
    assert text_of(events) == "Answer two."


async def test_a_turn_completes_and_stores_its_reply_after_the_visitor_disconnects(ws, gateway, caplog):
    gateway.push({"kind": "slow", "text": "a reply that keeps going after you left", "delay": 0.1})
    client, session_id = await open_session(ws)
    await client.request({"action": "send_message", "requestId": "m-gone", "sessionId": session_id, "message": "hi"})
    assert (await client.receive())["type"] == "stream_token"
    await client.communicator.disconnect()
    await turns.drain()
    (reply,) = await stored("outbound")
    assert reply.text == "a reply that keeps going after you left"
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "WARNING")]

    # The visitor comes back and finds it.
    returning = await ws()
    found = await returning.request({"action": "get_session", "sessionId": session_id})
    assert found["data"]["sessionId"] == session_id
    history = await returning.request({"action": "get_conversation_messages", "sessionId": session_id})
    assert history["data"]["messages"][0]["content"]["text"] == "a reply that keeps going after you left"


async def test_usage_is_omitted_when_the_gateway_reports_none(ws, gateway):
    gateway.push({"kind": "text", "text": "No meter here.", "usage": False})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hi")
    assert "usage" not in events[-1]["data"]["data"]
    assert (await Session.objects.aget(session_id=session_id)).token_count == 0


async def test_usage_sums_every_model_call_and_an_unpriced_model_costs_nothing(ws, gateway, settings):
    settings.SMOOTH_AGENT_MODEL = "some-unlisted-model"
    gateway.push({"kind": "toolCall", "name": "knowledge_search", "arguments": '{"query": "a"}'}, {"kind": "text", "text": "Two calls."})
    client, session_id = await open_session(ws)
    events = await turn(client, session_id, "hi")
    assert events[-1]["data"]["data"]["usage"] == {"promptTokens": 20, "completionTokens": 10, "costUsd": 0}
    assert gateway.requests[0]["model"] == "some-unlisted-model"
