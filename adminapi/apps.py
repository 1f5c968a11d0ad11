from django.apps import AppConfig


class AdminApiConfig(AppConfig):
    name = "adminapi"
    verbose_name = "Admin REST API"

    def ready(self) -> None:
        from adminapi import schema  # noqa: F401  registers the OpenAPI extension
