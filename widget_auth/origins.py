"""Origins and origin patterns: parsing, normalising and matching.

A pattern is `*`, an exact origin (`https://app.example.com`, port optional) or a
host wildcard `scheme://*.suffix[:port]`, which matches the suffix itself and any
subdomain of it, with the same scheme and port. Hosts compare case-insensitively;
default ports (80 for http, 443 for https) are implied.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

ANY_ORIGIN = "*"
DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")


class InvalidOrigin(ValueError):
    """The text is not an origin (or pattern); the message says how to write one."""


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        if self.port == DEFAULT_PORTS[self.scheme]:
            return f"{self.scheme}://{self.host}"
        return f"{self.scheme}://{self.host}:{self.port}"


@dataclass(frozen=True)
class OriginPattern:
    origin: Origin
    wildcard: bool  # True: the host and any subdomain of it

    def __str__(self) -> str:
        text = str(self.origin)
        return text.replace("://", "://*.", 1) if self.wildcard else text

    def matches(self, candidate: Origin) -> bool:
        if (candidate.scheme, candidate.port) != (self.origin.scheme, self.origin.port):
            return False
        if candidate.host == self.origin.host:
            return True
        return self.wildcard and candidate.host.endswith("." + self.origin.host)


def _parse(text: str, *, allow_wildcard: bool) -> tuple[Origin, bool]:
    example = "write scheme://host[:port], e.g. https://app.example.com"
    if not isinstance(text, str) or "://" not in text:
        raise InvalidOrigin(f"{text!r} is not an origin: {example}")
    scheme, rest = text.strip().split("://", 1)
    scheme = scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidOrigin(f"{text!r}: the scheme must be http or https")
    if not rest or any(char in rest for char in "/?#@ \\"):
        raise InvalidOrigin(f"{text!r}: an origin has no path, query, user or spaces: {example}")
    wildcard = allow_wildcard and rest.startswith("*.")
    if wildcard:
        rest = rest[2:]
    if "*" in rest:
        raise InvalidOrigin(f"{text!r}: a wildcard may only stand first, as in https://*.example.com")

    if rest.startswith("["):
        end = rest.find("]")
        host, port_text = rest[: end + 1], rest[end + 1 :]
        if end < 0 or (port_text and not port_text.startswith(":")):
            raise InvalidOrigin(f"{text!r}: malformed IPv6 address")
        port_text = port_text[1:]
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise InvalidOrigin(f"{text!r}: malformed IPv6 address") from None
        if wildcard:
            raise InvalidOrigin(f"{text!r}: a wildcard needs a host name, not an address")
    else:
        host, _, port_text = rest.partition(":")
        if not _HOSTNAME_RE.match(host.lower()):
            raise InvalidOrigin(f"{text!r}: {host!r} is not a valid host name")
    host = host.lower()

    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InvalidOrigin(f"{text!r}: the port must be a number from 1 to 65535")
        port = int(port_text)
    else:
        port = DEFAULT_PORTS[scheme]
    return Origin(scheme, host, port), wildcard


def parse_origin(text: str) -> Origin:
    """A browser's Origin header value; raises InvalidOrigin (also for "null")."""
    origin, _ = _parse(text, allow_wildcard=False)
    return origin


def normalize_origin(text: str | None) -> str | None:
    """An Origin header as one canonical string (host lower-cased, default port
    implied), so that one origin always compares equal to itself. Text that is
    not an http(s) origin (a sandboxed frame's "null") is kept as sent."""
    if not text:
        return None
    try:
        return str(parse_origin(text))
    except InvalidOrigin:
        return text[:512]


def parse_origin_pattern(text: str) -> OriginPattern | None:
    """None for the any-origin pattern `*`; raises InvalidOrigin for bad text."""
    if isinstance(text, str) and text.strip() == ANY_ORIGIN:
        return None
    origin, wildcard = _parse(text, allow_wildcard=True)
    return OriginPattern(origin, wildcard)


def normalize_origin_pattern(text: str) -> str:
    pattern = parse_origin_pattern(text)
    return ANY_ORIGIN if pattern is None else str(pattern)


def origin_allowed(origin: str | None, patterns: list[str]) -> bool:
    """Whether a handshake Origin is on the list. A missing Origin never is."""
    if not origin:
        return False
    candidate: Origin | None = None
    for text in patterns:
        try:
            pattern = parse_origin_pattern(text)
        except InvalidOrigin:
            # Stored rows are validated; a bad one (edited by hand) matches nothing.
            logger.warning("ignoring malformed origin pattern %r in a widget policy", text)
            continue
        if pattern is None:
            return True
        if candidate is None:
            try:
                candidate = parse_origin(origin)
            except InvalidOrigin:
                return False  # "null" (sandboxed frames) or garbage only passes "*"
        if pattern.matches(candidate):
            return True
    return False
