"""search(): the retrieval API the agent reads through.

Hybrid: sparse full-text candidates and dense vector candidates, each taken
from what the requester may read inside the organisation, fused by
reciprocal-rank fusion, then optionally reranked (SMOOTH_AGENT_RERANK).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from knowledge import rerank
from knowledge.access import AccessContext
from knowledge.dense import dense_search
from knowledge.embeddings import get_embedder
from knowledge.models import Chunk
from knowledge.sparse import sparse_search

RRF_K = 60
MAX_LIMIT = 50


@dataclass(frozen=True)
class SearchResult:
    document_id: str
    chunk_id: int
    text: str
    score: float
    source: str
    title: str
    url: str | None
    metadata: dict = field(default_factory=dict)


def reciprocal_rank_fusion(*rankings: list[tuple[int, float]], k: int = RRF_K) -> list[tuple[int, float]]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (chunk_id, _) in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def search(query: str, access: AccessContext, organization_id: str, limit: int = 3, document_sets: list[str] | None = None) -> list[SearchResult]:
    limit = max(1, min(limit, MAX_LIMIT))
    if not query.strip():
        return []
    pool = max(limit * 5, 30)
    scope = {"access": access, "organization_id": organization_id, "limit": pool, "document_sets": document_sets}
    sparse = sparse_search(query, **scope)
    dense = dense_search(get_embedder().embed([query])[0], **scope)
    fused = reciprocal_rank_fusion(sparse, dense)[: max(limit * 3, 20)]
    chunks = Chunk.objects.select_related("document").in_bulk([chunk_id for chunk_id, _ in fused])
    candidates = [(chunks[chunk_id], score) for chunk_id, score in fused if chunk_id in chunks]
    candidates = _rerank(query, candidates)
    return [
        SearchResult(
            document_id=str(chunk.document_id),
            chunk_id=chunk.id,
            text=chunk.text,
            score=round(score, 6),
            source=chunk.document.source,
            title=chunk.document.title,
            url=chunk.document.url,
            metadata=chunk.metadata,
        )
        for chunk, score in candidates[:limit]
    ]


def _rerank(query: str, candidates: list[tuple[Chunk, float]]) -> list[tuple[Chunk, float]]:
    mode = settings.SMOOTH_AGENT_RERANK
    if mode == "off" or not candidates:
        return candidates
    texts = [chunk.text for chunk, _ in candidates]
    scores = rerank.lexical_scores(query, texts) if mode == "lexical" else rerank.gateway_scores(query, texts)
    if scores is None:
        return candidates
    # Ties keep the fused order.
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    return [(candidates[i][0], scores[i]) for i in order]
