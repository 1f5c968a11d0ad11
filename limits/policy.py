"""Which rate applies where, and the refusal a visitor reads.

- a new socket: SMOOTH_LIMIT_CONNECTIONS_PER_IP, and at most SMOOTH_LIMIT_SOCKETS_PER_IP
  open at once (server-wide: the agent is not known before the first frame);
- create_conversation_session: the agent's sessions_per_ip (else SMOOTH_LIMIT_SESSIONS_PER_IP);
- send_message: the agent's messages_per_session and messages_per_agent (else the
  SMOOTH_LIMIT_MESSAGES_* defaults), checked together before anything is stored;
- every frame: SMOOTH_LIMIT_FRAMES_PER_SOCKET, counted by the socket itself (FrameGate).

In report-only mode (limits.enforcement) a refusal is counted instead, and the action goes
on: the agent's mode for the session and message rates, the server's for the rest.
"""

from __future__ import annotations

import ipaddress
import time
from enum import Enum

from django.conf import settings

from core import metrics
from core.defaults import own_or_server
from core.windows import Counted, Window
from limits import counters, enforcement
from limits.errors import RateLimited
from limits.rates import Rate, parse_rate


def address_key(ip: str) -> str:
    """Who an address counts as: itself for IPv4, its /64 for IPv6 (one household or one
    server is given a whole /64, and could otherwise rotate through it)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _rate(agent, field: str, setting: str) -> Rate | None:
    return parse_rate(own_or_server(getattr(agent, field, ""), setting))


async def refuse(limit: str, what: str, retry: float, *, agent, origin: str | None) -> None:
    """RATE_LIMITED for `limit` (limits.errors.TOO_MANY), or in report-only mode a count
    of it, reported as `what` (and nothing refused)."""
    if enforcement.reporting(agent):
        await enforcement.areport(agent=agent, kind=enforcement.Kind.RATE_LIMIT, reason=what, origin=origin)
        return
    metrics.refusals.labels(kind=enforcement.Kind.RATE_LIMIT, mode=metrics.ENFORCED).inc()
    raise RateLimited(limit, retry)


async def check_connection(ip: str, origin: str | None = None) -> None:
    rate = parse_rate(settings.SMOOTH_LIMIT_CONNECTIONS_PER_IP)
    retry = await counters.hit([(f"connections:{address_key(ip)}", rate)] if rate else [])
    if retry is not None:
        await refuse("connections", "new connections from your address", retry, agent=None, origin=origin)


async def open_socket(ip: str, origin: str | None = None) -> bool:
    """Count a socket of `ip` open; False (and not counted) when it would pass the limit
    (counted, and True, in report-only mode)."""
    limit = settings.SMOOTH_LIMIT_SOCKETS_PER_IP
    if not limit:
        return True
    if await counters.gauge(f"sockets:{address_key(ip)}", 1) > limit:
        if enforcement.reporting(None):
            await enforcement.areport(agent=None, kind=enforcement.Kind.RATE_LIMIT, reason="open sockets from your address", origin=origin)
            return True
        await counters.gauge(f"sockets:{address_key(ip)}", -1)
        metrics.refusals.labels(kind=enforcement.Kind.RATE_LIMIT, mode=metrics.ENFORCED).inc()
        return False
    return True


async def close_socket(ip: str) -> None:
    if settings.SMOOTH_LIMIT_SOCKETS_PER_IP:
        await counters.gauge(f"sockets:{address_key(ip)}", -1)


async def check_new_session(ip: str, agent_id, agent, origin: str | None = None) -> None:
    """`agent` is None for an id nobody registered yet (its first session registers it)."""
    rate = _rate(agent, "sessions_per_ip", "SMOOTH_LIMIT_SESSIONS_PER_IP")
    retry = await counters.hit([(f"sessions:{agent_id}:{address_key(ip)}", rate)] if rate else [])
    if retry is not None:
        await refuse("sessions", "new conversations from your address", retry, agent=agent, origin=origin)


def message_windows(session) -> list[Window]:
    """The agent's messages_per_session and messages_per_agent, as windows; counted only
    (never refusing) in report-only mode."""
    agent, enforced = session.agent, not enforcement.reporting(session.agent)
    windows = []
    per_session = _rate(agent, "messages_per_session", "SMOOTH_LIMIT_MESSAGES_PER_SESSION")
    if per_session:
        windows.append(counters.window(f"messages:session:{session.session_id}", per_session, enforced=enforced))
    per_agent = _rate(agent, "messages_per_agent", "SMOOTH_LIMIT_MESSAGES_PER_AGENT")
    if per_agent and session.agent_id is not None:
        windows.append(counters.window(f"messages:agent:{session.agent_id}", per_agent, enforced=enforced))
    return windows


async def message_counted(session, counted: list[Counted]) -> None:
    retry = counters.retry_after(counted)
    if retry is not None:
        await refuse("messages", "messages", retry, agent=session.agent, origin=session.origin)


class Verdict(Enum):
    PASS = "pass"
    DROP = "drop"  # dropped, said already in this window
    REFUSE = "refuse"  # dropped; send one RATE_LIMITED
    CLOSE = "close"  # the flood goes on: close with 1008


class FrameGate:
    """One socket's frames per window, in the socket's own memory (it is one process's)."""

    def __init__(self, clock=time.monotonic):
        self.rate = parse_rate(settings.SMOOTH_LIMIT_FRAMES_PER_SOCKET)
        self.clock = clock
        self.window_start = clock()
        self.count = 0
        self.refused = False  # a RATE_LIMITED went out in this window
        self.flooded_windows = 0  # windows in a row that went over the rate
        self.reported_window: float | None = None  # report-only mode counted this window's excess

    def admit(self) -> Verdict:
        if self.rate is None:
            return Verdict.PASS
        now = self.clock()
        if now - self.window_start >= self.rate.seconds:
            over = self.count > self.rate.count
            elapsed_windows = int((now - self.window_start) // self.rate.seconds)
            self.flooded_windows = self.flooded_windows + 1 if over and elapsed_windows == 1 else 0
            self.window_start, self.count, self.refused = now, 0, False
        self.count += 1
        if self.count <= self.rate.count:
            return Verdict.PASS
        if self.flooded_windows + 1 >= settings.SMOOTH_FLOOD_CLOSE_AFTER and self.count > self.rate.count:
            return Verdict.CLOSE
        if self.refused:
            return Verdict.DROP
        self.refused = True
        return Verdict.REFUSE

    def report_due(self) -> bool:
        """True once a window: report-only mode counts one refusal where enforcement sends one."""
        if self.reported_window == self.window_start:
            return False
        self.reported_window = self.window_start
        return True

    def retry_after(self) -> float:
        return self.rate.seconds - (self.clock() - self.window_start) if self.rate else 0.0
