"""Bearer tokens (JWT) to principals, with PyJWT.

The algorithm is pinned by the configured key, never taken from the token:
HS256 with AUTH_JWT_HS256_SECRET, RS256 with AUTH_JWT_RS256_PUBLIC_KEY. `exp`
is required; issuer and audience are enforced when configured. Refusals say why
in words, never echoing the token.
"""

from __future__ import annotations

from typing import Any

import jwt
from django.conf import settings

from identity.principals import Principal, Role

LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    """The token does not make a principal; the message is safe to log."""


def _key_and_algorithm() -> tuple[str, str]:
    if settings.AUTH_JWT_RS256_PUBLIC_KEY:
        return settings.AUTH_JWT_RS256_PUBLIC_KEY, "RS256"
    return settings.AUTH_JWT_HS256_SECRET or "", "HS256"  # AUTH_MODE=jwt needs one of them (checked at start-up)


def principal_from_claims(claims: dict) -> Principal:
    user_id = claims.get("sub")
    organization_id = claims.get("org") or claims.get("org_id")
    if not isinstance(user_id, str) or not user_id:
        raise InvalidToken("the token has no subject (sub)")
    if not isinstance(organization_id, str) or not organization_id:
        raise InvalidToken("the token names no organisation (org or org_id)")
    role_name = claims.get("role", "basic")
    try:
        role = Role[str(role_name).upper()]
    except KeyError:
        raise InvalidToken(f"unknown role {str(role_name)[:40]!r}; one of admin, curator, basic") from None
    groups = claims.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
        raise InvalidToken("groups must be a list of strings")
    return Principal(
        user_id=user_id,
        organization_id=organization_id,
        role=role,
        groups=frozenset(groups),
        name=str(claims.get("name") or ""),
        email=str(claims.get("email") or ""),
    )


def verify_token(token: str) -> Principal:
    key, algorithm = _key_and_algorithm()
    options: Any = {"require": ["exp", "sub"], "verify_aud": bool(settings.AUTH_JWT_AUDIENCE), "verify_iss": bool(settings.AUTH_JWT_ISSUER)}
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.AUTH_JWT_AUDIENCE or None,
            issuer=settings.AUTH_JWT_ISSUER or None,
            leeway=LEEWAY_SECONDS,
            options=options,
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("the token has expired") from None
    except jwt.ImmatureSignatureError:
        raise InvalidToken("the token is not valid yet") from None
    except jwt.InvalidAudienceError:
        raise InvalidToken("the token is for another audience") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("the token is from another issuer") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"the token lacks the {exc.claim} claim") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidToken(f"the token is not signed with {algorithm}") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("the token's signature does not verify") from None
    except jwt.PyJWTError:
        raise InvalidToken("the token is malformed") from None
    return principal_from_claims(claims)


def principal_for_token(token: str | None) -> Principal | None:
    """The /ws principal: a valid token in jwt mode, else None (anonymous)."""
    if not token or settings.AUTH_MODE != "jwt":
        return None
    return verify_token(token)
