"""Plain functions that make test rows."""

from __future__ import annotations

import uuid

from agents.models import Agent
from chat import services
from chat.models import Session
from widget_auth.models import WidgetPolicy

AGENT_ID = "11111111-1111-1111-1111-111111111111"


def make_agent(*, agent_id: str = AGENT_ID, organization_id: str = "default", name: str = "Smooth", **fields) -> Agent:
    agent, _ = Agent.objects.update_or_create(id=uuid.UUID(agent_id), defaults={"organization_id": organization_id, "name": name, **fields})
    return agent


def make_session(
    *, agent_id: str = AGENT_ID, organization_id: str = "default", user_name: str = "Alice", origin: str | None = None, **fields
) -> Session:
    return services.create_session(
        agent=make_agent(agent_id=agent_id, organization_id=organization_id),
        agent_id=uuid.UUID(agent_id),
        identity=None,
        user_name=user_name,
        user_email=None,
        browser_fingerprint=None,
        browser_info=None,
        metadata={},
        supports=None,
        origin=origin,
        **fields,
    )


def make_policy(*, agent_id: str = AGENT_ID, organization_id: str = "default", **fields) -> WidgetPolicy:
    policy = WidgetPolicy(agent=make_agent(agent_id=agent_id, organization_id=organization_id), **fields)
    policy.full_clean()
    policy.save()
    return policy


def row_counts() -> dict[str, int]:
    """How many rows the chat domain holds: bad input must leave these unchanged."""
    from chat.models import Conversation, Message, Participant

    return {
        "conversations": Conversation.objects.count(),
        "participants": Participant.objects.count(),
        "sessions": Session.objects.count(),
        "messages": Message.objects.count(),
    }


NO_ROWS = {"conversations": 0, "participants": 0, "sessions": 0, "messages": 0}
