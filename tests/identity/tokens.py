"""Token makers for tests."""

import time

import jwt

HS_SECRET = "hs256-test-secret-that-is-long-enough-for-hmac"


def make_token(claims: dict | None = None, *, key: str = HS_SECRET, algorithm: str = "HS256", **overrides) -> str:
    now = int(time.time())
    payload = {"sub": "user-1", "org": "acme", "role": "basic", "groups": [], "exp": now + 300, "iat": now, **(claims or {})}
    payload.update(overrides)
    payload = {key_: value for key_, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm)
