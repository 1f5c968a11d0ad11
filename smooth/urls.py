"""HTTP routes: the chat page, the embed demo, the operator inbox, probes, the admin and its API."""

from django.contrib import admin
from django.urls import include, path

from chat.views import chat_page, embed_demo
from handoff.views import inbox_page
from smooth.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("adminapi.urls")),
    path("embed", embed_demo, name="embed"),
    path("inbox/", inbox_page, name="inbox"),
    path("", chat_page, name="landing"),
]
