"""Headless Chromium (Debian's package, never a downloaded browser) driven by
Playwright, against real `manage.py serve` processes. Screenshots go to
test-artifacts/browser/ (SMOOTH_TEST_ARTIFACTS overrides)."""

from __future__ import annotations

import os
import shutil
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
