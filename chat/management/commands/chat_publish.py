"""Publish a JSON event to a backplane target from the shell."""

import json
import sys

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.management.base import CommandError

from chat.backplane import TARGET_KINDS, NotJsonNative, publish
from core.commands import SmoothCommand


class Command(SmoothCommand):
    help = (
        "Publish a JSON event verbatim to every socket of a session, agent, user or organisation "
        "(or one connection, by its channel name). Needs a shared channel layer (REDIS_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=TARGET_KINDS, help="what the target is")
        parser.add_argument("ident", help="its id (a session id, an agent id, ...)")
        parser.add_argument("event", help="the event, a JSON object; '-' reads it from stdin")

    def handle(self, *args, kind, ident, event, **options):
        layer_backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
        if layer_backend.endswith("InMemoryChannelLayer"):
            raise CommandError("the in-memory channel layer lives inside one process and cannot reach a running server: set REDIS_URL")
        text = sys.stdin.read() if event == "-" else event
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"the event is not JSON: {exc}") from None
        if not isinstance(payload, dict):
            raise CommandError("the event must be a JSON object")
        try:
            async_to_sync(publish)(kind, ident, payload)
        except (NotJsonNative, ValueError, TypeError) as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:  # the layer's own errors (redis, OSError): the class says enough
            raise CommandError(f"could not reach the channel layer: {type(exc).__name__}") from None
        self.stdout.write(self.style.SUCCESS(f"published to {kind} {ident}"))
