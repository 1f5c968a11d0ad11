"""Retrieval: the API the agent reads knowledge through.

Full text first (knowledge.lexical: BM25F with calibrated scores), and dense
vector similarity beside it with SMOOTH_RETRIEVAL_DENSE_WEIGHT (none with the
offline hashed embedder, which measured only worse than full text alone): each
over what the requester may read in its organisation (the AccessContext names
it). A result's score is the weighted mean of the two, from 0 to 1, and means
the same across queries; below SMOOTH_RETRIEVAL_MIN_SCORE a passage is not
relevant and is left out. An optional rerank (SMOOTH_AGENT_RERANK) reorders
what is left.

Three steps, so that no network call ever runs on the database thread:
`embed_query` (async: the gateway's /embeddings, or the offline embedder),
`rank` (sync, database only, inside one database_sync_to_async hop) and
`rerank` (async: the gateway's /rerank, or the lexical scores). `search` runs
all three; a turn runs `rank` inside its own opening hop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings

from knowledge import rerank as reranking
from knowledge.access import AccessContext
from knowledge.dense import dense_search, readable_documents
from knowledge.embeddings import GatewayEmbedder, embed_query, get_embedder
from knowledge.lexical import lexical_search
from knowledge.models import Chunk
from smooth.gateway import close_loop_client

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


def fuse(lexical: list[tuple[int, float]], dense: list[tuple[int, float]], dense_weight: float) -> list[tuple[int, float]]:
    """(chunk id, weighted mean of the two scores) best first; a chunk missing from
    one ranking scores 0 there, and a negative cosine counts as 0."""
    if not dense or dense_weight <= 0:
        return sorted(lexical, key=lambda item: (-item[1], item[0]))
    fused = {chunk_id: (1 - dense_weight) * score for chunk_id, score in lexical}
    for chunk_id, similarity in dense:
        fused[chunk_id] = fused.get(chunk_id, 0.0) + dense_weight * max(similarity, 0.0)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def dense_weight_setting() -> float:
    """SMOOTH_RETRIEVAL_DENSE_WEIGHT, or when unset: 0.5 with the gateway's embeddings,
    none with the offline hashed embedder (bench/retrieval_quality.py: any weight of it
    lowered recall)."""
    configured = settings.SMOOTH_RETRIEVAL_DENSE_WEIGHT
    if configured is not None:
        return configured
    return 0.5 if isinstance(get_embedder(), GatewayEmbedder) else 0.0


def candidate_count(limit: int) -> int:
    return max(_clamp(limit) * 3, 20)


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def rank(
    query: str,
    access: AccessContext,
    *,
    limit: int,
    query_vector: np.ndarray | None,
    document_sets: list[str] | None = None,
    min_score: float | None = None,
) -> list[SearchResult]:
    """The relevant candidates, best first (more than `limit`, for the rerank to
    choose from). Database work only. `min_score` defaults to SMOOTH_RETRIEVAL_MIN_SCORE."""
    if not query.strip():
        return []
    floor = settings.SMOOTH_RETRIEVAL_MIN_SCORE if min_score is None else min_score
    pool = max(_clamp(limit) * 5, 30)
    readable = readable_documents(access=access, document_sets=document_sets)
    if not readable:
        return []
    scope = {"organization_id": access.organization_id, "readable": readable, "limit": pool}
    lexical = lexical_search(query, **scope)
    dense_weight = dense_weight_setting()
    dense = dense_search(query_vector, **scope) if query_vector is not None and dense_weight > 0 else []
    fused = [(chunk_id, score) for chunk_id, score in fuse(lexical, dense, dense_weight) if score >= floor and score > 0]
    fused = fused[: candidate_count(limit)]
    chunks = Chunk.objects.select_related("document").in_bulk([chunk_id for chunk_id, _ in fused])
    return [
        SearchResult(
            document_id=str(chunk.document_id),
            chunk_id=chunk.id,
            text=chunk.text,
            score=round(score, 4),
            source=chunk.document.source,
            title=chunk.document.title,
            url=chunk.document.url,
            metadata=chunk.metadata,
        )
        for chunk_id, score in fused
        if (chunk := chunks.get(chunk_id)) is not None
    ]


async def query_vector_for(query: str) -> np.ndarray | None:
    """The query's vector when the dense half counts at all (no /embeddings call otherwise)."""
    if not query.strip() or dense_weight_setting() <= 0:
        return None
    return await embed_query(query)


async def rerank(query: str, candidates: list[SearchResult], limit: int) -> list[SearchResult]:
    """The best `limit` candidates, reordered by SMOOTH_AGENT_RERANK (a failing gateway keeps the fused order)."""
    mode = settings.SMOOTH_AGENT_RERANK
    if mode != "off" and candidates:
        texts = [result.text for result in candidates]
        scores = reranking.lexical_scores(query, texts) if mode == "lexical" else await reranking.gateway_scores(query, texts)
        if scores is not None:
            # Ties keep the fused order; each keeps its own (calibrated) score.
            order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
            candidates = [candidates[i] for i in order]
    return candidates[: _clamp(limit)]


async def search(
    query: str, access: AccessContext, *, limit: int = 3, document_sets: list[str] | None = None, min_score: float | None = None
) -> list[SearchResult]:
    vector = await query_vector_for(query)
    candidates = await database_sync_to_async(rank)(
        query, access, limit=limit, query_vector=vector, document_sets=document_sets, min_score=min_score
    )
    return await rerank(query, candidates, limit)


def search_blocking(
    query: str, access: AccessContext, *, limit: int = 3, document_sets: list[str] | None = None, min_score: float | None = None
) -> list[SearchResult]:
    """search() for callers without an event loop (commands, benchmarks, tests): the
    database work stays on the caller's thread, inside whatever transaction it holds."""

    async def run() -> list[SearchResult]:
        try:
            vector = await query_vector_for(query)
            candidates = await sync_to_async(rank)(
                query, access, limit=limit, query_vector=vector, document_sets=document_sets, min_score=min_score
            )
            return await rerank(query, candidates, limit)
        finally:
            await close_loop_client()  # this loop ends with the call

    return async_to_sync(run)()
