"""Reads of embed policies."""
from __future__ import annotations

import uuid

from channels.db import database_sync_to_async

from widget_auth.models import WidgetPolicy


async def policy_for_agent(agent_id: uuid.UUID) -> WidgetPolicy | None:
    # database_sync_to_async (not afirst): it closes stale connections around the call.
    return await database_sync_to_async(WidgetPolicy.objects.filter(agent_id=agent_id).first)()
