"""The operators' inbox socket, signed in with the Django session."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from handoff.consumers import InboxConsumer

websocket_urlpatterns = [path("ws/inbox", AuthMiddlewareStack(InboxConsumer.as_asgi()))]
