"""README and docs/: the front page stays a front page, every table renders as one, every
relative link (and its #anchor) resolves, and long pages open with their contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LONG_PAGE_BYTES = 12_000  # past this, a page of several sections opens with a table of contents
markdown = MarkdownIt("commonmark").enable("table")


def anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    found = set()
    for token in markdown.parse(text):
        if token.type == "inline" and token.map and text.splitlines()[token.map[0]].startswith("#"):
            found.add(re.sub(r"[^\w\- ]", "", token.content.lower()).replace(" ", "-"))
    return found


def links(text: str) -> list[str]:
    hrefs = []
    for token in markdown.parse(text):
        for child in token.children or []:
            if child.type in ("link_open", "image") and child.attrGet("href" if child.type == "link_open" else "src"):
                hrefs.append(child.attrGet("href" if child.type == "link_open" else "src"))
    return hrefs


def test_the_readme_is_a_front_page():
    readme = (REPO / "README.md").read_text()
    assert len(readme.encode()) < 10_000
    first_screen = "\n".join(readme.splitlines()[:45])
    assert "./scripts/run.sh" in first_screen and "./scripts/test.sh" in first_screen


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_table_renders(page):
    text = page.read_text()
    rendered = markdown.parse(text)
    tables = sum(token.type == "table_open" for token in rendered)
    in_code, blocks, previous = False, 0, False
    for line in text.splitlines():
        in_code = not in_code if line.startswith("```") else in_code
        row = not in_code and line.lstrip().startswith("|")
        blocks += row and not previous
        previous = row
    assert tables == blocks, f"{page.name}: {blocks} blocks of table rows, {tables} render as tables"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_resolves(page):
    text = page.read_text()
    for href in links(text):
        if re.match(r"^[a-z]+:", href):
            continue
        path, _, anchor = href.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {href} does not exist"
        if anchor and target.suffix == ".md":
            assert anchor in anchors(target.read_text()), f"{page.name}: {href} names no heading of {target.name}"


def sections(page: Path) -> int:
    return sum(line.startswith("## ") for line in page.read_text().splitlines())


@pytest.mark.parametrize(
    "page", [page for page in PAGES if len(page.read_bytes()) > LONG_PAGE_BYTES and sections(page) >= 4], ids=lambda page: page.name
)
def test_a_long_page_opens_with_its_contents(page):
    head = "\n".join(page.read_text().splitlines()[:30])
    assert "## Contents" in head, f"{page.name} is long and has no table of contents near its top"
