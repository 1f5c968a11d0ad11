"""The visitor's IP address: the socket's peer, or, when that peer is one of
SMOOTH_TRUSTED_PROXIES, the last address before the trusted ones in X-Forwarded-For.
A header from anyone else is ignored: it is the client's own claim. Whether the
connection is encrypted is read the same way (X-Forwarded-Proto)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.SMOOTH_TRUSTED_PROXIES)))


def client_ip(scope: dict) -> str:
    peer = (scope.get("client") or ["unknown"])[0]
    if not settings.SMOOTH_TRUSTED_PROXIES or not _trusted(peer):
        return peer
    forwarded = [value.decode("latin-1") for name, value in scope.get("headers", []) if name.lower() == b"x-forwarded-for"]
    hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):  # the nearest first: proxies append the address they saw
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
    peer = (scope.get("client") or ["unknown"])[0]
    if not settings.SMOOTH_TRUSTED_PROXIES or not _trusted(peer):
        return False
    forwarded = [value.decode("latin-1") for name, value in scope.get("headers", []) if name.lower() == b"x-forwarded-proto"]
    protocols = [part.strip().lower() for header in forwarded for part in header.split(",") if part.strip()]
    return bool(protocols) and protocols[-1] in ("https", "wss")
