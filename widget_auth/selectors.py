"""Reads of embed policies."""
from __future__ import annotations

import uuid

from widget_auth.models import WidgetPolicy


async def policy_for_agent(agent_id: uuid.UUID) -> WidgetPolicy | None:
    return await WidgetPolicy.objects.filter(agent_id=agent_id).afirst()
