"""Reads of agents."""

from __future__ import annotations

import copy
import uuid

from agents.models import Agent


def agents_with_policy(agent_ids: list[uuid.UUID]) -> list[Agent | None]:
    """Each agent with its embed policy, in order, or None where it is not registered: one
    query for the list, and a separate instance for each position, so no caller sees another's."""
    found = {agent.id: agent for agent in Agent.objects.select_related("embed_policy").filter(id__in=set(agent_ids))}
    return [copy.copy(found[agent_id]) if agent_id in found else None for agent_id in agent_ids]


def agents_of(organization_id: str):
    return Agent.objects.filter(organization_id=organization_id)


def embed_policy_of(agent: Agent):
    """The agent's embed policy, or None. (The reverse one-to-one raises when missing.)"""
    return getattr(agent, "embed_policy", None)


async def agent_for_widget(agent_id: uuid.UUID, *, with_avatar: bool = False) -> Agent | None:
    """The agent with its embed policy, in one query, for the widget's public endpoints; its
    avatar's bytes only when they are what is asked for."""
    agents = Agent.objects.select_related("embed_policy").filter(id=agent_id)
    return await (agents if with_avatar else agents.defer("avatar")).afirst()
