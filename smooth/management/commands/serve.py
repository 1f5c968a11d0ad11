"""Run Smooth under Daphne on SMOOTH_AGENT_BIND:SMOOTH_AGENT_PORT, shutting down gracefully."""

import asyncio
import signal
from functools import partial

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from django.conf import settings
from django.core.management.base import CommandError
from twisted.internet import defer

from core import metrics
from core.commands import SmoothCommand
from core.queues import MessageQueue

RFC_CLOSE_CODES = (1001, 1008)


class GracefulServer(Server):
    """Daphne, except that SIGTERM (or SIGINT) first stops listening, then lets
    running turns finish up to SMOOTH_SHUTDOWN_DEADLINE_SECONDS (or until a second
    signal) and closes the sockets with 1001 (chat.lifecycle), and only then
    cancels what is left. It says it is listening once it is, and why it could not.
    Each connection's input queue is a MessageQueue (core.queues), not an asyncio.Queue."""

    announce = print  # the command's own output (Command.handle sets it)
    listen_failure: str | None = None

    def run(self):
        self.listening_ports = []
        super().run()

    def listen_success(self, port):
        super().listen_success(port)
        self.listening_ports.append(port)
        host = port.getHost()
        type(self).announce(f"Smooth listening on http://{host.host}:{host.port}/ (WebSocket /ws)")

    def listen_error(self, failure):
        GracefulServer.listen_failure = failure.getErrorMessage()
        super().listen_error(failure)

    def create_application(self, protocol, scope):
        # Daphne's own, with the smaller queue.
        assert "application_instance" not in self.connections[protocol]
        input_queue = MessageQueue()
        scope.setdefault("asgi", {"version": "3.0"})
        application_instance = self.application(scope=scope, receive=input_queue.get, send=partial(self.handle_reply, protocol))
        if protocol not in self.connections:
            return None
        self.connections[protocol]["application_instance"] = asyncio.ensure_future(application_instance, loop=asyncio.get_event_loop())
        return input_queue

    async def handle_reply(self, protocol, message):
        # Autobahn's sendClose accepts only 1000 and 3000-4999, so an application's close
        # with an RFC 6455 code (1001 "going away" at shutdown, 1008 "policy violation" for
        # a frame flood or a refused connection) would raise; send that frame directly.
        rfc_close = message.get("type") == "websocket.close" and message.get("code") in RFC_CLOSE_CODES
        if rfc_close and isinstance(protocol, WebSocketProtocol) and protocol.state == protocol.STATE_OPEN:
            if not self.connections.get(protocol, {}).get("disconnected"):
                protocol.sendCloseFrame(code=message["code"])
            return
        await super().handle_reply(protocol, message)

    def kill_all_applications(self):
        # Twisted runs this "before shutdown" and waits for the Deferred it returns.
        from chat import lifecycle

        for port in self.listening_ports:
            port.stopListening()
        loop = asyncio.get_event_loop()
        for number in (signal.SIGINT, signal.SIGTERM):  # a second signal: stop waiting
            signal.signal(number, lambda *_: loop.call_soon_threadsafe(lifecycle.hurry))
        drained = defer.Deferred.fromFuture(asyncio.ensure_future(lifecycle.shutdown(settings.SMOOTH_SHUTDOWN_DEADLINE_SECONDS)))
        drained.addErrback(lambda failure: failure.printTraceback())
        drained.addBoth(lambda _: super(GracefulServer, self).kill_all_applications())
        return drained


class GracefulCommandLine(CommandLineInterface):
    server_class = GracefulServer


class Command(SmoothCommand):
    help = "Serve HTTP and the /ws WebSocket with Daphne on SMOOTH_AGENT_BIND:SMOOTH_AGENT_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="address to listen on (default: SMOOTH_AGENT_BIND)")
        parser.add_argument("--port", type=int, default=None, help="port to listen on (default: SMOOTH_AGENT_PORT)")

    def handle(self, *args, bind=None, port=None, **options):
        bind = bind or settings.SMOOTH_AGENT_BIND
        port = settings.SMOOTH_AGENT_PORT if port is None else port
        if settings.SMOOTH_AGENT_SEED_KB:
            from knowledge.seeding import seed_demo_knowledge

            run = seed_demo_knowledge(settings.SMOOTH_DEFAULT_ORG_ID).run
            self.stdout.write(
                f"demo knowledge seeded for {run.organization_id}: {run.documents_added} added, {run.documents_unchanged} unchanged"
            )
        from knowledge.indexes import warm

        warm()  # the embedding model and every organisation's search indexes, built in the background

        def announce(line: str) -> None:
            self.stdout.write(self.style.SUCCESS(line))
            self.stdout.flush()

        GracefulServer.announce, GracefulServer.listen_failure = announce, None
        try:
            GracefulCommandLine().run(
                [
                    "--bind",
                    bind,
                    "--port",
                    str(port),
                    "--websocket-max-message-size",
                    str(settings.SMOOTH_WS_MAX_MESSAGE_BYTES),
                    "--websocket-max-frame-size",
                    str(settings.SMOOTH_WS_MAX_MESSAGE_BYTES),
                    settings.ASGI_APPLICATION.replace(".application", ":application"),
                ]
            )
        except SystemExit:  # Daphne's exit(1) when it could not listen
            if GracefulServer.listen_failure is None:
                raise
        finally:
            metrics.mark_this_process_dead()  # its open sockets leave the other processes' /metrics
        if GracefulServer.listen_failure is not None:
            raise CommandError(
                f"cannot listen on {bind}:{port} ({GracefulServer.listen_failure}). Another server may be using the port: "
                "stop it, or choose another with SMOOTH_AGENT_PORT (or --port), and SMOOTH_AGENT_BIND (or --bind) for the address."
            )
        self.stdout.write("Smooth stopped")
