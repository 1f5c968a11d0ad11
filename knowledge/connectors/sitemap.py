"""The sitemap connector (being written: it lists nothing yet)."""

from __future__ import annotations


class _Pending:
    kind = "sitemap"

    def add_arguments(self, parser) -> None:
        pass

    def requested(self, options: dict) -> list[str]:
        return []

    def settings(self, options: dict) -> dict:
        return {}

    def key(self, location: str, settings: dict) -> str:
        raise NotImplementedError

    def collect(self, location, settings, *, known, client):
        raise NotImplementedError


CONNECTOR = _Pending()
