"""HTTP routes: the chat page, the embed demo, the widget's config, probes, metrics and the admin, then what
each installed app adds (the admin API, the operator inbox)."""

from django.apps import apps
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from chat.views import chat_page, embed_demo
from chat.widget_config import avatar_view, config_view
from smooth.health import healthz, readyz
from smooth.metrics_view import metrics

admin.site.site_header = _("Smooth administration")
admin.site.site_title = "Smooth"
admin.site.index_title = _("Agents, knowledge and conversations")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # Pages with no icon link (the admin's) ask browsers' default place for one.
    path("favicon.ico", RedirectView.as_view(url=static("smooth/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("embed", embed_demo, name="embed"),
    # The widget's public look and words (chat.widget_config); the agent's embed policy decides who gets them.
    path("widget/<str:agent_id>/config", config_view, name="widget-config"),
    path("widget/<str:agent_id>/avatar", avatar_view, name="widget-avatar"),
    path("", chat_page, name="landing"),
]
if apps.is_installed("adminapi"):
    urlpatterns.append(path("api/v1/", include("adminapi.urls")))
if apps.is_installed("handoff"):
    urlpatterns.append(path("", include("handoff.urls")))
