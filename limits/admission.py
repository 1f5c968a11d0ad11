"""Admission to the protocol's socket, as ASGI middleware (chat.routing applies it to /ws
when this app is installed): the new connections and open sockets an address may have,
checked at the handshake, and the frames one socket may send, counted as they arrive.

A refusal is not written here: the socket's app is told, and answers in its own words.
A refused handshake reaches it with `scope["refusal"]` set (it accepts, sends the refusal
and closes with 1008); a refused frame is replaced by an `admission.refused` message
carrying the refusal (the frames after it in the same window are dropped unanswered);
a flood goes on past SMOOTH_FLOOD_CLOSE_AFTER windows and becomes `admission.closed`
(the app closes with 1008; frames still in flight after it are dropped). In report-only
mode (limits.enforcement) each is counted once a window instead, and the frame goes on.
"""

from __future__ import annotations

import logging

from core import metrics
from core.asgitypes import ASGIApp, Message, Receive, Scope, Send, header
from limits import enforcement, policy
from limits.errors import RateLimited

logger = logging.getLogger(__name__)


class Admission:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client_ip = scope.get("client_ip", "unknown")
        origin = header(scope, b"origin")
        try:
            await policy.check_connection(client_ip, origin)
            counted = await policy.open_socket(client_ip, origin)
            if not counted:
                raise RateLimited("sockets", 5)
        except RateLimited as refusal:
            return await self.app({**scope, "refusal": refusal}, receive, send)
        try:
            return await self.app(scope, FrameCounter(receive, client_ip, origin), send)
        finally:
            await policy.close_socket(client_ip)


class FrameCounter:
    """The socket's receive, with its frames counted against SMOOTH_LIMIT_FRAMES_PER_SOCKET."""

    def __init__(self, receive: Receive, client_ip: str, origin: str | None):
        self.receive = receive
        self.client_ip = client_ip
        self.origin = origin
        self.gate = policy.FrameGate()
        self.closing = False

    async def __call__(self) -> Message:
        while True:
            message = await self.receive()
            if message["type"] != "websocket.receive":
                return message
            if self.closing:  # a flood's frames still in flight after the close
                continue
            verdict = self.gate.admit()
            if verdict is policy.Verdict.PASS:
                return message
            if enforcement.reporting(None):  # counted once a window, and the frame goes on
                if self.gate.report_due():
                    what = (
                        "frames on one connection (a flood: would close)"
                        if verdict is policy.Verdict.CLOSE
                        else "messages on this connection"
                    )
                    await enforcement.areport(agent=None, kind=enforcement.Kind.RATE_LIMIT, reason=what, origin=self.origin)
                return message
            if verdict is policy.Verdict.REFUSE:
                metrics.refusals.labels(kind=enforcement.Kind.RATE_LIMIT, mode=metrics.ENFORCED).inc()
                return {
                    "type": "admission.refused",
                    "refusal": RateLimited("frames", self.gate.retry_after()),
                }
            if verdict is policy.Verdict.CLOSE:
                logger.info("closing a flooding connection from %s", self.client_ip)
                metrics.refusals.labels(kind=enforcement.Kind.RATE_LIMIT, mode=metrics.ENFORCED).inc()
                self.closing = True
                return {"type": "admission.closed"}
            # DROP: refused once in this window already
