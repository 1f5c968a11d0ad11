"""Citations: the sources that grounded a turn, deduplicated by document, at most 8."""

from __future__ import annotations

from dataclasses import dataclass

from chat import protocol
from knowledge.text import passage_body

MAX_CITATIONS = 8
SNIPPET_CHARS = 500


@dataclass(frozen=True)
class Citation:
    id: str  # the document's source: stable, and unique within the organisation
    title: str
    snippet: str
    score: float
    url: str | None = None

    def as_event(self) -> dict:
        return protocol.citation(id=self.id, title=self.title, snippet=self.snippet, score=self.score, url=self.url)


def snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + "…"


def citation_from_result(result) -> Citation:
    """The passage as cited. A passage of a paged document (a PDF) names the page it starts
    on in the title ("Returns policy, page 4") and, when the document has a web address,
    in the URL's fragment ("…/returns.pdf#page=4", which PDF viewers open at that page)."""
    title, url = result.title, result.url
    page = result.metadata.get("page")
    if isinstance(page, int) and not isinstance(page, bool):
        title = f"{title}, page {page}"
        if url and "#" not in url:
            url = f"{url}#page={page}"
    return Citation(
        id=result.source,
        title=title,
        snippet=snippet(passage_body(result.text, result.metadata)),
        score=result.score,
        url=url,
    )


def collect(*groups: list[Citation]) -> list[Citation]:
    """In order, first occurrence of each document wins, at most MAX_CITATIONS."""
    seen: set[str] = set()
    citations: list[Citation] = []
    for group in groups:
        for citation in group:
            if citation.id not in seen and len(citations) < MAX_CITATIONS:
                seen.add(citation.id)
                citations.append(citation)
    return citations
