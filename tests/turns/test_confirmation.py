"""Write confirmation: a call to a gated tool parks the turn in the database until the
visitor approves or refuses it, from any socket of the session; a parked turn can be
cancelled, keeps the session's one turn slot, and ends on its own after its TTL."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from agents.models import Agent
from chat.models import ParkedTurn
from chat.turns import leases
from chat.turns.loop import DENIED
from chat.turns.tools import BaseTool, ToolFailed
from tests.factories import AGENT_ID
from tests.helpers import send, text_of, turn, until_terminal
from tests.turns.scenario_tools import FixedResultTool, install
from tests.turns.test_session_turns import two_tabs
from tests.turns.test_turns import stored

pytestmark = pytest.mark.django_db(transaction=True)
DELETE = {"kind": "toolCall", "name": "delete_record", "arguments": '{"id": "42"}'}
RAN: list[dict] = []


class DeleteRecord(BaseTool):
    name = "delete_record"
    description = "Delete a record by id."
    parameters = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}

    def call(self, arguments, context):
        if arguments["id"] == "missing":
            raise ToolFailed("there is no record missing")
        RAN.append({"id": arguments["id"], "organization": context.access.organization_id})
        return f"Record {arguments['id']} deleted."

    def describe(self, arguments):
        return f"Delete record {arguments['id']}"


delete_record = DeleteRecord()


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-confirmation"
    settings.SMOOTH_AGENT_TOOLS = [f"{__name__}.delete_record"]
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["delete_*"]
    RAN.clear()
    return fake_gateway


async def parked_turn(client, session_id, request_id="m-1") -> list[dict]:
    """Send a message whose model calls delete_record: the 202, then the parked turn's two events."""
    assert (await client.request(send(session_id, request_id, "delete record 42")))["status"] == 202
    return [await client.receive(), await client.receive()]


def confirming(settings, end: str) -> None:
    """Settings for a turn that parks on delete_record, with a TTL short enough for `end`."""
    settings.SMOOTH_AGENT_TOOLS = [f"{__name__}.delete_record"]
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["delete_*"]
    settings.SMOOTH_PARKED_TURN_TTL_MINUTES = 0.5 / 60 if end == "expires" else 30


async def park_then_end(client, session_id, end: str) -> None:
    """Park turn m-1, then end it without its rest: "expires" (its process's timer at the
    TTL), "cancelled" (a cancel while it waits) or "left_over" (that process gone and the
    lease lapsed: the next turn, m-2, ends it first)."""
    await parked_turn(client, session_id)
    if end == "expires":
        assert (await client.receive(timeout=5))["error"]["code"] == "TURN_EXPIRED"
    elif end == "cancelled":
        await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
        assert (await client.receive())["type"] == "cancelled"
    else:
        await leases.release(session_id, leases.Lease.parked_for("m-1"))  # as if it had expired with its process
        events = await turn(client, session_id, request_id="m-2")
        assert [event["error"]["code"] for event in events if event["type"] == "error"] == ["TURN_EXPIRED"]


def confirm(session_id, approved, request_id="c-1"):
    return {"action": "confirm_tool_action", "requestId": request_id, "sessionId": session_id, "approved": approved}


async def test_approved_the_tool_runs_and_the_turn_goes_on(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "Done: record 42 was deleted."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    prompt, call = await parked_turn(client, session_id)
    assert prompt["type"] == "write_confirmation_required" and prompt["requestId"] == "m-1"
    assert prompt["data"] == {"requestId": "m-1", "data": {"toolId": "delete_record", "actionDescription": "Delete record 42"}}
    assert call["data"]["state"]["rawResponse"] == {"toolCall": {"name": "delete_record", "arguments": {"id": "42"}}}
    await client.assert_silent()
    assert RAN == [] and len(gateway.requests) == 1  # nothing ran, and the model was not asked again

    ack = await client.request(confirm(session_id, True))
    assert (ack["type"], ack["status"], ack["requestId"], ack["data"]["approved"]) == ("immediate_response", 200, "c-1", True)
    events = await until_terminal(client)
    assert events[0]["data"]["state"]["rawResponse"]["toolResult"] == {
        "name": "delete_record",
        "isError": False,
        "result": "Record 42 deleted.",
    }
    assert text_of(events) == "Done: record 42 was deleted."
    assert events[-1]["type"] == "eventual_response" and events[-1]["requestId"] == "m-1"  # the send_message's own end
    assert RAN == [{"id": "42", "organization": "default"}]
    asked, answered = gateway.requests[1]["messages"][-2:]  # the model's call, and the tool's answer to it
    assert answered == {"role": "tool", "tool_call_id": asked["tool_calls"][0]["id"], "content": "Record 42 deleted."}
    assert [message.text for message in await stored("outbound")] == ["Done: record 42 was deleted."]
    assert not await ParkedTurn.objects.aexists()


async def test_denied_the_tool_never_runs_and_the_model_hears_why(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "Understood, I will leave it."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    assert (await client.request(confirm(session_id, False)))["data"]["approved"] is False
    events = await until_terminal(client)
    assert events[0]["data"]["state"]["rawResponse"]["toolResult"] == {"name": "delete_record", "isError": True, "result": DENIED}
    assert events[-1]["type"] == "eventual_response" and text_of(events) == "Understood, I will leave it."
    assert RAN == []
    assert gateway.requests[1]["messages"][-1]["content"].startswith("Denied by human: ")


async def test_a_stray_a_second_and_a_foreign_confirm_are_no_pending_confirmation(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "Done."})
    owner = await ws(origin="https://shop.example")
    session_id = (await owner.create_session(AGENT_ID))["sessionId"]
    stray = await owner.request(confirm(session_id, True, "c-stray"))
    assert (stray["error"]["code"], stray["requestId"]) == ("NO_PENDING_CONFIRMATION", "c-stray")

    await parked_turn(owner, session_id)
    # Another origin holding the session id: its answer is the same as for nothing pending, and nothing runs.
    thief = await ws(origin="https://evil.example")
    stolen = await thief.request(confirm(session_id, True, "c-thief"))
    assert stolen["error"] == {"code": "NO_PENDING_CONFIRMATION", "message": "nothing in this session is waiting for a confirmation"}
    await owner.assert_silent()
    assert RAN == [] and await ParkedTurn.objects.acount() == 1

    assert (await owner.request(confirm(session_id, True)))["status"] == 200
    await until_terminal(owner)
    again = await owner.request(confirm(session_id, True, "c-again"))
    assert again["error"]["code"] == "NO_PENDING_CONFIRMATION" and RAN == [{"id": "42", "organization": "default"}]


async def test_two_answers_at_once_resume_the_turn_once(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "Done."})
    first, second, session_id = await two_tabs(ws)
    await parked_turn(first, session_id)
    await second.receive(), await second.receive()  # the other tab saw the prompt too
    await first.send(confirm(session_id, True, "c-first"))
    await second.send(confirm(session_id, False, "c-second"))
    answers = {}
    for client in (first, second):
        for event in await until_terminal(client, request_id="m-1"):
            if event.get("requestId", "").startswith("c-"):
                answers[event["requestId"]] = event["type"] if event["type"] != "error" else event["error"]["code"]
    assert sorted(answers.values()) == ["NO_PENDING_CONFIRMATION", "immediate_response"]
    assert len(gateway.requests) == 2  # resumed once


async def test_a_parked_turn_holds_the_session_and_cancel_frees_it(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "The next turn ran."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    refused = await client.request(send(session_id, "m-2"))
    assert refused["error"]["code"] == "TURN_IN_PROGRESS"
    await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    cancelled = await client.receive()
    assert (cancelled["type"], cancelled["requestId"], cancelled["status"]) == ("cancelled", "m-1", 499)
    assert not await ParkedTurn.objects.aexists() and await leases.current(session_id) is None
    assert (await client.request(send(session_id, "m-3")))["status"] == 202
    assert text_of(await until_terminal(client)) == "The next turn ran."
    assert RAN == []
    assert [message.text for message in await stored("inbound")] == ["delete record 42", "hello?"]  # m-2 was never stored


async def test_a_reconnected_visitor_approves_from_a_new_socket(ws, gateway):
    gateway.push(DELETE, {"kind": "text", "text": "Deleted it."})
    first = await ws()
    session_id = (await first.create_session(AGENT_ID))["sessionId"]
    await parked_turn(first, session_id)
    await first.communicator.disconnect()
    again = await ws()
    assert (await again.request({"action": "get_session", "sessionId": session_id}))["type"] == "immediate_response"
    assert (await again.request(confirm(session_id, True)))["status"] == 200
    events = await until_terminal(again)
    assert events[-1]["type"] == "eventual_response" and text_of(events) == "Deleted it."


async def test_an_unanswered_turn_expires_with_turn_expired(ws, gateway, settings):
    settings.SMOOTH_PARKED_TURN_TTL_MINUTES = 0.5 / 60  # half a second
    gateway.push(DELETE, {"kind": "text", "text": "The next turn ran."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    expired = await client.receive(timeout=5)
    assert (expired["type"], expired["requestId"], expired["error"]["code"]) == ("error", "m-1", "TURN_EXPIRED")
    late = await client.request(confirm(session_id, True))
    assert late["error"]["code"] == "NO_PENDING_CONFIRMATION" and RAN == []
    assert (await client.request(send(session_id, "m-2")))["status"] == 202  # the slot is free again
    assert text_of(await until_terminal(client)) == "The next turn ran."


async def test_a_turn_left_parked_by_a_lost_lease_ends_when_the_session_is_next_used(ws, gateway):
    """The process that parked it is gone (its timer with it) and the lease lapsed."""
    gateway.push(DELETE, {"kind": "text", "text": "Fresh answer."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    await leases.release(session_id, leases.Lease.parked_for("m-1"))  # as if it had expired with its process
    assert (await client.request(send(session_id, "m-2")))["status"] == 202
    events = await until_terminal(client, request_id="m-2")
    assert [(event["requestId"], event["error"]["code"]) for event in events if event["type"] == "error"] == [("m-1", "TURN_EXPIRED")]
    assert text_of(events) == "Fresh answer." and not await ParkedTurn.objects.aexists()


async def test_an_agent_of_its_own_gates_by_pattern_and_narrows_its_tools(ws, gateway, settings):
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = []  # the server gates nothing; the agent does
    install(settings, [FixedResultTool("lookup_order", "Look up an order.", {"type": "object", "properties": {}}, "Order 7 shipped.")])
    settings.SMOOTH_AGENT_TOOLS = [*settings.SMOOTH_AGENT_TOOLS, f"{__name__}.delete_record"]
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await Agent.objects.filter(id=AGENT_ID).aupdate(tools=["knowledge_search", "delete_record"], confirm_tools=["delete_*"])
    gateway.push(DELETE, {"kind": "text", "text": "Done."})
    prompt, _ = await parked_turn(client, session_id)
    assert prompt["type"] == "write_confirmation_required"
    offered = [tool["function"]["name"] for tool in gateway.requests[0]["tools"]]
    assert offered == ["knowledge_search", "delete_record"]  # lookup_order is registered, not this agent's


async def test_a_confirm_frame_is_checked_before_anything_happens(ws, gateway):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for frame, words in [
        ({"sessionId": session_id}, "approved is required (true to run the tool, false to refuse it)"),
        ({"sessionId": session_id, "approved": "yes"}, "approved must be true or false, not a string"),
        ({"approved": True}, "sessionId is required"),
        ({"sessionId": "not-a-uuid", "approved": True}, "sessionId must be a UUID"),
    ]:
        event = await client.request({"action": "confirm_tool_action", "requestId": "c-bad", **frame})
        assert (event["error"]["code"], event["error"]["message"]) == ("VALIDATION_ERROR", words)
    await client.assert_open()


async def test_a_failing_gated_tool_is_an_error_result_after_approval(ws, gateway):
    gateway.push({"kind": "toolCall", "name": "delete_record", "arguments": json.dumps({"id": "missing"})}, {"kind": "text", "text": "No."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    await client.request(confirm(session_id, True))
    events = await until_terminal(client)
    assert events[0]["data"]["state"]["rawResponse"]["toolResult"] == {
        "name": "delete_record",
        "isError": True,
        "result": "there is no record missing",
    }
    assert events[-1]["type"] == "eventual_response"


async def test_a_parked_turn_is_stored_not_held_in_memory(ws, gateway):
    gateway.push(DELETE)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await parked_turn(client, session_id)
    row = await database_sync_to_async(ParkedTurn.objects.get)()
    assert (str(row.session_id), row.request_id, row.kind, row.pending["call"]["name"]) == (
        session_id,
        "m-1",
        "confirmation",
        "delete_record",
    )
    assert row.state["loop"]["calls"][0]["arguments"] == '{"id": "42"}' and row.state["events"] == 2
    await asyncio.sleep(0)  # the turn's task is over: nothing of it runs in this process
    from chat.turns import registry

    assert registry.running() == []
