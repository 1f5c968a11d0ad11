"""authContext signing and verification.

A host backend vouches for its logged-in user by signing one of two UTF-8 strings
(timestamp in unix seconds):

- bound (Smooth's "v2"): "v2:{agentId}:{origin}:{timestamp}:{userId}", naming the
  agent and the embedding page's origin ("" when the client sends none), so a
  context made for one agent or site verifies for no other, even where two
  agents share a key. The timestamp stands before the user id, which may itself
  contain ":": a port is at most 5 digits and a fresh timestamp 10, so no two
  (origin, timestamp, userId) give the same string.
- legacy: "{userId}:{timestamp}", as every smooth-operator host signs it.

Ed25519 is the real thing: the host keeps the private key and Smooth holds only
the public key. HMAC-SHA256 over a shared secret (lowercase hex) is accepted for
existing smooth-operator hosts. Both are refused outside a window around the
server clock. A verified context yields the fingerprint of its signature, which
the replay cache uses to accept each context once.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from widget_auth.exceptions import AuthContextInvalid
from widget_auth.keys import (
    InvalidKey,
    decode_ed25519_private_key,
    decode_ed25519_public_key,
    decode_ed25519_signature,
    encode_base64,
)

ED25519 = "ed25519"
HMAC_SHA256 = "hmac-sha256"
BOUND = "v2"
LEGACY = "legacy"


@dataclass(frozen=True)
class AuthContext:
    user_id: str
    signature: str
    timestamp: int


@dataclass(frozen=True)
class Verification:
    format: str  # BOUND or LEGACY: which message the signature is over
    fingerprint: str  # sha256 of the signature's canonical bytes (however it was encoded)


def signed_message(user_id: str, timestamp: int, *, agent_id: uuid.UUID | str | None = None, origin: str | None = None) -> bytes:
    """The bound message when an agent is named, else the legacy one."""
    if agent_id is None:
        return f"{user_id}:{timestamp}".encode()
    return f"{BOUND}:{agent_id}:{origin or ''}:{timestamp}:{user_id}".encode()


def generate_ed25519_key_pair() -> tuple[str, str]:
    """(private seed, public key), both base64."""
    signing_key = SigningKey.generate()
    return encode_base64(bytes(signing_key)), encode_base64(bytes(signing_key.verify_key))


def sign_ed25519(private_key: str, user_id: str, timestamp: int, *, agent_id=None, origin: str | None = None) -> str:
    seed = decode_ed25519_private_key(private_key)
    return encode_base64(SigningKey(seed).sign(signed_message(user_id, timestamp, agent_id=agent_id, origin=origin)).signature)


def sign_hmac_sha256(secret: str, user_id: str, timestamp: int, *, agent_id=None, origin: str | None = None) -> str:
    message = signed_message(user_id, timestamp, agent_id=agent_id, origin=origin)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify_auth_context(
    *, scheme: str, key: str, context: AuthContext, now: int, max_skew: int, agent_id, origin: str | None, accept_legacy: bool
) -> Verification:
    """Which message `context` is a fresh signature over, by `key`; AuthContextInvalid otherwise."""
    if abs(now - context.timestamp) > max_skew:
        raise AuthContextInvalid(f"authContext timestamp is more than {max_skew} s away from the server clock")
    if scheme == ED25519:
        check, canonical = _ed25519_checker(key, context)
    elif scheme == HMAC_SHA256:
        check, canonical = _hmac_checker(key, context)
    else:
        raise AuthContextInvalid("this agent has no key to verify an authContext with")
    formats = [(BOUND, {"agent_id": agent_id, "origin": origin})] + ([(LEGACY, {})] if accept_legacy else [])
    for name, binding in formats:
        if check(signed_message(context.user_id, context.timestamp, **binding)):
            return Verification(name, hashlib.sha256(scheme.encode() + b":" + canonical).hexdigest())
    raise AuthContextInvalid("authContext signature does not verify")


def _ed25519_checker(public_key: str, context: AuthContext):
    try:
        verify_key = VerifyKey(decode_ed25519_public_key(public_key))
        signature = decode_ed25519_signature(context.signature)
    except (InvalidKey, ValueError):
        raise AuthContextInvalid("authContext signature does not verify") from None

    def check(message: bytes) -> bool:
        try:
            verify_key.verify(message, signature)
            return True
        except BadSignatureError:
            return False

    # The decoded bytes: base64, URL-safe base64 and hex of one signature are one signature.
    return check, signature


def _hmac_checker(secret: str, context: AuthContext):
    given = context.signature.encode("utf-8")

    def check(message: bytes) -> bool:
        expected = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
        # Bytes on both sides: compare_digest refuses non-ASCII str, and a garbage
        # signature must fail the same constant-time way as a wrong one.
        return hmac.compare_digest(expected.encode("ascii"), given)

    return check, given
