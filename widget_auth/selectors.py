"""Reads of embed policies."""

from __future__ import annotations

from widget_auth.models import WidgetPolicy

# The key schemes as operators and API clients name them ("none" is stored blank).
SCHEME_BY_NAME = {
    "none": WidgetPolicy.KeyScheme.NONE,
    "ed25519": WidgetPolicy.KeyScheme.ED25519,
    "hmac-sha256": WidgetPolicy.KeyScheme.HMAC_SHA256,
}


def policies_of(organization_id: str):
    """The policies of the organisation's agents."""
    return WidgetPolicy.objects.filter(agent__organization_id=organization_id).select_related("agent")


def describe_policy(policy: WidgetPolicy) -> dict:
    """A policy as operators and the API show it: everything but the HMAC secret."""
    return {
        "agentId": str(policy.agent_id),
        "organizationId": policy.agent.organization_id,
        "allowedOrigins": policy.allowed_origins,
        "keyScheme": policy.key_scheme or "none",
        "publicKey": policy.public_key or None,
        "hmacSecretSet": bool(policy.hmac_secret),
        "keyFingerprint": policy.key_fingerprint or None,
        "acceptLegacyAuthContext": policy.accept_legacy_auth_context,
        "enabled": policy.enabled,
        "notes": policy.notes,
        "createdAt": policy.created_at.isoformat(),
        "updatedAt": policy.updated_at.isoformat(),
    }
