"""Hole 1, as found: a valid JWT of one organisation sent a message on an anonymous
session of the other and got that organisation's group-restricted document, quoted
and cited (the turn searched the session's organisation with the caller's user id
and groups). Both organisations have a user `alice` and a group `support`."""

from __future__ import annotations

import uuid

import pytest

from tests.security.conftest import ACME, GLOBEX, ask, connect, not_found, principal_token, received, row_counts, said

pytestmark = pytest.mark.live

DIRECTIONS = [(ACME, GLOBEX), (GLOBEX, ACME)]
IDS = ["acme token on a globex session", "globex token on an acme session"]


@pytest.mark.parametrize("attacker_org, victim_org", DIRECTIONS, ids=IDS)
@pytest.mark.parametrize("sub", ["carol", "alice"])
async def test_a_token_of_one_organisation_finds_no_session_of_the_other_and_nothing_of_it(two_orgs, attacker_org, victim_org, sub):
    visitor = await connect(two_orgs, origin=victim_org.site)
    session_id = (await visitor.request({"action": "create_conversation_session", "agentId": victim_org.agent}))["data"]["sessionId"]
    # Outside a browser the Origin header is whatever the attacker says it is.
    attacker = await connect(two_orgs, origin=victim_org.site, token=principal_token(attacker_org, sub))
    before = row_counts(two_orgs)
    events = []
    for frame in (
        {"action": "send_message", "message": "what is the escalation code and alice's allowance?"},
        {"action": "get_session"},
        {"action": "get_conversation_messages"},
    ):
        events.append(await attacker.request({**frame, "requestId": "x", "sessionId": session_id}))
        assert not_found(events[-1], session_id), events[-1]
    events += await received(attacker)
    assert events[3:] == []  # no turn ran
    assert row_counts(two_orgs) == before
    assert not any(marker in said(events) for marker in victim_org.markers)


@pytest.mark.parametrize("attacker_org, victim_org", DIRECTIONS, ids=IDS)
async def test_a_token_cannot_open_a_session_with_the_other_organisations_agent(two_orgs, attacker_org, victim_org):
    attacker = await connect(two_orgs, origin=victim_org.site, token=principal_token(attacker_org, "alice"))
    before = row_counts(two_orgs)
    theirs = await attacker.request({"action": "create_conversation_session", "agentId": victim_org.agent})
    nobodys = await attacker.request({"action": "create_conversation_session", "agentId": str(uuid.uuid4())})
    assert theirs["error"] == nobodys["error"] == {"code": "AGENT_NOT_AUTHORIZED", "message": "this agent is not available"}
    assert row_counts(two_orgs) == before


@pytest.mark.parametrize("tenant, other", DIRECTIONS, ids=["acme", "globex"])
async def test_in_its_own_organisation_the_same_token_reads_what_it_may_and_nothing_of_the_other(two_orgs, tenant, other):
    """The control: the tokens above are valid, and the restricted documents are found by the
    right reader; so the refusals above are the isolation, not a broken setup."""
    member = await connect(two_orgs, origin=tenant.site, token=principal_token(tenant, "carol"))
    session_id = (await member.request({"action": "create_conversation_session", "agentId": tenant.agent}))["data"]["sessionId"]
    text, final = await ask(member, session_id, "what code do I page the duty manager with for an escalation runbook?")
    assert tenant.support_secret in text, text
    assert final["data"]["data"]["citations"][0]["id"] == f"{tenant.org}-escalation.md"

    anonymous = await connect(two_orgs, origin=tenant.site)
    session_id = (await anonymous.request({"action": "create_conversation_session", "agentId": tenant.agent}))["data"]["sessionId"]
    text, final = await ask(anonymous, session_id, "what code do I page the duty manager with for an escalation runbook?")
    assert tenant.support_secret not in said([text, final])
    assert not any(marker in said([text, final]) for marker in other.markers)
