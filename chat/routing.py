"""WebSocket routes: /ws speaks the protocol; /ws/inbox is the operators' inbox, signed in
with the Django session (handoff.consumers)."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from chat.consumers import ChatConsumer
from handoff.consumers import InboxConsumer

websocket_urlpatterns = [
    path("ws", ChatConsumer.as_asgi()),
    path("ws/inbox", AuthMiddlewareStack(InboxConsumer.as_asgi())),
]
