"""Reads of embed policies."""
from __future__ import annotations

import uuid

from channels.db import database_sync_to_async
from django.conf import settings
from django.db.models import Q

from widget_auth.models import WidgetPolicy

# The key schemes as operators and API clients name them ("none" is stored blank).
SCHEME_BY_NAME = {"none": WidgetPolicy.KeyScheme.NONE, "ed25519": WidgetPolicy.KeyScheme.ED25519, "hmac-sha256": WidgetPolicy.KeyScheme.HMAC_SHA256}


def policies_of(organization_id: str):
    """The organisation's policies; a blank organisation on a policy means the default one."""
    mine = Q(organization_id=organization_id)
    if organization_id == settings.SMOOTH_DEFAULT_ORG_ID:
        mine |= Q(organization_id="")
    return WidgetPolicy.objects.filter(mine)


def describe_policy(policy: WidgetPolicy) -> dict:
    """A policy as operators and the API show it: everything but the HMAC secret."""
    return {
        "agentId": str(policy.agent_id),
        "organizationId": policy.organization_id or settings.SMOOTH_DEFAULT_ORG_ID,
        "allowedOrigins": policy.allowed_origins,
        "keyScheme": policy.key_scheme or "none",
        "publicKey": policy.public_key or None,
        "hmacSecretSet": bool(policy.hmac_secret),
        "keyFingerprint": policy.key_fingerprint or None,
        "enabled": policy.enabled,
        "notes": policy.notes,
        "createdAt": policy.created_at.isoformat(),
        "updatedAt": policy.updated_at.isoformat(),
    }


async def policy_for_agent(agent_id: uuid.UUID) -> WidgetPolicy | None:
    # database_sync_to_async (not afirst): it closes stale connections around the call.
    return await database_sync_to_async(WidgetPolicy.objects.filter(agent_id=agent_id).first)()
