"""HTTP routes: the chat page, the embed demo, probes, metrics and the admin, then what
each installed app adds (the admin API, the operator inbox)."""

from django.apps import apps
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from chat.views import chat_page, embed_demo
from smooth.health import healthz, readyz
from smooth.metrics_view import metrics

admin.site.site_header = "Smooth administration"
admin.site.site_title = "Smooth"
admin.site.index_title = "Agents, knowledge and conversations"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # Pages with no icon link (the admin's) ask browsers' default place for one.
    path("favicon.ico", RedirectView.as_view(url=static("smooth/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("embed", embed_demo, name="embed"),
    path("", chat_page, name="landing"),
]
if apps.is_installed("adminapi"):
    urlpatterns.append(path("api/v1/", include("adminapi.urls")))
if apps.is_installed("handoff"):
    urlpatterns.append(path("", include("handoff.urls")))
