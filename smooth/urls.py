"""HTTP routes: Django admin and the landing page."""
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from smooth.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("adminapi.urls")),
    path("", TemplateView.as_view(template_name="smooth/landing.html"), name="landing"),
]
