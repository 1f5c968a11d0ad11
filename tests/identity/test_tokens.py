import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from identity.principals import Role
from identity.tokens import InvalidToken, verify_token
from tests.identity.tokens import HS_SECRET, make_token


@pytest.fixture
def hs256(jwt_hs256):
    return jwt_hs256


@pytest.fixture
def rs256(settings):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    public = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings.AUTH_MODE, settings.AUTH_JWT_HS256_SECRET, settings.AUTH_JWT_RS256_PUBLIC_KEY = "jwt", None, public
    settings.AUTH_JWT_ISSUER = settings.AUTH_JWT_AUDIENCE = None
    return {"private": pem, "public": public}


def test_a_valid_token_is_a_principal(hs256):
    principal = verify_token(
        make_token(
            {"sub": "u-9", "org_id": "globex", "org": None, "role": "curator", "groups": ["support"], "name": "Ann", "email": "ann@x.test"}
        )
    )
    assert (principal.user_id, principal.organization_id, principal.role) == ("u-9", "globex", Role.CURATOR)
    assert principal.groups == frozenset({"support"}) and (principal.name, principal.email) == ("Ann", "ann@x.test")
    assert principal.access.user_id == "u-9" and principal.access.groups == frozenset({"support"})
    assert principal.at_least(Role.BASIC) and not principal.at_least(Role.ADMIN)


def test_rs256_tokens_verify_with_the_public_key(rs256):
    assert verify_token(make_token(key=rs256["private"], algorithm="RS256")).user_id == "user-1"


@pytest.mark.parametrize(
    "token_kwargs, words",
    [
        # Times as functions, read when the test runs: read at collection, a long suite had
        # passed the "not valid yet" moment before this test ran.
        ({"exp": lambda: int(time.time()) - 120}, "expired"),
        ({"nbf": lambda: int(time.time()) + 600}, "not valid yet"),
        ({"key": "another-secret-entirely-and-long-enough"}, "signature does not verify"),
        ({"exp": None}, "lacks the exp claim"),
        ({"sub": None}, "lacks the sub claim"),
        ({"org": None}, "names no organisation"),
        ({"role": "owner"}, "unknown role"),
        ({"groups": "support"}, "groups must be a list"),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(hs256, token_kwargs, words):
    claims = {k: v() if callable(v) else v for k, v in token_kwargs.items() if k != "key"}
    token = make_token(claims, key=token_kwargs.get("key", HS_SECRET)) if "key" in token_kwargs else make_token(claims)
    with pytest.raises(InvalidToken, match=words):
        verify_token(token)


def test_issuer_and_audience_are_enforced_when_set(hs256, settings):
    settings.AUTH_JWT_ISSUER, settings.AUTH_JWT_AUDIENCE = "https://idp.example", "smooth"
    assert verify_token(make_token(iss="https://idp.example", aud="smooth")).user_id == "user-1"
    with pytest.raises(InvalidToken, match="another issuer"):
        verify_token(make_token(iss="https://evil.example", aud="smooth"))
    with pytest.raises(InvalidToken, match="another audience"):
        verify_token(make_token(iss="https://idp.example", aud="other"))


def test_alg_none_is_refused(hs256):
    token = jwt.encode({"sub": "u", "org": "acme", "exp": int(time.time()) + 60}, None, algorithm="none")
    with pytest.raises(InvalidToken, match="not signed with HS256"):
        verify_token(token)


def test_an_hs256_token_is_refused_by_an_rs256_configuration(rs256):
    # The classic confusion: sign HS256 with the public key as the secret.
    forged = jwt.encode({"sub": "u", "org": "acme", "exp": int(time.time()) + 60}, "any-secret-value-long-enough-here", algorithm="HS256")
    with pytest.raises(InvalidToken, match="not signed with RS256"):
        verify_token(forged)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 5000])
def test_garbage_is_refused_without_echoing_it(hs256, garbage):
    with pytest.raises(InvalidToken) as error:
        verify_token(garbage)
    assert garbage[:20] not in str(error.value) or garbage == ""
