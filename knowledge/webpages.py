"""The main content of a web page: its article, as Markdown with its headings, without
the site's header, navigation, sidebars, footer, cookie banner or "was this helpful?".

A help-centre page is mostly chrome: on the pages of tests/knowledge/helpcentre_pages/
(Zendesk, Intercom, Help Scout, Docusaurus and WordPress layouts, two of them short
answers), knowledge.sources.html_to_text keeps every article sentence and heading and
every one of the 104 navigation, sidebar, footer and banner phrases as well; trafilatura
keeps the same sentences and headings and none of those phrases (bench/html_extraction.py
measures both). So pages are read with trafilatura, and with html_to_text when it finds
no main content (a page of a few words, or no article at all).
"""

from __future__ import annotations

from knowledge.sources import html_to_text


def main_content(html: str) -> tuple[str, str]:
    """(title, text) of a page: the title from its metadata (og:title, the article's h1,
    <title>), the text its main content as Markdown (headings as `#` lines, for the
    chunker's heading path; lists, tables and code kept; links and images dropped)."""
    import trafilatura  # imported on first use: it loads lxml, justext and more

    fallback_title, fallback_text = html_to_text(html)
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_formatting=True,
        include_comments=False,  # a page's comment thread is visitors' words, not the answer
        include_tables=True,
        include_links=False,
        include_images=False,
    )
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        return fallback_title, fallback_text
    title = getattr(extracted, "title", None) or fallback_title
    return " ".join(title.split()), text.strip()
