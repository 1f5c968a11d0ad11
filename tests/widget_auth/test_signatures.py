import base64
import time
import uuid

import pytest

from widget_auth.exceptions import AuthContextInvalid
from widget_auth.keys import encode_base64
from widget_auth.signatures import (
    AuthContext,
    generate_ed25519_key_pair,
    sign_ed25519,
    sign_hmac_sha256,
    signed_message,
    verify_auth_context,
)

NOW = 1_800_000_000
AGENT = uuid.UUID(int=0xA9)
OTHER_AGENT = uuid.UUID(int=0xB9)
SITE = "https://shop.example.com"
PRIVATE, PUBLIC = generate_ed25519_key_pair()
OTHER_PRIVATE, OTHER_PUBLIC = generate_ed25519_key_pair()
SECRET = "shared-secret-for-tests"


def verify(scheme, key, user_id, signature, timestamp, now=NOW, agent_id=AGENT, origin=SITE, accept_legacy=True):
    return verify_auth_context(
        scheme=scheme,
        key=key,
        context=AuthContext(user_id, signature, timestamp),
        now=now,
        max_skew=60,
        agent_id=agent_id,
        origin=origin,
        accept_legacy=accept_legacy,
    )


def test_the_legacy_string_is_user_id_colon_timestamp_in_utf8():
    assert signed_message("zoë", 17) == "zoë:17".encode()


def test_the_bound_string_names_the_agent_and_origin_before_timestamp_and_user():
    assert signed_message("zoë:1", 17, agent_id=AGENT, origin=SITE) == f"v2:{AGENT}:{SITE}:17:zoë:1".encode()
    assert signed_message("u", 17, agent_id=AGENT, origin=None) == f"v2:{AGENT}::17:u".encode()


BOUND_SIGNERS = [
    ("ed25519", PUBLIC, lambda u, t, **b: sign_ed25519(PRIVATE, u, t, **b)),
    ("hmac-sha256", SECRET, lambda u, t, **b: sign_hmac_sha256(SECRET, u, t, **b)),
]


@pytest.mark.parametrize("scheme, key, sign", BOUND_SIGNERS, ids=["ed25519", "hmac-sha256"])
def test_a_bound_context_verifies_for_its_agent_and_origin_only(scheme, key, sign):
    bound = sign("alice", NOW, agent_id=AGENT, origin=SITE)
    assert verify(scheme, key, "alice", bound, NOW).format == "v2"
    for elsewhere in ({"agent_id": OTHER_AGENT}, {"origin": "https://evil.example.net"}, {"origin": None}):
        with pytest.raises(AuthContextInvalid, match="does not verify"):
            verify(scheme, key, "alice", bound, NOW, **elsewhere)


@pytest.mark.parametrize("scheme, key, sign", BOUND_SIGNERS, ids=["ed25519", "hmac-sha256"])
def test_a_policy_that_refuses_legacy_contexts_accepts_only_bound_ones(scheme, key, sign):
    assert verify(scheme, key, "alice", sign("alice", NOW), NOW).format == "legacy"
    with pytest.raises(AuthContextInvalid, match="does not verify"):
        verify(scheme, key, "alice", sign("alice", NOW), NOW, accept_legacy=False)
    assert verify(scheme, key, "alice", sign("alice", NOW, agent_id=AGENT, origin=SITE), NOW, accept_legacy=False).format == "v2"


def test_one_signature_has_one_fingerprint_however_it_is_encoded():
    signature = sign_ed25519(PRIVATE, "alice", NOW)
    raw = base64.b64decode(signature)
    encodings = [signature, raw.hex(), base64.urlsafe_b64encode(raw).decode().rstrip("=")]
    assert len({verify("ed25519", PUBLIC, "alice", encoded, NOW).fingerprint for encoded in encodings}) == 1
    assert (
        verify("ed25519", PUBLIC, "alice", sign_ed25519(PRIVATE, "alice", NOW + 1), NOW + 1).fingerprint
        != verify("ed25519", PUBLIC, "alice", signature, NOW).fingerprint
    )


@pytest.mark.parametrize("skew", [0, 60, -60])
def test_a_fresh_ed25519_signature_verifies(skew):
    verify("ed25519", PUBLIC, "alice", sign_ed25519(PRIVATE, "alice", NOW + skew), NOW + skew)


def test_a_hex_encoded_ed25519_signature_verifies_too():
    signature_hex = __import__("base64").b64decode(sign_ed25519(PRIVATE, "alice", NOW)).hex()
    verify("ed25519", PUBLIC, "alice", signature_hex, NOW)


@pytest.mark.parametrize(
    "scheme, key, sign",
    [("ed25519", PUBLIC, lambda u, t: sign_ed25519(PRIVATE, u, t)), ("hmac-sha256", SECRET, lambda u, t: sign_hmac_sha256(SECRET, u, t))],
    ids=["ed25519", "hmac-sha256"],  # the keys are made per run: ids stay the same for every worker
)
class TestBothSchemes:
    def test_good(self, scheme, key, sign):
        verify(scheme, key, "alice", sign("alice", NOW), NOW)

    def test_stale_by_61_seconds(self, scheme, key, sign):
        with pytest.raises(AuthContextInvalid, match="more than 60 s away"):
            verify(scheme, key, "alice", sign("alice", NOW - 61), NOW - 61)

    def test_61_seconds_in_the_future(self, scheme, key, sign):
        with pytest.raises(AuthContextInvalid, match="more than 60 s away"):
            verify(scheme, key, "alice", sign("alice", NOW + 61), NOW + 61)

    def test_tampered_user_id(self, scheme, key, sign):
        with pytest.raises(AuthContextInvalid, match="does not verify"):
            verify(scheme, key, "mallory", sign("alice", NOW), NOW)

    def test_tampered_timestamp(self, scheme, key, sign):
        with pytest.raises(AuthContextInvalid, match="does not verify"):
            verify(scheme, key, "alice", sign("alice", NOW), NOW + 1)

    @pytest.mark.parametrize("garbage", ["", "zz", "not base64 at all!", "é" * 10, "00" * 64, "A" * 88, encode_base64(b"\x00" * 64)])
    def test_garbage_signature(self, scheme, key, sign, garbage):
        with pytest.raises(AuthContextInvalid, match="does not verify"):
            verify(scheme, key, "alice", garbage, NOW)


def test_a_signature_by_another_ed25519_key_is_refused():
    with pytest.raises(AuthContextInvalid, match="does not verify"):
        verify("ed25519", PUBLIC, "alice", sign_ed25519(OTHER_PRIVATE, "alice", NOW), NOW)


def test_an_hmac_with_the_wrong_secret_is_refused():
    with pytest.raises(AuthContextInvalid, match="does not verify"):
        verify("hmac-sha256", SECRET, "alice", sign_hmac_sha256("other", "alice", NOW), NOW)


def test_hmac_signatures_must_be_lowercase_hex():
    with pytest.raises(AuthContextInvalid):
        verify("hmac-sha256", SECRET, "alice", sign_hmac_sha256(SECRET, "alice", NOW).upper(), NOW)


def test_a_policy_without_a_key_refuses_every_auth_context():
    with pytest.raises(AuthContextInvalid, match="no key"):
        verify("", "", "alice", "00", NOW)


def test_hmac_comparison_is_constant_time(monkeypatch):
    """The expected and given signatures are compared with hmac.compare_digest, never ==."""
    import widget_auth.signatures as signatures

    calls = []
    real = signatures.hmac.compare_digest
    monkeypatch.setattr(signatures.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    with pytest.raises(AuthContextInvalid):
        verify("hmac-sha256", SECRET, "alice", "ab" * 32, NOW)
    given = ("ab" * 32).encode()
    bound, legacy = sign_hmac_sha256(SECRET, "alice", NOW, agent_id=AGENT, origin=SITE), sign_hmac_sha256(SECRET, "alice", NOW)
    assert calls == [(bound.encode(), given), (legacy.encode(), given)]


def test_the_real_clock_is_what_the_window_is_measured_against():
    now = int(time.time())
    verify("ed25519", PUBLIC, "alice", sign_ed25519(PRIVATE, "alice", now), now, now=now)
