"""The visitor's IP address: the socket's peer, or, when that peer is one of
SMOOTH_TRUSTED_PROXIES, the last address before the trusted ones in X-Forwarded-For.
A header from anyone else is ignored: it is the client's own claim. Whether the
connection is encrypted is read the same way (X-Forwarded-Proto)."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable
from functools import lru_cache

from django.conf import settings

from core.asgitypes import ASGIApp, Receive, Scope, Send


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.SMOOTH_TRUSTED_PROXIES)))


def _peer(scope: dict) -> str:
    return (scope.get("client") or ["unknown"])[0]


def _forwarded(scope: dict, header: bytes) -> list[str] | None:
    """The comma-separated values of `header`, in order, when the socket's peer is a trusted
    proxy; None when it is not (then the header is the client's own claim)."""
    if not settings.SMOOTH_TRUSTED_PROXIES or not _trusted(_peer(scope)):
        return None
    values = [value.decode("latin-1") for name, value in scope.get("headers", []) if name.lower() == header]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def client_ip(scope: dict) -> str:
    peer = _peer(scope)
    hops = _forwarded(scope, b"x-forwarded-for")
    for hop in reversed(hops or []):  # the nearest first: proxies append the address they saw
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed hop: trust nothing beyond our proxy
    return peer


def secure(scope: dict) -> bool:
    """Whether the client's connection is encrypted: wss, or, behind a trusted proxy, the
    X-Forwarded-Proto that proxy set (the last one: proxies append)."""
    if scope.get("scheme") in ("wss", "https"):
        return True
    protocols = _forwarded(scope, b"x-forwarded-proto")
    return protocols[-1].lower() in ("https", "wss") if protocols else False


class ClientAddressMiddleware:
    """ASGI middleware: `scope["client_ip"]` is the visitor's address (client_ip), read once
    for the connection and the same for every app under it.

    It returns the inner app's awaitable rather than awaiting it: no frame of its own (nor
    the scope it copied from) stays alive for as long as the socket is open."""

    _asgi_single_callable = True  # asgiref's guarantee_single_callable: a plain def, still ASGI 3

    def __init__(self, app: ASGIApp):
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        return self.app({**scope, "client_ip": client_ip(scope)}, receive, send)
