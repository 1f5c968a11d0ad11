"""A web page's main content (knowledge.webpages): on pages written after real help-centre
layouts (tests/knowledge/helpcentre_pages/, measured by bench/html_extraction.py), the
article's sentences and headings are kept and the site's chrome is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.webpages import main_content

PAGES = Path(__file__).parent / "helpcentre_pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text())


def flat(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_help_centre_page_keeps_its_article_and_headings_and_drops_the_chrome(page):
    expected = EXPECTED[page]
    title, text = main_content((PAGES / page).read_text())
    assert title == expected["title"]
    assert [sentence for sentence in expected["content"] if sentence not in flat(text)] == []
    headings = {flat(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    assert [heading for heading in expected["headings"] if heading not in headings] == []
    assert [phrase for phrase in expected["boilerplate"] if phrase in flat(text)] == []


def test_a_page_with_no_main_content_is_read_as_a_whole():
    assert main_content("<html><head><title> Opening\nhours </title></head><body></body></html>") == ("Opening hours", "")
