"""Writes of agents: registering, changing and deleting them.

Nothing here trusts its caller about the organisation: the API and the admin
pass the caller's own, and only an operator at the shell may move an agent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from agents import appearance
from agents.models import Agent

# The limits an agent sets as text, where blank is the server's default.
LIMIT_SETTINGS = (
    "sessions_per_ip",
    "messages_per_session",
    "messages_per_agent",
    "budget_per_session",
    "budget_per_visitor_day",
    "budget_per_agent_day",
    "enforcement",
)
# The widget's look and words (agents.appearance; the public config endpoint serves them).
# "avatar" is the image's bytes, or None to remove it: its type and digest follow from them.
WIDGET_SETTINGS = (
    "brand_color",
    "launcher_label",
    "panel_title",
    "position",
    "theme",
    "greeting",
    "suggested_questions",
    "avatar",
    "visitor_erasure",
)
EDITABLE = (
    "name",
    "model",
    "system_prompt",
    "max_iterations",
    "enabled",
    "tools",
    "confirm_tools",
    "end_user_tools",
    *LIMIT_SETTINGS,
    *WIDGET_SETTINGS,
)


class AgentInUse(Exception):
    """The agent has sessions; they are the record of what was said, so it is disabled, not deleted."""


class AgentExists(Exception):
    """An agent with this id is registered already."""


def register_on_first_use(agent_id: uuid.UUID) -> Agent:
    """An agent nobody configured, used for the first time (WIDGET_AUTH_STRICT unset):
    registered in SMOOTH_DEFAULT_ORG_ID, and owned from then on."""
    defaults = {"organization_id": settings.SMOOTH_DEFAULT_ORG_ID, "name": settings.SMOOTH_AGENT_NAME}
    try:
        with transaction.atomic():
            agent, _ = Agent.objects.get_or_create(id=agent_id, defaults=defaults)
    except IntegrityError:  # a concurrent first use registered it first
        agent = Agent.objects.get(id=agent_id)
    return agent


def registered_for_operator(agent_id: uuid.UUID, organization_id: str | None = None) -> Agent:
    """The agent an operator names at the shell, registered (in `organization_id`,
    or the default one) if nobody has used it yet. An agent of another organisation
    is not moved by the way: that is `move_agent`, said on purpose."""
    agent = Agent.objects.filter(id=agent_id).first()
    if agent is None:
        return create_agent(organization_id=organization_id or settings.SMOOTH_DEFAULT_ORG_ID, agent_id=agent_id)
    if organization_id is not None and organization_id != agent.organization_id:
        raise AgentExists(
            f"agent {agent_id} belongs to organisation {agent.organization_id!r}; "
            f"move it with: manage.py agent set --agent {agent_id} --org {organization_id}"
        )
    return agent


@transaction.atomic
def create_agent(*, organization_id: str, name: str | None = None, agent_id: uuid.UUID | None = None, **fields) -> Agent:
    if agent_id is not None and Agent.objects.filter(id=agent_id).exists():
        raise AgentExists(f"agent {agent_id} is already registered")
    agent = Agent(id=agent_id or uuid.uuid4(), organization_id=organization_id, name=name or settings.SMOOTH_AGENT_NAME)
    return _save(agent, fields)


@transaction.atomic
def update_agent(agent: Agent, **fields) -> Agent:
    return _save(agent, fields)


def move_agent(agent: Agent, organization_id: str) -> Agent:
    """For operators only: the agent's future sessions and knowledge are the new organisation's."""
    agent.organization_id = organization_id
    agent.full_clean()
    agent.save(update_fields=["organization_id", "updated_at"])
    return agent


def delete_agent(agent: Agent) -> None:
    try:
        agent.delete()
    except ProtectedError:
        raise AgentInUse(f"agent {agent.id} has sessions; disable it instead of deleting it") from None


def _save(agent: Agent, fields: dict) -> Agent:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not agent settings: {', '.join(sorted(unknown))}")
    if "avatar" in fields:
        try:
            fields = {**fields, **appearance.avatar_fields(fields["avatar"])}
        except ValidationError as exc:
            raise ValidationError({"avatar": exc.messages}) from None
    if fields.get("brand_color"):
        fields["brand_color"] = fields["brand_color"].lower()
    for name, value in fields.items():
        setattr(agent, name, value)
    agent.full_clean()
    agent.save()
    return agent
