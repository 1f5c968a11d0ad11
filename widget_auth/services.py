"""The embed decision and policy writes.

`decide_embed` is the whole of PROTOCOL.md's "Embeddable-widget auth", as a pure
function of the policy, the handshake Origin, the optional authContext and the
clock, so it is checked before anything is stored and tested without a socket.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from widget_auth.exceptions import AgentNotAuthorized, AuthContextInvalid, OriginNotAllowed
from widget_auth.models import WidgetPolicy
from widget_auth.origins import origin_allowed
from widget_auth.signatures import AuthContext, verify_auth_context


@dataclass(frozen=True)
class VerifiedIdentity:
    user_id: str
    scheme: str


@dataclass(frozen=True)
class EmbedDecision:
    organization_id: str
    identity: VerifiedIdentity | None


def decide_embed(
    *,
    policy: WidgetPolicy | None,
    origin: str | None,
    auth_context: AuthContext | None,
    now: int,
    strict: bool,
    default_organization_id: str,
) -> EmbedDecision:
    """Allow the session (saying for which organisation and verified user) or raise WidgetAuthError."""
    if policy is None:
        if strict:
            raise AgentNotAuthorized("this agent has no embed policy and the server requires one")
        if auth_context is not None:
            raise AuthContextInvalid("this agent has no embed policy, so no key to verify an authContext with")
        return EmbedDecision(default_organization_id, None)

    if not policy.enabled:
        raise AgentNotAuthorized("embedding of this agent is disabled")
    if not origin:
        raise OriginNotAllowed("this agent may only be embedded from allowed origins, and the connection sent no Origin")
    if not origin_allowed(origin, policy.allowed_origins):
        raise OriginNotAllowed(f"origin {origin[:200]!r} may not embed this agent")

    identity = None
    if auth_context is not None:
        key = policy.public_key if policy.key_scheme == WidgetPolicy.KeyScheme.ED25519 else policy.hmac_secret
        verify_auth_context(
            scheme=policy.key_scheme,
            key=key,
            context=auth_context,
            now=now,
            max_skew=settings.WIDGET_AUTH_MAX_SKEW_SECONDS,
        )
        identity = VerifiedIdentity(auth_context.user_id, policy.key_scheme)
    return EmbedDecision(policy.organization_id or default_organization_id, identity)


@transaction.atomic
def save_policy(*, agent_id: uuid.UUID, **fields) -> tuple[WidgetPolicy, bool]:
    """Create or update the agent's policy with the given fields, validated as the admin validates."""
    policy = WidgetPolicy.objects.select_for_update().filter(agent_id=agent_id).first()
    created = policy is None
    if created:
        policy = WidgetPolicy(agent_id=agent_id)
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.key_scheme != WidgetPolicy.KeyScheme.HMAC_SHA256:
        policy.hmac_secret = ""  # never keep a secret the policy no longer uses
    if policy.key_scheme != WidgetPolicy.KeyScheme.ED25519:
        policy.public_key = ""
    policy.full_clean()
    policy.save()
    return policy, created
