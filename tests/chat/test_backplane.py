import datetime
import uuid

import pytest
from channels.layers import get_channel_layer
from django.core.management import CommandError, call_command

from chat.backplane import NotJsonNative, assert_json_native, group_name, publish
from tests.factories import AGENT_ID

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "kind, ident",
    [
        ("session", "3f2c9a4e-8d1b-4f6a-9c0e-5b7d2a1e4f60"),
        ("agent", AGENT_ID),
        ("user", "auth0|1234 with spaces & ünïcode"),
        ("user", "x" * 500),
        ("org", "Acme, Inc."),
    ],
)
def test_group_names_are_valid_channel_group_names(kind, ident):
    name = group_name(kind, ident)
    assert get_channel_layer().require_valid_group_name(name)


def test_user_and_org_ids_never_collide_with_each_other():
    assert group_name("user", "a") != group_name("org", "a")
    assert group_name("user", "a") != group_name("user", "b")


def test_unknown_target_kinds_are_refused():
    with pytest.raises(ValueError, match="unknown backplane target 'team'"):
        group_name("team", "x")


@pytest.mark.parametrize(
    "event, path",
    [
        ({"id": uuid.uuid4()}, "event.id is a UUID"),
        ({"at": datetime.datetime.now()}, "event.at is a datetime"),
        ({"items": [1, (2, 3)]}, "event.items[1] is a tuple"),
        ({"score": float("nan")}, "event.score is nan"),
        ({1: "x"}, "event has a non-string key 1"),
        ({"big": 2**70}, "event.big is an integer too large"),
    ],
)
def test_events_that_are_not_json_native_are_refused(event, path):
    with pytest.raises(NotJsonNative, match=path.replace("[", r"\[").replace("]", r"\]")):
        assert_json_native(event)


def test_json_native_events_pass():
    # Raises NotJsonNative on failure, as the cases above show.
    assert_json_native({"type": "x", "data": {"a": [1, 2.5, "s", None, True, {"b": []}]}, "timestamp": 2**62})


async def test_publish_refuses_a_uuid_before_it_reaches_the_layer(ws):
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    with pytest.raises(NotJsonNative):
        await publish("session", session_id, {"type": "x", "id": uuid.uuid4()})
    await client.assert_silent()


async def test_a_turns_events_and_the_inbox_go_through_the_same_check(ws):
    """The hot paths (a turn's events, the inbox group) publish through send_to_group too: a
    value that is not JSON is a bug that raises, never a "layer away" warning."""
    from chat.turns.events import TurnEvents
    from handoff import notify

    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    events = TurnEvents(uuid.UUID(session_id), "m-1", stream=True)
    with pytest.raises(TypeError):  # NotJsonNative is one; the turn's journal may be first to refuse it
        await events.send({"type": "x", "at": datetime.datetime.now()})
    with pytest.raises(NotJsonNative):
        await notify.to_inbox("default", {"type": "escalation", "conversationId": uuid.uuid4()})
    await client.assert_silent()


async def test_a_session_publish_reaches_both_of_its_connections_verbatim_and_not_another_session(ws):
    first, second, elsewhere = await ws(), await ws(), await ws()
    session_id = (await first.create_session(AGENT_ID))["sessionId"]
    await second.request({"action": "get_session", "sessionId": session_id})  # re-attach
    await elsewhere.create_session(AGENT_ID.replace("1", "2"))
    event = {"type": "stream_chunk", "custom": {"nested": [1, "two"]}, "timestamp": 1}

    await publish("session", session_id, event)

    assert await first.communicator.receive_json_from() == event
    assert await second.communicator.receive_json_from() == event
    await elsewhere.assert_silent()


async def test_agent_user_org_and_connection_targets_are_delivered(ws):
    client = await ws()
    await client.create_session(AGENT_ID)
    await publish("agent", AGENT_ID, {"type": "agent-wide"})
    assert (await client.communicator.receive_json_from())["type"] == "agent-wide"

    consumer_channel = next(iter(get_channel_layer().groups[group_name("agent", AGENT_ID)]))
    await publish("connection", consumer_channel, {"type": "just-you"})
    assert (await client.communicator.receive_json_from())["type"] == "just-you"


async def test_after_disconnect_a_connection_leaves_every_group_and_gets_nothing(ws):
    staying, leaving = await ws(), await ws()
    session_id = (await staying.create_session(AGENT_ID))["sessionId"]
    await leaving.request({"action": "get_session", "sessionId": session_id})
    layer = get_channel_layer()
    session_group, agent_group = group_name("session", session_id), group_name("agent", AGENT_ID)
    members_before = set(layer.groups[session_group])
    assert len(members_before) == 2

    await leaving.communicator.disconnect()
    await publish("session", session_id, {"type": "after-close"})

    assert len(layer.groups[session_group]) == len(layer.groups[agent_group]) == 1
    (left_channel,) = members_before - set(layer.groups[session_group])
    assert left_channel not in layer.channels or layer.channels[left_channel].empty()
    assert (await staying.communicator.receive_json_from())["type"] == "after-close"


def test_the_publish_command_refuses_the_in_memory_layer_with_a_clear_message():
    with pytest.raises(CommandError, match="in-memory channel layer .* set REDIS_URL"):
        call_command("chat_publish", "session", str(uuid.uuid4()), '{"type": "x"}')


@pytest.mark.parametrize(
    "event, message",
    [("not json", "the event is not JSON"), ("[1]", "the event must be a JSON object")],
)
def test_the_publish_command_refuses_bad_events(settings, event, message):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    with pytest.raises(CommandError, match=message):
        call_command("chat_publish", "session", str(uuid.uuid4()), event)


def test_the_publish_command_reports_an_unreachable_layer(settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    channel_layers.backends.clear()
    try:
        with pytest.raises(CommandError, match="could not reach the channel layer"):
            call_command("chat_publish", "session", str(uuid.uuid4()), '{"type": "x"}')
    finally:
        channel_layers.backends.clear()
