"""`kb_ingest --sitemap` against a real local HTTP server serving a small help centre: a
sitemap index of two sitemaps (one gzipped), robots.txt, a redirect, validators and 304s,
a failing page, the limits, another host, and pruning only after a complete listing."""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import time
from dataclasses import dataclass, field

import httpx
import pytest
from django.core.management import CommandError, call_command

from identity.access import AccessContext
from knowledge.connectors import connector
from knowledge.connectors import ingest as run_connector
from knowledge.models import Document, IndexingRun
from knowledge.retrieval import search_blocking
from tests.httpserver import FakeHttpServer, Reply, Request

pytestmark = pytest.mark.django_db
LAST_MODIFIED = "Tue, 04 Mar 2025 10:00:00 GMT"
# Everyone else is kept out: the pages are read only because SmoothBot's own group applies.
ROBOTS = "User-agent: *\nDisallow: /\n\nUser-agent: SmoothBot\nDisallow: /private/\n"


def page_html(title: str, sections: dict[str, str]) -> str:
    """A help-centre page: the article among a header's navigation, a sidebar, a footer
    and a cookie banner (none of which may reach the knowledge base)."""
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in sections.items())
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} - Acme Help Center</title></head><body>"
        "<div class='cookie-banner' role='dialog'><p>We use cookies to measure traffic.</p><button>Accept all cookies</button></div>"
        "<header><nav><ul><li><a href='/'>Acme home</a></li><li><a href='/hc/requests/new'>Submit a request</a></li>"
        "<li><a href='/signin'>Sign in</a></li></ul></nav></header>"
        "<main><div class='container'><aside class='sidebar'><h3>Articles in this section</h3><ul>"
        "<li><a href='/hc/returns'>Returns</a></li><li><a href='/hc/shipping'>Shipping</a></li></ul></aside>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<section class='votes'><h3>Was this article helpful?</h3><button>Yes</button><button>No</button></section>"
        "</div></main><footer><p>Copyright 2025 Acme Ltd. Powered by Zendesk.</p><a href='/privacy'>Privacy policy</a></footer>"
        "</body></html>"
    )


PAGES = {
    "/hc/returns": page_html(
        "Returning an item",
        {
            "Return window": "You can return unworn items within 30 days of delivery for a full refund to the original payment method.",
            "Return shipping": "Print the prepaid label from your order page and drop the parcel at any post office within seven days.",
        },
    ),
    "/hc/shipping": page_html(
        "Shipping times",
        {
            "Standard delivery": "Standard delivery takes three to five working days and is free on orders over fifty pounds.",
            "Express delivery": "Express orders placed before noon arrive the next working day for a fee of six pounds ninety-five.",
        },
    ),
    "/private/staff-discounts": page_html("Staff discounts", {"Who": "Staff get forty percent off everything in the shop."}),
    "/hc/warranty": page_html(
        "Warranty",
        {
            "What is covered": "Every jacket has a two year warranty against defects in zips, seams and waterproof membranes.",
            "Making a claim": "Send a photo of the fault with your order number and we repair or replace the jacket at no cost.",
        },
    ),
    "/guides/sizing": page_html(
        "Finding your size",
        {
            "Measuring": "Measure around the fullest part of your chest with a soft tape and compare it with the size chart.",
            "Between sizes": "If you are between two sizes, choose the larger one for layering under a winter jacket.",
        },
    ),
}


def urlset(urls: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{url}</loc><lastmod>2025-03-04</lastmod></url>" for url in urls)
        + "</urlset>"
    )


@dataclass
class Site:
    """The help centre: /sitemap.xml, an index of /sitemaps/help.xml and the gzipped
    /sitemaps/guides.xml.gz; /old/warranty redirects to /hc/warranty. Every page answers
    with an ETag (but /guides/sizing: Last-Modified only) and a 304 when asked with it."""

    server: FakeHttpServer
    times: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        routes = self.server.routes
        routes["/robots.txt"] = Reply(200, ROBOTS)
        routes["/sitemap.xml"] = Reply(
            200,
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.url}/sitemaps/help.xml</loc></sitemap>"
            f"<sitemap><loc>{self.url}/sitemaps/guides.xml.gz</loc></sitemap></sitemapindex>",
            "application/xml",
        )
        self.list(["/hc/returns", "/hc/shipping", "/private/staff-discounts", "/old/warranty"], ["/guides/sizing"])
        routes["/old/warranty"] = Reply(301, "", headers={"Location": "/hc/warranty"})
        for path, html in PAGES.items():
            self.serve(path, html, etag=path != "/guides/sizing")

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def sitemap(self) -> str:
        return f"{self.url}/sitemap.xml"

    def list(self, help_pages: list[str], guides: list[str]) -> None:
        """What the two sitemaps name (paths on this site, or whole URLs)."""
        self.server.routes["/sitemaps/help.xml"] = Reply(200, urlset([self.address(path) for path in help_pages]), "application/xml")
        gzipped = gzip.compress(urlset([self.address(path) for path in guides]).encode())
        self.server.routes["/sitemaps/guides.xml.gz"] = Reply(200, gzipped, "application/x-gzip")

    def address(self, path: str) -> str:
        return path if "://" in path else self.url + path

    def serve(self, path: str, html: str, *, etag: bool = True) -> None:
        tag = f'"{hashlib.sha256(html.encode()).hexdigest()[:16]}"'
        validators = {"ETag": tag, "Last-Modified": LAST_MODIFIED} if etag else {"Last-Modified": LAST_MODIFIED}

        def answer(request: Request) -> Reply:
            self.times.setdefault(path, []).append(time.monotonic())
            asked = {name.lower(): value for name, value in request.headers.items()}
            if (etag and asked.get("if-none-match") == tag) or (not etag and asked.get("if-modified-since") == LAST_MODIFIED):
                return Reply(304, b"", headers=validators)
            return Reply(200, html, "text/html; charset=utf-8", headers=validators)

        self.server.routes[path] = answer

    def requests_to(self, path: str) -> list[dict[str, str]]:
        """The headers of each request for `path`, names in lower case."""
        return [
            {name.lower(): value for name, value in request.headers.items()} for request in self.server.requests if request.path == path
        ]


@pytest.fixture
def site(http_server) -> Site:
    return Site(http_server)


def ingest(site: Site, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("kb_ingest", "--sitemap", site.sitemap, "--crawl-delay", "0", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def last_run() -> IndexingRun:
    return IndexingRun.objects.order_by("-started_at").first()


def stored() -> set[str]:
    return set(Document.objects.values_list("source", flat=True))


def test_the_index_s_sitemaps_are_read_and_each_page_stored_under_its_address(site):
    ingest(site)
    assert stored() == {f"{site.url}{path}" for path in ("/hc/returns", "/hc/shipping", "/old/warranty", "/guides/sizing")}
    assert {d.ingest_root for d in Document.objects.all()} == {f"sitemap:{site.sitemap}"}
    run = last_run()
    assert (run.source, run.status, run.documents_seen, run.documents_added, run.error) == (
        f"sitemap:{site.sitemap}",
        "succeeded",
        4,
        4,
        "",
    )
    sizing = Document.objects.get(source=f"{site.url}/guides/sizing")  # listed by the gzipped sitemap
    assert sizing.title == "Finding your size" and sizing.type == "html"
    # Every request says who is asking.
    agents = {value for request in site.server.requests for name, value in request.headers.items() if name.lower() == "user-agent"}
    assert agents == {"SmoothBot/1.0 (Smooth knowledge base; sitemap connector)"}


def test_the_page_s_main_content_is_stored_with_its_headings_and_without_the_site_s_chrome(site):
    ingest(site)
    returns = Document.objects.get(source=f"{site.url}/hc/returns")
    assert returns.title == "Returning an item"
    assert "## Return window\n" in returns.content and "## Return shipping\n" in returns.content
    assert "within 30 days of delivery" in returns.content
    for chrome in ("Submit a request", "Sign in", "Articles in this section", "Was this article helpful", "Powered by Zendesk", "cookies"):
        assert chrome not in returns.content
    assert ["Returning an item", "Return shipping"] in [chunk.metadata["headings"] for chunk in returns.chunks.all()]


def test_a_citation_links_to_the_page(site):
    ingest(site)
    [result] = search_blocking("how long is the warranty on a jacket", AccessContext.anonymous("default"), limit=1)
    assert (result.source, result.url, result.title) == (f"{site.url}/old/warranty", f"{site.url}/old/warranty", "Warranty")


def test_a_path_robots_txt_disallows_is_skipped_named_and_never_requested(site, caplog):
    caplog.set_level(logging.WARNING, logger="knowledge.connectors.sitemap")
    ingest(site)
    assert site.requests_to("/private/staff-discounts") == []
    assert f"{site.url}/private/staff-discounts" not in stored()
    assert f"{site.url}/private/staff-discounts: skipped, robots.txt disallows it for SmoothBot" in caplog.messages
    assert len(site.requests_to("/robots.txt")) == 1  # once a host, however many pages


def test_a_redirect_is_followed_and_the_page_kept_under_the_address_the_sitemap_lists(site):
    ingest(site)
    warranty = Document.objects.get(source=f"{site.url}/old/warranty")
    assert "two year warranty" in warranty.content and warranty.url == f"{site.url}/old/warranty"
    assert len(site.requests_to("/old/warranty")) == 1 and len(site.requests_to("/hc/warranty")) == 1


def test_a_failing_page_is_named_and_the_run_goes_on(site):
    site.list(["/hc/returns", "/hc/broken", "/hc/shipping", "/hc/logo.png"], ["/guides/sizing"])
    site.server.routes["/hc/broken"] = Reply(500, "oops")
    site.server.routes["/hc/logo.png"] = Reply(200, b"\x89PNG", "image/png")
    with pytest.raises(CommandError) as failed:
        ingest(site)
    assert f"{site.url}/hc/broken: answered HTTP 500" in str(failed.value)
    assert f"{site.url}/hc/logo.png: unsupported content type image/png" in str(failed.value)
    assert stored() == {f"{site.url}/hc/returns", f"{site.url}/hc/shipping", f"{site.url}/guides/sizing"}
    run = last_run()
    assert (run.status, run.documents_seen, run.documents_added) == ("failed", 5, 3)
    assert run.error.splitlines() == [
        f"{site.url}/hc/broken: answered HTTP 500",
        f"{site.url}/hc/logo.png: unsupported content type image/png",
    ]


def test_a_rerun_asks_with_the_stored_validators_and_an_unchanged_page_costs_one_request(site):
    ingest(site)
    etag = Document.objects.get(source=f"{site.url}/hc/returns").metadata["fetch"]["etag"]
    site.server.requests.clear()
    site.serve("/hc/shipping", PAGES["/hc/shipping"].replace("three to five", "two to four"))  # a new ETag
    out, _ = ingest(site)
    assert "1 updated, 3 unchanged" in out
    run = last_run()
    assert (run.documents_seen, run.documents_unchanged, run.documents_updated, run.status) == (4, 3, 1, "succeeded")
    returns = site.requests_to("/hc/returns")
    assert len(returns) == 1 and returns[0]["if-none-match"] == etag and returns[0]["if-modified-since"] == LAST_MODIFIED
    # Without an ETag, Last-Modified alone asks.
    [sizing] = site.requests_to("/guides/sizing")
    assert sizing["if-modified-since"] == LAST_MODIFIED and "if-none-match" not in sizing
    # The redirect is one request, the page it leads to another, both asked the same.
    assert [len(site.requests_to(path)) for path in ("/old/warranty", "/hc/warranty")] == [1, 1]
    assert "if-none-match" in site.requests_to("/hc/warranty")[0]
    assert len(site.requests_to("/hc/shipping")) == 1
    assert "two to four" in Document.objects.get(source=f"{site.url}/hc/shipping").content


def test_the_page_limit_stops_the_listing(site, caplog):
    caplog.set_level(logging.WARNING, logger="knowledge.connectors.sitemap")
    ingest(site, "--max-pages", "2")
    assert stored() == {f"{site.url}/hc/returns", f"{site.url}/hc/shipping"}
    assert site.requests_to("/old/warranty") == [] and site.requests_to("/sitemaps/guides.xml.gz") == []
    assert f"{site.url}/old/warranty and the pages after it: skipped, more than --max-pages 2" in caplog.messages
    assert last_run().status == "succeeded"


def test_the_byte_limit_stops_reading_and_names_what_was_not_read(site):
    site.list(["/hc/returns", "/hc/shipping", "/old/warranty"], [])
    listing = sum(len(site.server.routes[path].encoded()[0]) for path in ("/sitemap.xml", "/sitemaps/help.xml", "/sitemaps/guides.xml.gz"))
    with pytest.raises(CommandError) as failed:
        ingest(site, "--max-bytes", str(listing + len(PAGES["/hc/returns"]) + 100))
    assert stored() == {f"{site.url}/hc/returns"}
    assert str(failed.value).splitlines()[1:] == [
        f"{site.url}/hc/shipping: not read, the run's --max-bytes ({listing + len(PAGES['/hc/returns']) + 100} bytes) is used up",
        f"{site.url}/old/warranty: not read, the run's --max-bytes ({listing + len(PAGES['/hc/returns']) + 100} bytes) is used up",
    ]
    assert site.requests_to("/old/warranty") == []


def test_another_host_is_neither_listed_nor_followed_unless_allowed(site, caplog):
    caplog.set_level(logging.WARNING, logger="knowledge.connectors.sitemap")
    elsewhere = site.url.replace("127.0.0.1", "localhost")  # the same server under another host name
    site.list(["/hc/returns", f"{elsewhere}/hc/shipping", "/old/moved"], [])
    site.server.routes["/old/moved"] = Reply(302, "", headers={"Location": f"{elsewhere}/hc/warranty"})
    with pytest.raises(CommandError, match="another host"):
        ingest(site)
    assert stored() == {f"{site.url}/hc/returns"}
    assert site.requests_to("/hc/shipping") == [] and site.requests_to("/hc/warranty") == []
    assert f"{elsewhere}/hc/shipping: skipped, another host (--allow-host localhost to read it)" in caplog.messages
    assert f"{site.url}/old/moved: redirected to {elsewhere}/hc/warranty, another host (--allow-host localhost to follow it)" in (
        last_run().error
    )

    ingest(site, "--allow-host", "localhost")
    assert stored() == {f"{site.url}/hc/returns", f"{elsewhere}/hc/shipping", f"{site.url}/old/moved"}
    assert last_run().status == "succeeded"


def test_a_page_gone_from_a_complete_sitemap_is_pruned(site):
    ingest(site)
    site.list(["/hc/returns", "/private/staff-discounts", "/old/warranty"], ["/guides/sizing"])
    out, _ = ingest(site)
    assert f"{site.url}/hc/shipping" not in stored() and len(stored()) == 3
    assert last_run().documents_deleted == 1 and "1 deleted" in out


@pytest.mark.parametrize("failing", ["/sitemap.xml", "/sitemaps/guides.xml.gz"])
def test_nothing_is_pruned_when_a_sitemap_fails(site, failing):
    ingest(site)
    site.list(["/hc/returns"], ["/guides/sizing"])  # shipping and warranty gone...
    site.server.routes[failing] = Reply(503, "maintenance")  # ...but the listing is not whole
    with pytest.raises(CommandError, match=f"{failing}: answered HTTP 503"):
        ingest(site)
    assert len(stored()) == 4
    run = last_run()
    assert (run.documents_deleted, run.status) == (0, "failed")


def test_a_sitemap_that_is_not_one_prunes_nothing(site):
    ingest(site)
    site.server.routes["/sitemaps/help.xml"] = Reply(200, "<html><body>Page not found</body></html>", "text/html")
    site.server.routes["/sitemaps/guides.xml.gz"] = Reply(200, urlset([]), "application/xml")
    with pytest.raises(CommandError, match=r"help\.xml: not a sitemap \(its root is <html>\)"):
        ingest(site)
    assert len(stored()) == 4


def test_a_sitemap_naming_no_page_prunes_nothing(site):
    ingest(site)
    site.list([], [])
    with pytest.raises(CommandError, match="names no page that can be read; nothing is pruned"):
        ingest(site)
    assert len(stored()) == 4


def test_robots_txt_crawl_delay_spaces_the_requests_to_a_host(site):
    site.server.routes["/robots.txt"] = Reply(200, "User-agent: SmoothBot\nCrawl-delay: 1\n")
    site.server.routes["/sitemap.xml"] = Reply(200, urlset([f"{site.url}/hc/returns"]), "application/xml")
    stamps: list[float] = []
    sitemap = site.server.routes["/sitemap.xml"]
    site.server.routes["/sitemap.xml"] = lambda request: stamps.append(time.monotonic()) or sitemap
    ingest(site)  # --crawl-delay 0: robots.txt's is longer
    assert stored() == {f"{site.url}/hc/returns"}
    assert site.times["/hc/returns"][0] - stamps[0] >= 0.95


def test_an_unreachable_robots_txt_reads_no_page_and_prunes_nothing(site):
    ingest(site)
    site.server.routes["/robots.txt"] = Reply(500, "down")
    with pytest.raises(CommandError, match=r"robots\.txt: answered HTTP 500; the host's pages were not read"):
        ingest(site)
    assert len(stored()) == 4
    assert last_run().documents_deleted == 0


def test_the_settings_are_what_a_knowledge_source_keeps():
    sitemap = connector("sitemap")
    options = {
        "sitemaps": ["https://help.example.com/sitemap.xml"],
        "sitemap_max_pages": 20,
        "sitemap_max_bytes": 5 * 1024 * 1024,
        "sitemap_allow_hosts": ["https://Docs.Example.com/", "cdn.example.com"],
        "sitemap_crawl_delay": 2.0,
    }
    assert sitemap.requested(options) == ["https://help.example.com/sitemap.xml"]
    assert sitemap.settings(options) == {
        "max_pages": 20,
        "max_bytes": 5 * 1024 * 1024,
        "allow_hosts": ["cdn.example.com", "docs.example.com"],
        "crawl_delay": 2.0,
    }
    assert sitemap.key("https://help.example.com/sitemap.xml", {}) == "sitemap:https://help.example.com/sitemap.xml"


def test_a_bad_limit_is_refused_with_its_words(site):
    with pytest.raises(CommandError, match="not a size: '50 parsecs'"):
        ingest(site, "--max-bytes", "50 parsecs")


def sitemapindex(urls: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
        + "</sitemapindex>"
    )


def test_an_index_naming_itself_is_read_once_and_nesting_is_bounded(site):
    routes = site.server.routes
    routes["/sitemap.xml"] = Reply(200, sitemapindex([site.sitemap, f"{site.url}/nested/1.xml"]), "application/xml")
    for level in (1, 2):
        routes[f"/nested/{level}.xml"] = Reply(200, sitemapindex([f"{site.url}/nested/{level + 1}.xml"]), "application/xml")
    routes["/nested/3.xml"] = Reply(200, urlset([f"{site.url}/hc/returns"]), "application/xml")
    with pytest.raises(CommandError, match=r"/nested/3\.xml: not read, sitemaps nested deeper than 3 levels"):
        ingest(site)
    assert len(site.requests_to("/sitemap.xml")) == 1 and site.requests_to("/nested/3.xml") == []
    routes["/sitemap.xml"] = Reply(200, sitemapindex([site.sitemap, f"{site.url}/nested/2.xml"]), "application/xml")
    ingest(site)
    assert stored() == {f"{site.url}/hc/returns"}


def test_a_page_that_times_out_is_named_and_the_run_goes_on(site):
    def slow(request: Request) -> Reply:
        time.sleep(0.6)
        return Reply(200, "", "text/html")  # no body to write to the socket the client has closed

    site.list(["/hc/slow", "/hc/returns"], [])
    site.server.routes["/hc/slow"] = slow
    sitemap = connector("sitemap")
    with httpx.Client(timeout=0.3) as client:
        report = run_connector(sitemap, site.sitemap, {**sitemap.settings({}), "crawl_delay": 0}, organization_id="default", client=client)
    assert report.errors == [f"{site.url}/hc/slow: could not be fetched (ReadTimeout)"]
    assert stored() == {f"{site.url}/hc/returns"}


def test_a_listed_page_that_fails_on_a_rerun_is_kept(site):
    ingest(site)
    site.server.routes["/hc/shipping"] = Reply(500, "oops")
    with pytest.raises(CommandError, match="/hc/shipping: answered HTTP 500"):
        ingest(site)
    assert f"{site.url}/hc/shipping" in stored() and last_run().documents_deleted == 0
