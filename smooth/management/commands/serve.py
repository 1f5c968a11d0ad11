"""Run Smooth under Daphne on SMOOTH_AGENT_BIND:SMOOTH_AGENT_PORT."""
from daphne.cli import CommandLineInterface
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
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
            self.stdout.write(f"demo knowledge seeded for {run.organization_id}: {run.documents_added} added, {run.documents_unchanged} unchanged")
        self.stdout.write(self.style.SUCCESS(f"Smooth listening on http://{bind}:{port}/ (WebSocket /ws)"))
        self.stdout.flush()
        CommandLineInterface().run(
            [
                "--bind", bind,
                "--port", str(port),
                "--websocket-max-message-size", str(settings.SMOOTH_WS_MAX_MESSAGE_BYTES),
                "--websocket-max-frame-size", str(settings.SMOOTH_WS_MAX_MESSAGE_BYTES),
                settings.ASGI_APPLICATION.replace(".application", ":application"),
            ]
        )
