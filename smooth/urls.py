"""HTTP routes: the chat page, the embed demo, probes and the admin, then what each
installed app adds (the admin API, the operator inbox)."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from chat.views import chat_page, embed_demo
from smooth.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("embed", embed_demo, name="embed"),
    path("", chat_page, name="landing"),
]
if apps.is_installed("adminapi"):
    urlpatterns.append(path("api/v1/", include("adminapi.urls")))
if apps.is_installed("handoff"):
    urlpatterns.append(path("", include("handoff.urls")))
