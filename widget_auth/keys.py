"""Key and signature encodings: base64 (standard or URL-safe, padding optional) and hex."""

from __future__ import annotations

import base64
import binascii
import re

from nacl.bindings import crypto_core_ed25519_is_valid_point

ED25519_KEY_BYTES = 32
ED25519_SIGNATURE_BYTES = 64
_HEX_RE = re.compile(r"^[0-9a-fA-F]+$")


class InvalidKey(ValueError):
    """Text that does not decode to the key or signature expected."""


def decode_base64(text: str) -> bytes:
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey("not valid base64") from None


def encode_base64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def decode_ed25519_public_key(text: str) -> bytes:
    """The 32 bytes of a valid Ed25519 public key written in base64."""
    raw = decode_base64(text)
    if len(raw) != ED25519_KEY_BYTES:
        raise InvalidKey(f"an Ed25519 public key is {ED25519_KEY_BYTES} bytes; this decodes to {len(raw)}")
    if not crypto_core_ed25519_is_valid_point(raw):
        raise InvalidKey("these 32 bytes are not a valid Ed25519 public key")
    return raw


def decode_ed25519_private_key(text: str) -> bytes:
    """The 32-byte seed of an Ed25519 private key written in base64."""
    raw = decode_base64(text)
    if len(raw) != ED25519_KEY_BYTES:
        raise InvalidKey(f"an Ed25519 private key is a {ED25519_KEY_BYTES}-byte seed; this decodes to {len(raw)}")
    return raw


def decode_ed25519_signature(text: str) -> bytes:
    """A 64-byte signature written as 128 hex digits or in base64."""
    if len(text) == 2 * ED25519_SIGNATURE_BYTES and _HEX_RE.match(text):
        raw = bytes.fromhex(text)
    else:
        raw = decode_base64(text)
    if len(raw) != ED25519_SIGNATURE_BYTES:
        raise InvalidKey(f"an Ed25519 signature is {ED25519_SIGNATURE_BYTES} bytes")
    return raw
