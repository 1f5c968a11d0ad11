"""How well a web page's text is extracted: today's html_to_text against the main-content
extractor the sitemap connector uses (knowledge.webpages.main_content, trafilatura).

The pages are tests/knowledge/helpcentre_pages/*.html, written after real help-centre
layouts (header, navigation, breadcrumbs, sidebar, footer, cookie banner, votes, related
articles around an article with headings). expected.json names, for each page, the
article's sentences, its headings, and phrases of the page's chrome. Three figures per
extractor: article sentences kept, headings kept as Markdown heading lines (the chunker's
heading path), chrome phrases leaked into the text.

    .venv/bin/python bench/html_extraction.py [--show PAGE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.sources import html_to_text  # noqa: E402
from knowledge.webpages import main_content  # noqa: E402

PAGES = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "helpcentre_pages"
EXTRACTORS = {"html_to_text": html_to_text, "main_content (trafilatura)": main_content}


def flat(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


def measure(text: str, expected: dict) -> tuple[int, int, list[str]]:
    """(sentences kept, headings kept as heading lines, chrome phrases leaked)."""
    words = flat(text)
    headings = {flat(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    return (
        sum(sentence in words for sentence in expected["content"]),
        sum(heading in headings for heading in expected["headings"]),
        [phrase for phrase in expected["boilerplate"] if phrase in words],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", metavar="PAGE", help="print each extractor's text of this page (e.g. zendesk_returns.html)")
    args = parser.parse_args()
    expected = json.loads((PAGES / "expected.json").read_text())
    pages = {name: (PAGES / name).read_text() for name in expected}
    for html in pages.values():  # the first call imports trafilatura: not a page's cost
        main_content(html)
        break
    print("| extractor | page | sentences | headings | chrome leaked |\n| --- | --- | --- | --- | --- |")
    totals = {}
    for extractor, extract in EXTRACTORS.items():
        kept = headings = leaked = sentences = heading_count = chrome = 0
        started = time.perf_counter()
        for name, html in pages.items():
            title, text = extract(html)
            page_kept, page_headings, page_leaked = measure(text, expected[name])
            print(
                f"| {extractor} | {name} | {page_kept}/{len(expected[name]['content'])} | "
                f"{page_headings}/{len(expected[name]['headings'])} | {len(page_leaked)}/{len(expected[name]['boilerplate'])}"
                + (f": {', '.join(page_leaked[:3])}{', …' if len(page_leaked) > 3 else ''}" if page_leaked else "")
                + " |"
            )
            kept, headings, leaked = kept + page_kept, headings + page_headings, leaked + len(page_leaked)
            sentences += len(expected[name]["content"])
            heading_count += len(expected[name]["headings"])
            chrome += len(expected[name]["boilerplate"])
        elapsed = (time.perf_counter() - started) * 1000 / len(pages)
        totals[extractor] = (
            f"| {extractor} | all | {kept}/{sentences} | {headings}/{heading_count} | {leaked}/{chrome} ({elapsed:.1f} ms a page) |"
        )
    print("\n".join(totals.values()))
    if args.show:
        for extractor, extract in EXTRACTORS.items():
            title, text = extract(pages[args.show])
            print(f"\n===== {extractor}: {title}\n{text}")


if __name__ == "__main__":
    main()
