"""authContext signing and verification.

A host backend vouches for its logged-in user by signing the UTF-8 string
"{userId}:{timestamp}" (timestamp in unix seconds). Ed25519 is the real thing:
the host keeps the private key and Smooth holds only the public key. HMAC-SHA256
over a shared secret (lowercase hex) is accepted for existing smooth-operator
hosts. Both are refused outside a window around the server clock.
"""
from __future__ import annotations

import hashlib
import hmac
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


@dataclass(frozen=True)
class AuthContext:
    user_id: str
    signature: str
    timestamp: int


def signed_message(user_id: str, timestamp: int) -> bytes:
    return f"{user_id}:{timestamp}".encode("utf-8")


def generate_ed25519_key_pair() -> tuple[str, str]:
    """(private seed, public key), both base64."""
    signing_key = SigningKey.generate()
    return encode_base64(bytes(signing_key)), encode_base64(bytes(signing_key.verify_key))


def sign_ed25519(private_key: str, user_id: str, timestamp: int) -> str:
    seed = decode_ed25519_private_key(private_key)
    return encode_base64(SigningKey(seed).sign(signed_message(user_id, timestamp)).signature)


def sign_hmac_sha256(secret: str, user_id: str, timestamp: int) -> str:
    return hmac.new(secret.encode("utf-8"), signed_message(user_id, timestamp), hashlib.sha256).hexdigest()


def verify_auth_context(*, scheme: str, key: str, context: AuthContext, now: int, max_skew: int) -> None:
    """Return if `context` is signed by `key` and fresh; raise AuthContextInvalid otherwise."""
    if abs(now - context.timestamp) > max_skew:
        raise AuthContextInvalid(f"authContext timestamp is more than {max_skew} s away from the server clock")
    if scheme == ED25519:
        _verify_ed25519(key, context)
    elif scheme == HMAC_SHA256:
        _verify_hmac(key, context)
    else:
        raise AuthContextInvalid("this agent has no key to verify an authContext with")


def _verify_ed25519(public_key: str, context: AuthContext) -> None:
    try:
        verify_key = VerifyKey(decode_ed25519_public_key(public_key))
        signature = decode_ed25519_signature(context.signature)
        verify_key.verify(signed_message(context.user_id, context.timestamp), signature)
    except (InvalidKey, BadSignatureError, ValueError):
        raise AuthContextInvalid("authContext signature does not verify") from None


def _verify_hmac(secret: str, context: AuthContext) -> None:
    expected = sign_hmac_sha256(secret, context.user_id, context.timestamp)
    # Bytes on both sides: compare_digest refuses non-ASCII str, and a garbage
    # signature must fail the same constant-time way as a wrong one.
    if not hmac.compare_digest(expected.encode("ascii"), context.signature.encode("utf-8")):
        raise AuthContextInvalid("authContext signature does not verify")
