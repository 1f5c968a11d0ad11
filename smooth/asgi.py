"""ASGI entry point: HTTP goes to Django, the /ws WebSocket to the chat consumer."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smooth.settings")
# Django must be set up before anything imports models (the consumer does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.middleware import TokenPrincipalMiddleware  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # No origin validator at the handshake: SDK clients send no Origin, and
        # each agent's embed policy decides at create_conversation_session.
        "websocket": TokenPrincipalMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
