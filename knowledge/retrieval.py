"""Retrieval: the API the agent reads knowledge through.

Hybrid: sparse full-text candidates and dense vector candidates, each taken from
what the requester may read in its organisation (the AccessContext names it),
fused by reciprocal-rank fusion, then optionally reranked (SMOOTH_AGENT_RERANK).

Three steps, so that no network call ever runs on the database thread:
`embed_query` (async: the gateway's /embeddings, or the offline embedder),
`rank` (sync, database only, inside one database_sync_to_async hop) and
`rerank` (async: the gateway's /rerank, or the lexical scores). `search` runs
all three; a turn runs `rank` inside its own opening hop.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings

from knowledge import rerank as reranking
from knowledge.access import AccessContext
from knowledge.dense import dense_search
from knowledge.embeddings import embed_query
from knowledge.models import Chunk
from knowledge.sparse import sparse_search
from smooth.gateway import close_loop_client

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
        for rank_, (chunk_id, _) in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank_ + 1)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def candidate_count(limit: int) -> int:
    return max(_clamp(limit) * 3, 20)


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def rank(
    query: str, access: AccessContext, *, limit: int, query_vector: np.ndarray | None, document_sets: list[str] | None = None
) -> list[SearchResult]:
    """The fused candidates, best first (more than `limit`, for the rerank to choose
    from). Database work only. Without a query vector, full text ranks alone."""
    if not query.strip():
        return []
    pool = max(_clamp(limit) * 5, 30)
    scope = {"access": access, "limit": pool, "document_sets": document_sets}
    rankings = [sparse_search(query, **scope)]
    if query_vector is not None:
        rankings.append(dense_search(query_vector, **scope))
    fused = reciprocal_rank_fusion(*rankings)[: candidate_count(limit)]
    chunks = Chunk.objects.select_related("document").in_bulk([chunk_id for chunk_id, _ in fused])
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
        for chunk_id, score in fused
        if (chunk := chunks.get(chunk_id)) is not None
    ]


async def rerank(query: str, candidates: list[SearchResult], limit: int) -> list[SearchResult]:
    """The best `limit` candidates, reordered by SMOOTH_AGENT_RERANK (a failing gateway keeps the fused order)."""
    mode = settings.SMOOTH_AGENT_RERANK
    if mode != "off" and candidates:
        texts = [result.text for result in candidates]
        scores = reranking.lexical_scores(query, texts) if mode == "lexical" else await reranking.gateway_scores(query, texts)
        if scores is not None:
            order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))  # ties keep the fused order
            candidates = [replace(candidates[i], score=round(scores[i], 6)) for i in order]
    return candidates[: _clamp(limit)]


async def search(query: str, access: AccessContext, *, limit: int = 3, document_sets: list[str] | None = None) -> list[SearchResult]:
    vector = await embed_query(query) if query.strip() else None
    candidates = await database_sync_to_async(rank)(query, access, limit=limit, query_vector=vector, document_sets=document_sets)
    return await rerank(query, candidates, limit)


def search_blocking(query: str, access: AccessContext, *, limit: int = 3, document_sets: list[str] | None = None) -> list[SearchResult]:
    """search() for callers without an event loop (commands, benchmarks, tests): the
    database work stays on the caller's thread, inside whatever transaction it holds."""

    async def run() -> list[SearchResult]:
        try:
            vector = await embed_query(query) if query.strip() else None
            candidates = await sync_to_async(rank)(query, access, limit=limit, query_vector=vector, document_sets=document_sets)
            return await rerank(query, candidates, limit)
        finally:
            await close_loop_client()  # this loop ends with the call

    return async_to_sync(run)()
