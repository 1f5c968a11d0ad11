"""A turn belongs to its session: one at a time, its events on every socket of the
session, cancel from any of them, and a stream that resumes after a reconnect."""

from __future__ import annotations

import asyncio

import pytest

from chat.models import Message
from chat.turns import journal, leases, registry
from chat.turns.leases import Lease
from tests.factories import AGENT_ID
from tests.helpers import send, text_of, until_terminal
from tests.turns.test_turns import stored

pytestmark = pytest.mark.django_db(transaction=True)
SLOW = "one two three four five six seven eight nine ten"


@pytest.fixture
def gateway(settings, fake_gateway):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-session-turns"
    return fake_gateway


async def two_tabs(ws):
    first = await ws()
    session_id = (await first.create_session(AGENT_ID))["sessionId"]
    second = await ws()
    assert (await second.request({"action": "get_session", "sessionId": session_id}))["type"] == "immediate_response"
    return first, second, session_id


async def test_every_socket_of_the_session_gets_the_same_stream(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.02})
    first, second, session_id = await two_tabs(ws)
    assert (await first.request(send(session_id, "m-1")))["status"] == 202
    here, there = await until_terminal(first), await until_terminal(second)
    assert here == there  # the same events, in the same order, the terminal one included
    assert text_of(here) == SLOW and here[-1]["type"] == "eventual_response"
    await second.assert_silent()  # and each once


async def test_the_asking_socket_gets_each_event_straight_from_the_turn_and_once(ws, gateway, monkeypatch):
    """The asking socket's events wait for no channel layer: with the group's delivery
    held back, the other tab gets the stream only later, and the asker drops its copies."""
    from channels.layers import get_channel_layer

    from chat import lifecycle

    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.01})
    first, second, session_id = await two_tabs(ws)
    layer = get_channel_layer()
    held, group_send, deliveries = asyncio.Event(), layer.group_send, []

    async def held_back(group, message):
        async def later():
            await held.wait()
            await group_send(group, message)

        if message.get("request_id") != "m-1":
            await group_send(group, message)
        else:
            deliveries.append(asyncio.ensure_future(later()))

    monkeypatch.setattr(layer, "group_send", held_back)
    assert (await first.request(send(session_id, "m-1")))["status"] == 202
    here = await until_terminal(first)  # while every group copy is held back
    assert text_of(here) == SLOW and here[-1]["type"] == "eventual_response"
    await second.assert_silent()
    held.set()
    await asyncio.gather(*deliveries)
    assert await until_terminal(second) == here
    await first.assert_silent()  # its group copies were dropped, the terminal one included
    assert all(consumer.connection.resumed == {} for consumer in lifecycle._live)  # nothing left to drop


async def test_a_second_message_from_either_socket_is_turn_in_progress(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.05})
    first, second, session_id = await two_tabs(ws)
    assert (await first.request(send(session_id, "m-1")))["status"] == 202
    for client, request_id in ((first, "m-again"), (second, "m-other")):
        await client.send(send(session_id, request_id))
    for client, request_id in ((first, "m-again"), (second, "m-other")):
        events = await until_terminal(client, request_id="m-1")
        (refused,) = [event for event in events if event.get("requestId") == request_id]
        assert refused["error"]["code"] == "TURN_IN_PROGRESS"
        assert events[-1]["requestId"] == "m-1" and text_of(events) == SLOW  # the running turn is untouched
    assert [message.text for message in await stored("inbound")] == ["hello?"]


@pytest.mark.parametrize("canceller", ["the sending socket", "the other socket"])
async def test_cancel_from_any_socket_ends_the_turn_for_all_with_cancelled(ws, gateway, canceller):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.1}, {"kind": "text", "text": "Next answer."})
    first, second, session_id = await two_tabs(ws)
    assert (await first.request(send(session_id, "m-1")))["status"] == 202
    assert (await second.receive())["type"] == "stream_token"  # under way
    await (first if canceller == "the sending socket" else second).send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    for client in (first, second):
        events = await until_terminal(client)
        assert events[-1] == {
            **events[-1],
            "type": "cancelled",
            "status": 499,
            "requestId": "m-1",
            "data": {"requestId": "m-1", "status": 499},
        }
        assert "eventual_response" not in [event["type"] for event in events]
        await client.assert_silent(0.3)  # nothing after the terminal event
    assert await stored("outbound") == [] and [m.text for m in await stored("inbound")] == ["hello?"]  # the question stays
    assert await leases.current(session_id) is None
    events = [await first.request(send(session_id, "m-2", "again"))] + await until_terminal(first)
    assert events[0]["status"] == 202 and text_of(events) == "Next answer."  # accepted at once


async def test_a_stray_cancel_sends_nothing(ws, gateway):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    for frame in (
        {"action": "cancel", "requestId": "r-stray"},
        {"action": "cancel", "requestId": "r-stray", "sessionId": session_id},
        {"action": "cancel"},
    ):
        await client.send(frame)
    await client.assert_silent(1.0)
    await client.assert_open()


async def test_a_cancel_with_ids_that_are_not_uuids_is_valid_and_the_session_id_advisory(ws, gateway):
    """The schema types cancel's requestId and sessionId as any strings: neither is refused,
    and a sessionId that names no session falls back to the socket's own (it is advisory)."""
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.05})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.send({"action": "cancel", "requestId": "not a uuid", "sessionId": "not-a-uuid-either"})
    await client.assert_silent(0.5)  # no turn runs: the protocol's silent no-op
    assert (await client.request(send(session_id, "stop me")))["status"] == 202
    assert (await client.receive())["type"] == "stream_token"
    await client.send({"action": "cancel", "requestId": "stop me", "sessionId": "tab-7"})
    assert (await until_terminal(client))[-1]["type"] == "cancelled"


async def test_a_cancel_naming_another_turn_leaves_the_running_one_alone(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.02})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    await client.send({"action": "cancel", "requestId": "m-other", "sessionId": session_id})
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"


async def test_a_socket_cannot_cancel_a_session_it_may_not_use(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.02})
    owner = await ws()
    session_id = (await owner.create_session(AGENT_ID))["sessionId"]
    await owner.request(send(session_id, "m-1"))
    stranger = await ws(origin="https://evil.example")
    refused = await stranger.request({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    assert refused["error"] == {"code": "SESSION_NOT_FOUND", "message": f"session {session_id} not found"}
    await stranger.send({"action": "cancel", "requestId": "m-1"})  # naming no session: it holds none
    assert (await until_terminal(owner))[-1]["type"] == "eventual_response"


async def test_a_cancel_while_the_reply_is_being_stored_lets_the_turn_finish(ws, gateway, monkeypatch):
    """Once storing has begun the turn is finished in all but name: a late cancel finds
    nothing to stop, and the reply and its eventual_response stand."""
    gateway.push({"kind": "text", "text": "Stored anyway."})
    from chat import services

    real = services.record_reply
    storing = asyncio.Event()

    def slow_record(**fields):
        loop.call_soon_threadsafe(storing.set)
        import time

        time.sleep(0.3)
        return real(**fields)

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(services, "record_reply", slow_record)
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    await storing.wait()
    await client.send({"action": "cancel", "requestId": "m-1", "sessionId": session_id})
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    assert [m.text for m in await stored("outbound")] == ["Stored anyway."]


async def test_a_socket_that_dropped_mid_turn_resumes_where_it_left_off(ws, gateway):
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.05})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    seen = [await client.receive() for _ in range(3)]
    await client.communicator.disconnect()

    back = await ws()
    found = await back.request(
        {"action": "get_session", "sessionId": session_id, "resume": {"requestId": "m-1", "eventsReceived": len(seen)}}
    )
    assert found["type"] == "immediate_response"
    rest = await until_terminal(back)
    assert text_of(seen + rest) == SLOW  # no gap, no repeat
    (reply,) = await stored("outbound")
    assert rest[-1]["data"]["data"]["messageId"] == str(reply.id) and reply.text == SLOW
    await back.assert_silent(0.3)


async def test_resuming_an_ended_turn_sends_what_was_missed_ending_with_its_terminal_event(ws, gateway):
    gateway.push({"kind": "text", "text": "Done while you were away."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    everything = await until_terminal(client)
    back = await ws()
    await back.request({"action": "get_session", "sessionId": session_id, "resume": {"requestId": "m-1", "eventsReceived": 1}})
    assert [await back.receive() for _ in everything[1:]] == everything[1:]
    await back.assert_silent(0.3)


@pytest.mark.parametrize("resume", [{"requestId": "never-sent", "eventsReceived": 0}, {"requestId": "m-1", "eventsReceived": 99}])
async def test_an_unknown_turn_or_nothing_new_sends_only_the_session(ws, gateway, resume):
    gateway.push({"kind": "text", "text": "Over."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    await until_terminal(client)
    back = await ws()
    assert (await back.request({"action": "get_session", "sessionId": session_id, "resume": resume}))["status"] == 200
    await back.assert_silent(0.3)


@pytest.mark.parametrize(
    "resume, words",
    [
        ("m-1", "resume must be an object, not a string"),
        ({"eventsReceived": 1}, "resume.requestId is required"),
        ({"requestId": "m-1", "eventsReceived": -1}, "resume.eventsReceived must be a whole number of events, 0 or more"),
        ({"requestId": "m-1", "eventsReceived": "3"}, "resume.eventsReceived must be a whole number of events, 0 or more"),
    ],
)
async def test_a_malformed_resume_is_a_validation_error(ws, resume, words):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    event = await client.request({"action": "get_session", "sessionId": session_id, "resume": resume})
    assert event["error"] == {"code": "VALIDATION_ERROR", "message": words}


async def test_a_lease_left_by_a_dead_process_is_taken_once_it_expires(ws, gateway, monkeypatch):
    gateway.push({"kind": "text", "text": "Taken over."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    assert await leases.acquire(session_id, Lease("dead-turn", "turns.gone!x"))  # its holder then died
    assert (await client.request(send(session_id, "m-1")))["error"]["code"] == "TURN_IN_PROGRESS"
    real = leases.time.monotonic
    monkeypatch.setattr(leases.time, "monotonic", lambda: real() + 31)  # SMOOTH_TURN_LEASE_SECONDS later
    assert (await client.request(send(session_id, "m-2")))["status"] == 202
    assert (await until_terminal(client))[-1]["type"] == "eventual_response"
    assert await leases.current(session_id) is None


async def test_a_running_turn_renews_its_lease_and_stops_when_another_takes_it(ws, gateway, settings):
    settings.SMOOTH_TURN_LEASE_SECONDS = 2  # renewed every two thirds of a second
    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.4})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    await asyncio.sleep(2.5)  # longer than the lease: only renewals keep it
    held = await leases.current(session_id)
    assert held is not None and held.request_id == "m-1"
    await leases.release(session_id, held)
    assert await leases.acquire(session_id, Lease("someone-else", "turns.other!x"))  # taken meanwhile
    events = await until_terminal(client)
    assert events[-1]["error"] == {"code": "AGENT_ERROR", "message": "this answer was interrupted; please ask again"}
    assert await stored("outbound") == []


async def test_with_the_channel_layer_away_the_asking_socket_still_gets_its_turn(ws, gateway, monkeypatch, caplog):
    gateway.push({"kind": "text", "text": "Straight to you."})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    from channels.layers import get_channel_layer

    async def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(get_channel_layer(), "group_send", unreachable)
    await client.request(send(session_id, "m-1"))
    events = await until_terminal(client)
    assert text_of(events) == "Straight to you." and events[-1]["type"] == "eventual_response"
    assert caplog.text.count("could not publish a turn's events") == 1


async def test_the_journal_forgets_a_turn_past_its_bounds(monkeypatch):
    monkeypatch.setattr(journal, "MAX_EVENTS", 3)
    turn = journal.Journal("s-1", "r-1")
    for index in range(3):
        assert await turn.append({"type": "stream_token", "token": str(index)}) == index
    assert [event["token"] for event in await journal.missed("s-1", "r-1", 1)] == ["1", "2"]
    assert await turn.append({"type": "stream_token", "token": "3"}) == 3  # numbered still
    assert await journal.missed("s-1", "r-1", 0) is None  # but no longer resumable: no stream with a hole


async def test_shutdown_stops_answering_turns_and_lets_storing_ones_finish(ws, gateway):
    from chat import turns

    gateway.push({"kind": "slow", "text": SLOW, "delay": 0.1})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    await client.request(send(session_id, "m-1"))
    await client.receive()
    assert [turn.request_id for turn in await turns.cancel_all()] == ["m-1"]
    events = await until_terminal(client)
    assert events[-1]["error"]["message"] == "the server restarted before this answer was finished; please ask again"
    assert registry.running() == [] and await leases.current(session_id) is None
    assert await Message.objects.filter(direction="outbound").acount() == 0
