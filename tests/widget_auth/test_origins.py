import pytest

from widget_auth.origins import InvalidOrigin, normalize_origin_pattern, origin_allowed

CASES = [
    # pattern, origin, allowed
    ("*", "https://anything.example", True),
    ("*", "null", True),
    ("*", None, False),
    ("*", "", False),
    ("https://app.example.com", "https://app.example.com", True),
    ("https://app.example.com", "https://APP.Example.COM", True),
    ("https://app.example.com", "https://app.example.com:443", True),
    ("https://app.example.com", "https://app.example.com:8443", False),
    ("https://app.example.com", "http://app.example.com", False),
    ("https://app.example.com", "https://other.example.com", False),
    ("https://app.example.com", "https://app.example.com.evil.test", False),
    ("https://app.example.com", "null", False),
    ("http://localhost:8000", "http://localhost:8000", True),
    ("http://localhost:8000", "http://localhost", False),
    ("https://*.good.example.com", "https://good.example.com", True),
    ("https://*.good.example.com", "https://a.good.example.com", True),
    ("https://*.good.example.com", "https://a.b.good.example.com", True),
    ("https://*.good.example.com", "https://A.GOOD.example.com", True),
    ("https://*.good.example.com", "https://evilgood.example.com", False),
    ("https://*.good.example.com", "https://good.example.com.evil.test", False),
    ("https://*.good.example.com", "http://a.good.example.com", False),
    ("https://*.good.example.com", "https://a.good.example.com:8443", False),
    ("https://*.good.example.com", "https://example.com", False),
    ("http://*.localhost:8000", "http://shop.localhost:8000", True),
    ("http://[::1]:8000", "http://[::1]:8000", True),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000", True),
    ("http://127.0.0.1:8000", "http://127.0.0.2:8000", False),
]


@pytest.mark.parametrize("pattern, origin, allowed", CASES)
def test_origin_matching(pattern, origin, allowed):
    assert origin_allowed(origin, [pattern]) is allowed


def test_an_empty_list_allows_nothing():
    assert origin_allowed("https://app.example.com", []) is False


def test_garbage_origins_never_match_a_specific_pattern():
    for origin in ["app.example.com", "https://", "https://app.example.com/path", "javascript:alert(1)", "https://a b"]:
        assert origin_allowed(origin, ["https://app.example.com", "https://*.example.com"]) is False


def test_any_of_several_patterns_may_match():
    assert origin_allowed("https://b.example.org", ["https://a.example.com", "https://*.example.org"])


def test_a_malformed_stored_pattern_matches_nothing_and_does_not_break_the_rest():
    assert origin_allowed("https://ok.example.com", ["https://bad/path", "https://ok.example.com"])
    assert not origin_allowed("https://bad", ["https://bad/path"])


@pytest.mark.parametrize(
    "text, normalized",
    [
        ("*", "*"),
        (" HTTPS://App.Example.com ", "https://app.example.com"),
        ("https://app.example.com:443", "https://app.example.com"),
        ("http://app.example.com:8080", "http://app.example.com:8080"),
        ("https://*.Example.com", "https://*.example.com"),
    ],
)
def test_patterns_are_normalised(text, normalized):
    assert normalize_origin_pattern(text) == normalized


@pytest.mark.parametrize(
    "text, message",
    [
        ("app.example.com", "is not an origin"),
        ("ftp://app.example.com", "the scheme must be http or https"),
        ("https://app.example.com/", "an origin has no path"),
        ("https://app.example.com?x=1", "an origin has no path"),
        ("https://user@app.example.com", "an origin has no path"),
        ("https://app.*.com", "a wildcard may only stand first"),
        ("https://*", "a wildcard may only stand first"),
        ("https://exa_mple.com", "is not a valid host name"),
        ("https://app.example.com:0", "the port must be a number from 1 to 65535"),
        ("https://app.example.com:99999", "the port must be a number from 1 to 65535"),
        ("https://app.example.com:abc", "the port must be a number from 1 to 65535"),
        ("http://[::1", "malformed IPv6 address"),
        ("http://*.[::1]", "a wildcard needs a host name"),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(text, message):
    with pytest.raises(InvalidOrigin, match=message.replace("?", r"\?").replace("*", r"\*")):
        normalize_origin_pattern(text)
