"""ASGI entry point: HTTP goes to Django, WebSockets to the routes each app declares
(chat's /ws, handoff's /ws/inbox)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smooth.settings")
# Django must be set up before anything imports models (the consumer does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat import routing as chat_routes  # noqa: E402
from chat.middleware import TokenPrincipalMiddleware  # noqa: E402
from handoff import routing as handoff_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # No origin validator at the handshake: SDK clients send no Origin, and
        # each agent's embed policy decides at create_conversation_session.
        "websocket": TokenPrincipalMiddleware(URLRouter([*chat_routes.websocket_urlpatterns, *handoff_routes.websocket_urlpatterns])),
    }
)
