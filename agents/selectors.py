"""Reads of agents."""

from __future__ import annotations

import uuid

from agents.models import Agent


def agent_with_policy(agent_id: uuid.UUID) -> Agent | None:
    """The agent with its embed policy (one query), or None when it is not registered."""
    return Agent.objects.select_related("embed_policy").filter(id=agent_id).first()


def agents_of(organization_id: str):
    return Agent.objects.filter(organization_id=organization_id)


def embed_policy_of(agent: Agent):
    """The agent's embed policy, or None. (The reverse one-to-one raises when missing.)"""
    return getattr(agent, "embed_policy", None)
