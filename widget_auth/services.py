"""The embed decision and policy writes.

`check_embed` and `verify_identity` are the whole of PROTOCOL.md's
"Embeddable-widget auth", as pure functions of the agent (with its policy), the
handshake Origin, the optional authContext and the clock. They run before
anything is stored when a session is created, and again on every later action
that names the session (chat.binding).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from agents.selectors import embed_policy_of
from widget_auth.exceptions import AgentNotAuthorized, AuthContextInvalid, OriginNotAllowed
from widget_auth.models import WidgetPolicy
from widget_auth.origins import origin_allowed
from widget_auth.signatures import AuthContext, verify_auth_context


@dataclass(frozen=True)
class VerifiedIdentity:
    user_id: str
    scheme: str
    format: str  # "v2" (bound to agent and origin) or "legacy"
    fingerprint: str  # the signature's, for the replay cache
    usable_until: int  # unix seconds: after this the signature is stale anyway


def check_embed(*, agent, origin: str | None, strict: bool) -> None:
    """Raise WidgetAuthError unless `agent` may be used from `origin` now. `agent` is
    None for an id nobody registered, which only strict mode refuses (without it,
    first use registers the agent)."""
    if agent is None:
        if strict:
            raise AgentNotAuthorized("the agent is not registered and WIDGET_AUTH_STRICT requires a policy")
        return
    if not agent.enabled:
        raise AgentNotAuthorized("the agent is disabled")
    policy = embed_policy_of(agent)
    if policy is None:
        if strict:
            raise AgentNotAuthorized("the agent has no embed policy and WIDGET_AUTH_STRICT requires one")
        return
    if not policy.enabled:
        raise AgentNotAuthorized("the agent's embed policy is disabled")
    if not origin:
        raise OriginNotAllowed("this agent may only be embedded from allowed origins, and the connection sent no Origin")
    if not origin_allowed(origin, policy.allowed_origins):
        raise OriginNotAllowed(f"origin {origin[:200]!r} may not embed this agent")


def verify_identity(*, agent, auth_context: AuthContext, origin: str | None, now: int) -> VerifiedIdentity:
    """The visitor `auth_context` vouches for, or AuthContextInvalid. Replays are the
    caller's to refuse (widget_auth.replay), with the fingerprint returned here."""
    policy = embed_policy_of(agent) if agent is not None else None
    if policy is None:
        raise AuthContextInvalid("this agent has no embed policy, so no key to verify an authContext with")
    key = policy.public_key if policy.key_scheme == WidgetPolicy.KeyScheme.ED25519 else policy.hmac_secret
    skew = settings.WIDGET_AUTH_MAX_SKEW_SECONDS
    verification = verify_auth_context(
        scheme=policy.key_scheme,
        key=key,
        context=auth_context,
        now=now,
        max_skew=skew,
        agent_id=agent.id,
        origin=origin,
        accept_legacy=policy.accept_legacy_auth_context,
    )
    return VerifiedIdentity(
        auth_context.user_id, policy.key_scheme, verification.format, verification.fingerprint, auth_context.timestamp + skew
    )


@transaction.atomic
def save_policy(*, agent, **fields) -> tuple[WidgetPolicy, bool]:
    """Create or update the agent's policy with the given fields, validated as the admin validates."""
    found = WidgetPolicy.objects.select_for_update().filter(agent=agent).first()
    created = found is None
    policy = WidgetPolicy(agent=agent) if found is None else found
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.key_scheme != WidgetPolicy.KeyScheme.HMAC_SHA256:
        policy.hmac_secret = ""  # never keep a secret the policy no longer uses
    if policy.key_scheme != WidgetPolicy.KeyScheme.ED25519:
        policy.public_key = ""
    policy.full_clean()
    policy.save()
    return policy, created
