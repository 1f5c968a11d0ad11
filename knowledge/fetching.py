"""The HTTP client every connector reads the web with (kb_ingest and kb_sync open one).

Sources are made by organisations' admins (the admin API, the Django admin), and what a
source reads becomes knowledge its organisation can read back through the agent. So a
source must not reach what only the server can: the cloud's metadata service, a
database's HTTP port, an intranet. Unless SMOOTH_KB_PRIVATE_ADDRESSES is on, every
request (each redirect's too, and the GitHub API's) goes only to a public address: the
host is resolved here, each address it has must be a global one, and the connection is
made to the address checked (the name kept for the Host header and TLS), so a name that
resolves elsewhere the second time is not asked again.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class PrivateAddress(httpx.ConnectError):
    """The host resolves to an address that is not public (loopback, private, link-local)."""


def client() -> httpx.Client:
    transport = httpx.HTTPTransport() if settings.SMOOTH_KB_PRIVATE_ADDRESSES else PublicOnlyTransport()
    return httpx.Client(timeout=TIMEOUT, transport=transport)


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`, once every address it resolves to is public."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"{host} cannot be resolved ({exc})") from None
    addresses = [ipaddress.ip_address(str(address).split("%")[0]) for address in found]
    if not addresses or not all(address.is_global for address in addresses):
        raise PrivateAddress(f"{host} is not a public address (SMOOTH_KB_PRIVATE_ADDRESSES allows it)")
    return str(sorted(addresses, key=lambda address: address.version)[0])


class PublicOnlyTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        address = public_address(host, request.url.port or (443 if request.url.scheme == "https" else 80))
        if address != host:
            # Connect to the address checked; the Host header stays the name, and TLS checks the name.
            request.url = request.url.copy_with(host=address)
            request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)
