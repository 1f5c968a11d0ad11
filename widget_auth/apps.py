from django.apps import AppConfig


class WidgetAuthConfig(AppConfig):
    name = "widget_auth"
    verbose_name = "Widget embedding"
