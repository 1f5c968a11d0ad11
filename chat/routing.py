"""The protocol's WebSocket route (smooth/asgi.py composes each app's routes)."""

from django.urls import path

from chat.consumers import ChatConsumer

websocket_urlpatterns = [path("ws", ChatConsumer.as_asgi())]
