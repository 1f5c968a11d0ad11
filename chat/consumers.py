"""The /ws edge: accept, hand every raw frame to dispatch, relay backplane events."""

from __future__ import annotations

import asyncio
import logging

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch

from chat import lifecycle, protocol
from chat.connection import Connection
from chat.errors import protocol_error
from chat.handlers import dispatch
from limits import enforcement, policy
from limits.clientip import client_ip
from limits.errors import RateLimited

logger = logging.getLogger(__name__)
LAYER_RETRY_SECONDS = (0.5, 10.0)  # first and longest wait between attempts
POLICY_VIOLATION = 1008


class ChatConsumer(AsyncJsonWebsocketConsumer):
    connection: Connection | None = None
    frames: policy.FrameGate | None = None

    @property
    def live(self) -> Connection:
        """The connection, once `connect` made it (every frame and event comes after)."""
        assert self.connection is not None, "a frame before connect"
        return self.connection

    _socket_counted = False
    _closing = False
    _layer_down = False
    _layer_wait = LAYER_RETRY_SECONDS[0]

    async def __call__(self, scope, receive, send):
        # As Channels' AsyncConsumer.__call__, except that the channel layer is read
        # through _layer_receive: Channels lets a layer error (Redis down) end the
        # consumer, and Daphne then closes every open socket with 1011.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.base_send = send
        try:
            await await_many_dispatch([receive, self._layer_receive], self.dispatch)
        except StopConsumer:
            pass

    async def _layer_receive(self) -> dict:
        """The next backplane message. While the layer is unreachable the socket keeps
        serving its own actions; when the layer answers again (a restarted Redis has
        lost every membership) the connection rejoins its groups, and delivery resumes."""
        while True:
            try:
                message = await self.channel_layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not self._layer_down:  # one warning per outage, not one per retry
                    logger.warning("channel layer unreachable (%s); the backplane pauses for this socket", type(exc).__name__)
                    self._layer_down = True
                await asyncio.sleep(self._layer_wait)
                self._layer_wait = min(self._layer_wait * 2, LAYER_RETRY_SECONDS[1])
                await self._try_rejoin()
                continue
            self._layer_down, self._layer_wait = False, LAYER_RETRY_SECONDS[0]
            return message

    async def _try_rejoin(self) -> None:
        if self.connection is None or not self.connection.groups:
            return
        try:
            await self.connection.rejoin()
        except Exception:
            return  # still down: the next failed receive waits longer
        logger.info("channel layer reachable again; rejoined %d groups", len(self.connection.groups))
        self._layer_down, self._layer_wait = False, LAYER_RETRY_SECONDS[0]

    async def connect(self) -> None:
        if lifecycle.draining():  # a handshake that slipped in as the listener closed
            await self.close(code=lifecycle.GOING_AWAY)
            return
        self.connection = Connection.from_scope(
            self.scope, channel_name=self.channel_name, channel_layer=self.channel_layer, send=self.send_json
        )
        self.connection.client_ip = client_ip(self.scope)
        await self.accept()
        if not await self._admitted():
            return
        self.frames = policy.FrameGate()
        lifecycle.opened(self)
        await self.connection.join_identity_groups()

    async def _admitted(self) -> bool:
        """Within the new connections and open sockets an address may have; else one
        RATE_LIMITED and the socket closes (1008)."""
        try:
            await policy.check_connection(self.live.client_ip, self.live.origin)
            self._socket_counted = await policy.open_socket(self.live.client_ip, self.live.origin)
            if not self._socket_counted:
                raise RateLimited("too many open connections from your address: try again in 5 s, or once one of them has closed")
        except RateLimited as exc:
            await self._refuse(exc)
            await self.close(code=POLICY_VIOLATION)
            return False
        return True

    async def _refuse(self, refusal: RateLimited) -> None:
        """The refusal as its error event (chat.errors' table), correlated with no request."""
        error = protocol_error(refusal)
        assert error is not None
        await self.send_json(protocol.error(None, error.code, error.message))

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # Overrides the JSON consumer's receive, which raises on binary or
        # non-JSON frames (and Daphne then closes the socket): every raw frame
        # goes to dispatch, which answers bad ones with VALIDATION_ERROR.
        if self._closing:  # a flood's frames still in flight after our close
            return
        gate = self.frames
        verdict = gate.admit() if gate is not None else policy.Verdict.PASS
        if gate is not None and verdict is not policy.Verdict.PASS and enforcement.reporting(None):  # counted once a window
            if gate.report_due():
                what = (
                    "frames on one connection (a flood: would close)" if verdict is policy.Verdict.CLOSE else "messages on this connection"
                )
                await enforcement.areport(agent=None, kind=enforcement.Kind.RATE_LIMIT, reason=what, origin=self.live.origin)
            verdict = policy.Verdict.PASS
        if verdict is policy.Verdict.PASS:
            await dispatch(self.live, text_data, bytes_data)
        elif gate is not None and verdict is policy.Verdict.REFUSE:  # one a window; the frames after it are dropped unanswered
            await self._refuse(RateLimited.retry_in("messages on this connection", gate.retry_after()))
        elif verdict is policy.Verdict.CLOSE:
            logger.info("closing a flooding connection from %s", self.live.client_ip)
            self._closing = True
            await self.close(code=POLICY_VIOLATION)

    async def dispatch(self, message: dict) -> None:
        # Channels' dispatch first closes stale database connections on its one
        # ORM thread, for every message. That thread also runs every turn's
        # queries, so under load each frame (a ping included) waited behind them:
        # 400 ms at 200 busy sessions. Our handlers reach the database only through
        # database_sync_to_async, which closes stale connections around each call.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def backplane_event(self, message: dict) -> None:
        turn = message.get("turn")  # [requestId, number] on a turn's events (chat.turns.events)
        if turn is None or self.live.wants(turn[0], turn[1], message["event"]):
            await self.send_json(message["event"])
        if turn is not None:
            self.live.relayed(message["event"])

    async def disconnect(self, code: int) -> None:
        lifecycle.closed(self)
        if self.connection is not None:
            # Running turns carry on (their replies are stored); they stop sending.
            self.connection.closed = True
            await self.connection.leave_all()
            if self._socket_counted:
                self._socket_counted = False
                await policy.close_socket(self.connection.client_ip)
