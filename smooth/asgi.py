"""ASGI entry point: HTTP goes to Django, WebSockets to the routes each installed app
declares (chat's /ws, handoff's /ws/inbox). Tracing starts here (core.tracing), once per
serving process, whether `manage.py serve` or Daphne itself loads this module."""

import os
from importlib import import_module

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smooth.settings")
# Django must be set up before anything imports models (the consumer does).
django_asgi_app = get_asgi_application()

from core import tracing  # noqa: E402

tracing.configure()  # off unless OTEL_EXPORTER_OTLP_ENDPOINT is set

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.apps import apps  # noqa: E402

from chat.middleware import TokenPrincipalMiddleware  # noqa: E402
from core.clientip import ClientAddressMiddleware  # noqa: E402

# The apps with WebSocket routes of their own (each one's routing.websocket_urlpatterns).
ROUTED_APPS = ("chat", "handoff")
websocket_routes = [
    route for app in ROUTED_APPS if apps.is_installed(app) for route in import_module(f"{app}.routing").websocket_urlpatterns
]

application = ProtocolTypeRouter(
    {
        "http": tracing.http_app(django_asgi_app),
        # No origin validator at the handshake: SDK clients send no Origin, and
        # each agent's embed policy decides at create_conversation_session.
        "websocket": ClientAddressMiddleware(TokenPrincipalMiddleware(URLRouter(websocket_routes))),
    }
)
