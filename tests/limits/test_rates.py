"""The pieces of the rate limits: rates, the client's address, a socket's frame gate,
and the in-memory counters (the live servers' tests are in tests/e2e/test_rate_limits.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.clientip import client_ip
from limits import counters
from limits.policy import FrameGate, Verdict
from limits.rates import Rate, parse_rate


@pytest.mark.parametrize(
    "text, rate",
    [
        ("20/min", Rate(20, 60)),
        ("5/10s", Rate(5, 10)),
        ("100 / h", Rate(100, 3600)),
        ("3/2min", Rate(3, 120)),
        ("1/day", Rate(1, 86400)),
        ("7/30", Rate(7, 30)),
    ],
)
def test_a_rate_is_a_count_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["0", "", None, "0/min"])
def test_zero_or_nothing_is_no_limit(text):
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["lots", "5", "5/", "5/fortnight", "-1/min", "5/0s", "5/8day"])
def test_anything_else_is_refused_with_an_example(text):
    with pytest.raises(ValidationError, match="20/min|1 second to 7 days"):
        parse_rate(text)


def scope(peer: str, forwarded: str | None = None) -> dict:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"client": [peer, 5555], "headers": headers}


def test_the_address_is_the_peer_unless_the_peer_is_a_trusted_proxy(settings):
    settings.SMOOTH_TRUSTED_PROXIES = []
    assert client_ip(scope("198.51.100.9", "203.0.113.7")) == "198.51.100.9"  # anyone's header is their own claim
    settings.SMOOTH_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    assert client_ip(scope("198.51.100.9", "203.0.113.7")) == "198.51.100.9"  # not a proxy of ours
    assert client_ip(scope("10.1.2.3", "203.0.113.7")) == "203.0.113.7"
    # A visitor's forged first hop, then the addresses our proxies appended: the nearest untrusted one.
    assert client_ip(scope("10.1.2.3", "1.1.1.1, 203.0.113.7, 192.0.2.1")) == "203.0.113.7"
    assert client_ip(scope("10.1.2.3", "not-an-ip")) == "10.1.2.3"
    assert client_ip(scope("10.1.2.3")) == "10.1.2.3"
    assert client_ip({"headers": []}) == "unknown"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_socket_over_its_frame_rate_is_told_once_a_window_and_closed_when_the_flood_goes_on(settings):
    settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET = "3/s"
    settings.SMOOTH_FLOOD_CLOSE_AFTER = 3
    clock = Clock()
    gate = FrameGate(clock)
    assert [gate.admit() for _ in range(6)] == [Verdict.PASS] * 3 + [Verdict.REFUSE, Verdict.DROP, Verdict.DROP]
    assert gate.retry_after() == pytest.approx(1.0)
    clock.now = 1.0
    assert [gate.admit() for _ in range(5)] == [Verdict.PASS] * 3 + [Verdict.REFUSE, Verdict.DROP]  # a second window over
    clock.now = 2.0
    assert [gate.admit() for _ in range(4)] == [Verdict.PASS] * 3 + [Verdict.CLOSE]  # the third in a row: closed
    calm = FrameGate(clock)
    for second in range(3, 10):  # under the rate, window after window: never closed
        clock.now = float(second)
        assert {calm.admit() for _ in range(3)} == {Verdict.PASS}


def test_a_quiet_window_forgives_a_flood(settings):
    settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET = "2/s"
    settings.SMOOTH_FLOOD_CLOSE_AFTER = 2
    clock = Clock()
    gate = FrameGate(clock)
    assert [gate.admit() for _ in range(3)][-1] is Verdict.REFUSE
    clock.now = 5.0  # some windows with nothing at all
    assert [gate.admit() for _ in range(3)] == [Verdict.PASS, Verdict.PASS, Verdict.REFUSE]


async def test_memory_counters_count_per_key_and_window():
    counters.forget()
    rate = Rate(2, 60)
    assert [await counters.hit([("a", rate)]) for _ in range(2)] == [None, None]
    retry = await counters.hit([("a", rate)])
    assert retry is not None and 59 < retry <= 60
    assert await counters.hit([("b", rate)]) is None  # another key, another count
    assert await counters.hit([("c", Rate(5, 60)), ("a", rate)]) is not None  # any exceeded rate refuses
    assert [await counters.gauge("s", 1), await counters.gauge("s", 1), await counters.gauge("s", -1)] == [1, 2, 1]


def test_an_ipv6_visitor_counts_as_its_slash_64():
    from limits.policy import address_key

    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("203.0.113.7") == "203.0.113.7"
    assert address_key("::ffff:203.0.113.7") == "203.0.113.7"  # an IPv4 visitor on a dual-stack socket
    assert address_key("unknown") == "unknown"
