"""The project package is an app too, so it can carry the `serve` command."""

from django.apps import AppConfig


class SmoothConfig(AppConfig):
    name = "smooth"
    verbose_name = "Smooth"
