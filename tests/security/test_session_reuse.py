"""Hole 2, as found: a session id was a bearer credential. From another origin, with no
origin, from another agent's site, after the policy was disabled, another socket could
read the whole transcript (the visitor's name and words) and send into it. Origin and
identity were checked only at create_conversation_session."""

from __future__ import annotations

import pytest

from tests.security.conftest import ACME, GLOBEX, connect, hmac_context, not_found, principal_token, received, row_counts, said

pytestmark = pytest.mark.live

VISITOR_NAME = "Victoria Visitor"
VISITOR_WORDS = "my order is VICTIM-ORDER-5521, what is your escalation desk's opening time?"


async def victim_session(server, *, token=None, auth_context=None) -> str:
    """A visitor of acme's site with a conversation worth stealing."""
    visitor = await connect(server, origin=ACME.site, token=token)
    frame = {"action": "create_conversation_session", "agentId": ACME.agent, "userName": VISITOR_NAME}
    if auth_context:
        frame["authContext"] = auth_context
    created = await visitor.request(frame)
    assert created["type"] == "immediate_response", created
    session_id = created["data"]["sessionId"]
    _, final = await visitor.turn(session_id, VISITOR_WORDS)
    assert final["type"] == "eventual_response", final
    await visitor.close()
    return session_id


async def assert_refused(server, attacker, session_id: str, **credentials):
    before = row_counts(server)
    events = []
    for frame in (
        {"action": "get_session"},
        {"action": "get_conversation_messages"},
        {"action": "send_message", "message": "tell me everything"},
    ):
        events.append(await attacker.request({**frame, "requestId": "steal", "sessionId": session_id, **credentials}))
        assert not_found(events[-1], session_id), events[-1]
    events += await received(attacker)
    assert len(events) == 3  # nothing ran
    assert row_counts(server) == before
    assert VISITOR_NAME not in said(events) and "VICTIM-ORDER" not in said(events)
    pong = await attacker.request({"action": "ping", "requestId": "alive"})
    assert pong["type"] == "pong"  # refused, not disconnected


@pytest.mark.parametrize("origin", ["https://evil.example", None, GLOBEX.site], ids=["another origin", "no origin", "another agent's site"])
async def test_a_stolen_session_id_is_refused_from_anywhere_but_its_site(two_orgs, origin):
    session_id = await victim_session(two_orgs)
    await assert_refused(two_orgs, await connect(two_orgs, origin=origin), session_id)


@pytest.mark.parametrize(
    "change, undo",
    [
        (["--disable"], ["--enable"]),
        (["--origin", "https://shop.acme.example"], ["--origin", ACME.site]),
    ],
    ids=["after the policy is disabled", "after the origin is removed from the policy"],
)
async def test_a_session_id_is_refused_once_its_policy_no_longer_allows_it(two_orgs, change, undo):
    session_id = await victim_session(two_orgs)
    changed = two_orgs.manage("widget_policy", "set", "--agent", ACME.agent, *change)
    assert changed.returncode == 0, changed.stderr
    try:
        await assert_refused(two_orgs, await connect(two_orgs, origin=ACME.site), session_id)
    finally:
        assert two_orgs.manage("widget_policy", "set", "--agent", ACME.agent, *undo).returncode == 0


async def test_another_principal_cannot_use_a_principals_session(two_orgs):
    session_id = await victim_session(two_orgs, token=principal_token(ACME, "alice"))
    await assert_refused(two_orgs, await connect(two_orgs, origin=ACME.site, token=principal_token(ACME, "bob")), session_id)
    await assert_refused(two_orgs, await connect(two_orgs, origin=ACME.site), session_id)  # nor an anonymous one


async def test_a_replayed_auth_context_opens_nothing(two_orgs):
    context = hmac_context(ACME, "vip-7")
    session_id = await victim_session(two_orgs, auth_context=context)
    attacker = await connect(two_orgs, origin=ACME.site)
    await assert_refused(two_orgs, attacker, session_id)  # the verified visitor's session needs proof
    await assert_refused(two_orgs, attacker, session_id, authContext=context)  # and a replay is none
    before = row_counts(two_orgs)
    again = await attacker.request({"action": "create_conversation_session", "agentId": ACME.agent, "authContext": context})
    assert again["error"]["code"] == "AUTH_CONTEXT_INVALID"
    assert row_counts(two_orgs) == before


async def test_a_context_signed_for_one_agent_is_refused_by_another_that_shares_its_key(two_orgs):
    """Both agents verify with one HMAC secret; a bound context names the agent and site."""
    for_acme = hmac_context(ACME, "vip-8")
    at_globex = await connect(two_orgs, origin=GLOBEX.site)
    event = await at_globex.request({"action": "create_conversation_session", "agentId": GLOBEX.agent, "authContext": for_acme})
    assert event["error"] == {"code": "AUTH_CONTEXT_INVALID", "message": "authContext signature does not verify"}


async def test_the_visitor_re_attaches_with_a_fresh_context_and_the_transcript_is_there(two_orgs):
    """The control: the rightful visitor, with new proof, gets the session back."""
    session_id = await victim_session(two_orgs, auth_context=hmac_context(ACME, "vip-9"))
    visitor = await connect(two_orgs, origin=ACME.site)
    found = await visitor.request({"action": "get_session", "sessionId": session_id, "authContext": hmac_context(ACME, "vip-9")})
    assert found["data"]["sessionId"] == session_id
    page = await visitor.request({"action": "get_conversation_messages", "sessionId": session_id})
    assert VISITOR_WORDS in said(page)
