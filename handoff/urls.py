"""The operators' inbox page (smooth/urls.py includes it when handoff is installed)."""

from django.urls import path

from handoff.views import inbox_page

urlpatterns = [path("inbox/", inbox_page, name="inbox")]
