"""The protocol's WebSocket route (smooth/asgi.py composes each app's routes), inside the
socket middleware of the installed apps (SMOOTH_SOCKET_MIDDLEWARE, outermost first)."""

from django.conf import settings
from django.urls import path
from django.utils.module_loading import import_string

from chat.consumers import ChatConsumer
from chat.turns.stages import installed


def with_socket_middleware(app):
    for dotted in reversed(installed(settings.SMOOTH_SOCKET_MIDDLEWARE)):
        app = import_string(dotted)(app)
    return app


websocket_urlpatterns = [path("ws", with_socket_middleware(ChatConsumer.as_asgi()))]
