"""Headless Chromium (Debian's package, never a downloaded browser) driven by
Playwright, against real `manage.py serve` processes. Screenshots go to
test-artifacts/browser/ (SMOOTH_TEST_ARTIFACTS overrides)."""
from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.live import REPO, service_missing

CHROMIUM = os.environ.get("SMOOTH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("SMOOTH_TEST_ARTIFACTS", REPO / "test-artifacts")) / "browser"


@pytest.fixture
async def browser():
    if not shutil.which(CHROMIUM):
        service_missing(f"Chromium is not installed at {CHROMIUM} (apt install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


@pytest.fixture
def screenshot(request):
    """await screenshot(page, "name"): a PNG under test-artifacts/browser/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take


class StaticSite:
    """A host site on its own port (so its own origin): serves the files written to it."""

    def __init__(self, root: Path):
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, name: str, html: str) -> str:
        (self.root / name).write_text(html)
        return f"{self.origin}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def host_site(tmp_path):
    root = tmp_path / "host-site"
    root.mkdir()
    site = StaticSite(root)
    yield site
    site.stop()
