"""The sitemap connector: a website's pages as its sitemap lists them
(`kb_ingest --sitemap https://help.example.com/sitemap.xml`).

Listing: the sitemap is read, an index's sitemaps with it (nested up to MAX_DEPTH
levels; `.xml.gz` and plain-text sitemaps too). Its pages are kept when they are on the
sitemap's host or a host allowed with --allow-host, when robots.txt lets SmoothBot
fetch them, up to --max-pages; the others are skipped and named (a warning each on the
log: they are not errors, and they are pruned as pages the listing no longer names). A
page the listing names keeps its document when its read fails (Collection.listed). A sitemap or
a host's robots.txt that cannot be read, or a listing that names no page to read, leaves
the listing incomplete: the error is named and nothing is pruned.

Reading: one GET a page, sent with If-None-Match / If-Modified-Since from the ETag and
Last-Modified the page answered last time (kept in the document's fetch state); a 304 is
`Unchanged`, so an unchanged page costs that one request. Redirects are followed, five
at most, to allowed hosts and paths robots.txt allows. A page's main content is read
with knowledge.webpages.main_content (Markdown with its headings, without the site's
navigation), as every HTML source is; a PDF or Word file the sitemap lists is read as a
file. A page that fails (an HTTP error, a timeout, too big, not a page) is a SourceError
naming it, and the run goes on.

Politeness: requests to a host are at least --crawl-delay apart (DEFAULT_CRAWL_DELAY),
or robots.txt's Crawl-delay (or Request-rate) for SmoothBot when that is longer; every
body downloaded counts toward --max-bytes.
"""

from __future__ import annotations

import argparse
import functools
import logging
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import httpx

from knowledge.connectors import Collection
from knowledge.sources import CONTENT_TYPES, FILE_FORMATS, MAX_BYTES, SourceDocument, SourceError, Unchanged, parse, read_document

logger = logging.getLogger(__name__)

ROBOTS_AGENT = "SmoothBot"  # the name robots.txt rules address ("User-agent: SmoothBot")
USER_AGENT = f"{ROBOTS_AGENT}/1.0 (Smooth knowledge base; sitemap connector)"
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_CRAWL_DELAY = 0.5  # seconds between two requests to a host
MAX_DEPTH = 3  # the sitemap, an index's sitemaps, an index of indexes' sitemaps
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit, uncompressed
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB is parsed, the rest may be ignored
MAX_REDIRECTS = 5
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text", "text/markdown": "markdown"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class CrawlSettings:
    """A run's limits, from kb_ingest's options or a KnowledgeSource's `options`."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_hosts: tuple[str, ...] = ()
    crawl_delay: float = DEFAULT_CRAWL_DELAY

    @classmethod
    def read(cls, settings: dict) -> CrawlSettings:
        return cls(
            max_pages=int(settings.get("max_pages", DEFAULT_MAX_PAGES)),
            max_bytes=int(settings.get("max_bytes", DEFAULT_MAX_BYTES)),
            allow_hosts=tuple(host_name(host) for host in settings.get("allow_hosts") or ()),
            crawl_delay=float(settings.get("crawl_delay", DEFAULT_CRAWL_DELAY)),
        )


def host_name(text: str) -> str:
    """The host of "docs.example.com" or of "https://docs.example.com/", lower case."""
    text = text.strip()
    return (httpx.URL(text).host if "://" in text else text.split("/")[0].split(":")[0]).lower()


def byte_size(text: str) -> int:
    """A size such as 50M, 500K, 1G (KiB, MiB, GiB) or a number of bytes."""
    found = re.fullmatch(r"\s*(\d+)\s*(?:([KMG])(?:I?B)?|B)?\s*", text, re.IGNORECASE)
    if not found or int(found.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50M, 500K or 1000000)")
    return int(found.group(1)) * 1024 ** " KMG".index((found.group(2) or " ").upper())


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0 to 3600: {text!r}")
    return seconds


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MiB" if count >= 1024 * 1024 else f"{count} bytes"


@dataclass(frozen=True)
class _Fetched:
    status: int  # 200 or 304
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class _Robots:
    """A host's robots.txt: its rules for SmoothBot, or why it could not be read (then
    none of the host's pages is read)."""

    parser: RobotFileParser | None = None
    error: str | None = None
    delay: float = 0.0

    def allows(self, url: str) -> bool:
        if self.error is not None:
            return False
        return self.parser is None or self.parser.can_fetch(ROBOTS_AGENT, url)


class _Site:
    """The requests of one run: hosts allowed, robots.txt per host, the pause between two
    requests to a host, the bytes left to download."""

    def __init__(self, client: httpx.Client, settings: CrawlSettings, hosts: set[str]):
        self.client = client
        self.settings = settings
        self.hosts = hosts
        self.bytes_left = settings.max_bytes
        self._robots: dict[tuple[str, str, int | None], _Robots] = {}
        self._last_request: dict[tuple[str, str, int | None], float] = {}

    def allows_host(self, url: httpx.URL) -> bool:
        return url.scheme in ("http", "https") and url.host.lower() in self.hosts

    def robots(self, url: httpx.URL) -> _Robots:
        origin = (url.scheme, url.host, url.port)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(url.copy_with(path="/robots.txt", query=None, fragment=None))
            self._last_request[origin] = time.monotonic()
        return self._robots[origin]

    def _read_robots(self, robots_url: httpx.URL) -> _Robots:
        try:
            # Redirects followed wherever they lead, as RFC 9309 asks (five at most).
            with self.client.stream("GET", robots_url, headers={"User-Agent": USER_AGENT}, follow_redirects=True) as response:
                if 400 <= response.status_code < 500:
                    return _Robots()  # no robots.txt: every path may be fetched
                if response.status_code != 200:
                    return _Robots(error=f"{robots_url}: answered HTTP {response.status_code}; the host's pages were not read")
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) >= MAX_ROBOTS_BYTES:
                        break
                charset = response.charset_encoding or "utf-8"
        except httpx.HTTPError as exc:
            return _Robots(error=f"{robots_url}: could not be fetched ({type(exc).__name__}); the host's pages were not read")
        parser = RobotFileParser(str(robots_url))
        parser.parse(body[:MAX_ROBOTS_BYTES].decode(charset, errors="replace").splitlines())
        rate = parser.request_rate(ROBOTS_AGENT)
        delay = max(float(parser.crawl_delay(ROBOTS_AGENT) or 0), rate.seconds / rate.requests if rate and rate.requests else 0.0)
        return _Robots(parser=parser, delay=delay)

    def _pace(self, url: httpx.URL) -> None:
        origin = (url.scheme, url.host, url.port)
        delay = max(self.settings.crawl_delay, self.robots(url).delay)
        last = self._last_request.get(origin)
        if last is not None:
            time.sleep(max(0.0, last + delay - time.monotonic()))
        self._last_request[origin] = time.monotonic()

    def fetch(self, url: str, *, headers: dict[str, str], limit: int, obey_robots: bool) -> _Fetched:
        """GET `url`, following redirects to allowed hosts (and, `obey_robots`, paths);
        its body read up to `limit` bytes of what is left of the run's --max-bytes."""
        request = self.client.build_request("GET", url, headers={"User-Agent": USER_AGENT, **headers})
        for hop in range(MAX_REDIRECTS + 1):
            target = request.url
            if hop:  # the listing checked the address it names
                if not self.allows_host(target):
                    raise SourceError(f"{url}: redirected to {target}, another host (--allow-host {target.host} to follow it)")
                robots = self.robots(target)
                if obey_robots and robots.error is not None:
                    raise SourceError(f"{url}: redirected to {target}, not read: {robots.error}")
                if obey_robots and not robots.allows(str(target)):
                    raise SourceError(f"{url}: redirected to {target}, which robots.txt disallows for {ROBOTS_AGENT}")
            self._pace(target)
            try:
                response = self.client.send(request, stream=True, follow_redirects=False)
                try:
                    if response.next_request is not None:  # a redirect with a Location
                        request = response.next_request
                        continue
                    if response.status_code == 304:
                        return _Fetched(304)
                    if response.status_code != 200:
                        raise SourceError(f"{url}: answered HTTP {response.status_code}")
                    return _Fetched(
                        200,
                        self._body(response, url, limit),
                        response.headers.get("content-type", "").split(";")[0].strip().lower(),
                        response.charset_encoding,
                        response.headers.get("etag"),
                        response.headers.get("last-modified"),
                    )
                finally:
                    response.close()
            except httpx.HTTPError as exc:
                raise SourceError(f"{url}: could not be fetched ({type(exc).__name__})") from None
        raise SourceError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _body(self, response: httpx.Response, url: str, limit: int) -> bytes:
        """The body, if it fits in `limit` bytes and in what is left of the run's --max-bytes."""
        allowed = min(limit, self.bytes_left)
        declared = response.headers.get("content-length", "")
        too_big = declared.isdigit() and int(declared) > allowed  # refused before it is downloaded
        body = bytearray()
        if not too_big:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > allowed:
                    too_big = True
                    break
        self.bytes_left = max(0, self.bytes_left - len(body))
        if too_big and allowed < limit:  # the run's bytes ran out first: nothing more is read
            self.bytes_left = 0
            raise SourceError(f"{url}: not read, the run's --max-bytes ({_size(self.settings.max_bytes)}) is used up")
        if too_big:
            raise SourceError(f"{url}: larger than {_size(limit)}")
        return bytes(body)

    def sitemap(self, url: str) -> tuple[str, list[str]]:
        """("index", its sitemaps) or ("urlset", its pages)."""
        fetched = self.fetch(
            url, headers={"Accept": "application/xml, text/xml, text/plain, */*"}, limit=MAX_SITEMAP_BYTES, obey_robots=False
        )
        if fetched.status != 200:
            raise SourceError(f"{url}: answered HTTP {fetched.status}")
        body = fetched.body
        if body[:2] == b"\x1f\x8b":  # a .xml.gz served as a file (not as Content-Encoding: gzip)
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                body = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
            except zlib.error:
                raise SourceError(f"{url}: not valid gzip") from None
            if len(body) > MAX_SITEMAP_BYTES:
                raise SourceError(f"{url}: larger than {_size(MAX_SITEMAP_BYTES)} uncompressed")
        return parse_sitemap(url, body)

    def page(self, url: str, fetch: dict) -> SourceDocument:
        """One page, asked whether it changed since `fetch` (its ETag, Last-Modified)."""
        conditions = {}
        if fetch.get("etag"):
            conditions["If-None-Match"] = fetch["etag"]
        if fetch.get("last_modified"):
            conditions["If-Modified-Since"] = fetch["last_modified"]
        headers = {
            "Accept": "text/html, application/xhtml+xml, text/markdown;q=0.9, text/plain;q=0.8, application/pdf;q=0.7, */*;q=0.5",
            **conditions,
        }
        fetched = self.fetch(url, headers=headers, limit=MAX_BYTES, obey_robots=True)
        if fetched.status == 304:
            if conditions:
                raise Unchanged(url)
            raise SourceError(f"{url}: answered HTTP 304 to a request that was not conditional")
        kind = PAGE_TYPES.get(fetched.content_type) or CONTENT_TYPES.get(fetched.content_type)
        if kind is None or kind == "json":
            raise SourceError(f"{url}: unsupported content type {fetched.content_type or '(none)'}")
        state = {name: value for name, value in (("etag", fetched.etag), ("last_modified", fetched.last_modified)) if value}
        fallback_title = httpx.URL(url).host + httpx.URL(url).path
        # The source is the page's address as the sitemap lists it: the citation's link.
        if kind in FILE_FORMATS:  # a PDF or Word file the help centre links
            document = read_document(url, fetched.body, kind, fallback_title)
        else:
            document = parse(url, decode(fetched.body, fetched.charset), kind, fallback_title)
        if not document.content.strip():
            raise SourceError(f"{url}: no text found")
        return replace(document, fetch=state)


def decode(body: bytes, charset: str | None) -> str:
    """A page's text: in the charset its response declared, else its <meta charset>, else UTF-8."""
    found = _META_CHARSET.search(body[:4096])
    for candidate in (charset, found.group(1).decode() if found else None):
        if candidate:
            try:
                return body.decode(candidate, errors="replace")
            except LookupError:
                continue
    return body.decode("utf-8-sig", errors="replace")


def _url(location: str) -> httpx.URL | None:
    """An absolute http(s) address without its #fragment, or None."""
    try:
        url = httpx.URL(location).copy_with(fragment=None)
    except (httpx.InvalidURL, ValueError):
        return None
    return url if url.scheme in ("http", "https") and url.host else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sitemap(url: str, body: bytes) -> tuple[str, list[str]]:
    """("index", sitemaps) of a <sitemapindex>, ("urlset", pages) of a <urlset> or of a
    plain-text sitemap (one URL a line). SourceError when it is neither."""
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        lines = body.decode("utf-8-sig", errors="replace").split()
        return "urlset", [line for line in lines if line.startswith(("http://", "https://"))]
    try:
        root = ElementTree.fromstring(body)  # expat refuses entity expansion bombs; no external entities
    except ElementTree.ParseError as exc:
        raise SourceError(f"{url}: not a sitemap (XML: {exc})") from None
    entry = {"sitemapindex": "sitemap", "urlset": "url"}.get(_local(root.tag))
    if entry is None:
        raise SourceError(f"{url}: not a sitemap (its root is <{_local(root.tag)}>)")
    locations = [
        (loc.text or "").strip() for item in root if _local(item.tag) == entry for loc in item if _local(loc.tag) == "loc" and loc.text
    ]
    return ("index" if entry == "sitemap" else "urlset"), locations


@dataclass
class _Listing:
    """What the sitemap names, in its order: the pages to read, what was skipped and why,
    the errors, and whether it is complete."""

    site: _Site
    pages: dict[str, None] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    complete: bool = True
    full: bool = False
    _robots_errors: set[str] = field(default_factory=set)
    _sitemaps: set[str] = field(default_factory=set)

    def walk(self, url: str, depth: int = 1) -> None:
        if url in self._sitemaps or self.full:
            return
        self._sitemaps.add(url)
        if depth > MAX_DEPTH:
            self.fail(f"{url}: not read, sitemaps nested deeper than {MAX_DEPTH} levels")
            return
        try:
            kind, locations = self.site.sitemap(url)
        except SourceError as exc:
            self.fail(str(exc))
            return
        for location in locations:
            if kind == "urlset":
                self._add_page(location)
            else:
                self._add_sitemap(location, depth + 1)
            if self.full:
                return

    def _add_sitemap(self, location: str, depth: int) -> None:
        url = _url(location)
        if url is None:
            self.skipped.append(f"{location}: sitemap skipped, not a URL")
        elif not self.site.allows_host(url):
            self.skipped.append(f"{url}: sitemap skipped, another host (--allow-host {url.host} to read it)")
        else:
            self.walk(str(url), depth)

    def fail(self, error: str) -> None:
        self.errors.append(error)
        self.complete = False

    def _add_page(self, location: str) -> None:
        url = _url(location)
        if url is None:
            self.skipped.append(f"{location}: skipped, not a URL")
            return
        if str(url) in self.pages:
            return
        if not self.site.allows_host(url):
            self.skipped.append(f"{url}: skipped, another host (--allow-host {url.host} to read it)")
            return
        robots = self.site.robots(url)
        if robots.error is not None:
            if robots.error not in self._robots_errors:
                self._robots_errors.add(robots.error)
                self.fail(robots.error)
            return
        if not robots.allows(str(url)):
            self.skipped.append(f"{url}: skipped, robots.txt disallows it for {ROBOTS_AGENT}")
            return
        if len(self.pages) >= self.site.settings.max_pages:
            self.full = True
            self.skipped.append(f"{url} and the pages after it: skipped, more than --max-pages {self.site.settings.max_pages}")
            return
        self.pages[str(url)] = None


def _refuse(error: str) -> SourceDocument:
    raise SourceError(error)


class SitemapConnector:
    kind = "sitemap"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--sitemap",
            action="append",
            dest="sitemaps",
            default=[],
            metavar="URL",
            help=f"a website's pages, as its sitemap (or sitemap index, .xml.gz too) lists them; robots.txt is honoured for "
            f"user agent {ROBOTS_AGENT}; repeatable",
        )
        parser.add_argument(
            "--max-pages",
            dest="sitemap_max_pages",
            type=_positive_int,
            default=DEFAULT_MAX_PAGES,
            metavar="N",
            help=f"read at most N pages of a sitemap (default {DEFAULT_MAX_PAGES})",
        )
        parser.add_argument(
            "--max-bytes",
            dest="sitemap_max_bytes",
            type=byte_size,
            default=DEFAULT_MAX_BYTES,
            metavar="SIZE",
            help=f"download at most SIZE in all for a sitemap, e.g. 50M or 500K (default {_size(DEFAULT_MAX_BYTES)})",
        )
        parser.add_argument(
            "--allow-host",
            action="append",
            dest="sitemap_allow_hosts",
            default=[],
            metavar="HOST",
            help="also read pages on this host (by default, only the sitemap's own); repeatable",
        )
        parser.add_argument(
            "--crawl-delay",
            dest="sitemap_crawl_delay",
            type=_seconds,
            default=DEFAULT_CRAWL_DELAY,
            metavar="SECONDS",
            help=f"wait at least this long between two requests to a host (default {DEFAULT_CRAWL_DELAY}; "
            "a longer Crawl-delay in robots.txt wins)",
        )

    def requested(self, options: dict) -> list[str]:
        return list(options.get("sitemaps") or [])

    def settings(self, options: dict) -> dict:
        return {
            "max_pages": options.get("sitemap_max_pages") or DEFAULT_MAX_PAGES,
            "max_bytes": options.get("sitemap_max_bytes") or DEFAULT_MAX_BYTES,
            "allow_hosts": sorted({host_name(host) for host in options.get("sitemap_allow_hosts") or []}),
            "crawl_delay": options.get("sitemap_crawl_delay", DEFAULT_CRAWL_DELAY),
        }

    def key(self, location: str, settings: dict) -> str:
        return f"sitemap:{location}"

    def collect(self, location: str, settings: dict, *, known: dict[str, dict], client: httpx.Client) -> Collection:
        key = self.key(location, settings)
        start = _url(location)
        if start is None:
            return Collection(key, [], 0, [f"{location}: not an http(s) URL"], complete=False)
        chosen = CrawlSettings.read(settings)
        site = _Site(client, chosen, {start.host.lower(), *chosen.allow_hosts})
        listing = _Listing(site)
        listing.walk(location)
        for line in listing.skipped:
            logger.warning("%s", line)
        pages = list(listing.pages)
        if not pages and listing.complete:
            listing.fail(f"{location}: names no page that can be read; nothing is pruned")

        def reads() -> Iterator[Callable[[], SourceDocument]]:
            for index, url in enumerate(pages):
                if site.bytes_left <= 0:
                    rest = len(pages) - index
                    yield functools.partial(
                        _refuse,
                        f"{url}{f' and {rest - 1} page(s) after it' if rest > 1 else ''}: not read, "
                        f"the run's --max-bytes ({_size(chosen.max_bytes)}) is used up",
                    )
                    return
                yield functools.partial(site.page, url, known.get(url) or {})

        return Collection(key, reads(), len(pages), listing.errors, listing.complete, listed=pages)


CONNECTOR = SitemapConnector()
