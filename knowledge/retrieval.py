"""Retrieval: the API the agent reads knowledge through.

Two halves, each over what the requester may read in its organisation (the
AccessContext names it):

- full text (knowledge.lexical: BM25F with calibrated scores, 0 to 1), which
  catches typos, names and facts deep in a long article;
- meaning (knowledge.dense: cosine similarity to the embedding model's
  vectors), which catches the same question in other words or another language.
  Each model's cosines are mapped onto 0..1 by its SimilarityScale, so neither
  half outvotes the other.

A passage's score is the weighted mean of the two (SMOOTH_RETRIEVAL_DENSE_WEIGHT,
0.5 unless set). Then the relevance decision: from the evidence of the best
passages (their two halves, the closest sentence in meaning, whether the halves
agree on the document, how far it stands above the next document, how many of the
question's words the knowledge has at all) calibrated logistic models say whether
the knowledge answers the question. When it does not, no passage comes back: the model
gets no context and cites nothing, and the offline answer says it found nothing.
When it does, passages far below the best are left out too.

Where each step runs: the query's embedding on the model's threads
(knowledge.embeddings), the ranking on `search_executor` threads with database
connections of their own (knowledge.indexes), and an optional rerank
(SMOOTH_AGENT_RERANK) on the event loop. Nothing here runs on the thread that
serves every socket's database work.

A turn's search (`search`) is timed (core.metrics) and traced: a `retrieval` span with
the relevance decision, and a child for each half (`retrieval.lexical`,
`retrieval.dense`) with its counts; the query's text only with SMOOTH_TRACE_CONTENT.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
from asgiref.sync import async_to_sync
from django.conf import settings

from core import metrics, tracing
from core.gateway import close_loop_client
from identity.access import AccessContext
from knowledge import rerank as reranking
from knowledge.dense import dense_search, readable_documents
from knowledge.embeddings import embed_query, get_embedder, similarities
from knowledge.indexes import search_executor, with_own_connection
from knowledge.lexical import lexical_search
from knowledge.models import Chunk
from knowledge.text import plain_sentences

MAX_LIMIT = 50
DEFAULT_DENSE_WEIGHT = 0.5

# The relevance decision: two logistic models over the best passages' evidence, fitted
# on the tuning sets (bench/retrieval_quality.py --languages --calibrate). WORDS_MODEL
# reads every feature and was fitted on the questions in the knowledge's own language;
# MEANING_MODEL reads the meaning alone and was fitted on English, German and Spanish
# questions, so a visitor asking in their own language is not refused for want of
# shared words. The knowledge answers when either model's probability reaches its
# threshold, set for at most 5% of answerable English questions refused (10% of
# translated ones).
WORDS_MODEL = {
    "bias": -4.42, "lexical": 2.97, "dense": 0.83, "agree": 0.33, "gap": -1.31, "sentence": 2.77, "known": 4.83, "unknown": -1.36,
}  # fmt: skip
MEANING_MODEL = {"bias": -3.00, "dense": 2.60, "sentence": 3.82, "gap": 1.62, "agree": 0.12}
WORDS_THRESHOLD, MEANING_THRESHOLD = 0.54, 0.30
# A question with no vector (the gateway's /embeddings failed, or the dense weight is 0)
# is judged on the full text's evidence alone, by a model fitted on that alone.
FULL_TEXT_MODEL = {"bias": -4.21, "lexical": 4.01, "known": 6.10, "unknown": -0.43}
FULL_TEXT_THRESHOLD = 0.24
# The passages whose sentences the relevance decision reads.
EVIDENCE_PASSAGES = 3
# A passage joins the best one only with at least this share of its score.
PASSAGE_SHARE = 0.6


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


@dataclass(frozen=True)
class Evidence:
    """What the relevance decision reads, of the best passage."""

    lexical: float = 0.0  # its full-text score, 0..1
    dense: float = 0.0  # its calibrated similarity, 0..1
    agree: bool = False  # the two halves' best passages come from the same document
    gap: float = 0.0  # its fused score minus the best of another document
    sentence: float = 0.0  # the calibrated similarity of the closest sentence of the best passages
    known: float = 0.0  # the share of the question's words the knowledge has
    unknown: float = 0.0  # how many of the question's words it lacks (a third each, at most 1)
    meaning: bool = True  # the question had a vector: the dense evidence counts

    def features(self) -> dict[str, float]:
        return {
            "bias": 1.0,
            "lexical": self.lexical,
            "dense": self.dense,
            "agree": float(self.agree),
            "gap": self.gap,
            "sentence": self.sentence,
            "known": self.known,
            "unknown": self.unknown,
        }

    def probability(self, model: dict[str, float]) -> float:
        features = self.features()
        z = sum(weight * features[name] for name, weight in model.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    @property
    def answers(self) -> bool:
        """Whether the knowledge answers the question at all."""
        if not self.meaning:
            return self.probability(FULL_TEXT_MODEL) >= FULL_TEXT_THRESHOLD
        return self.probability(WORDS_MODEL) >= WORDS_THRESHOLD or self.probability(MEANING_MODEL) >= MEANING_THRESHOLD


@dataclass(frozen=True)
class Ranking:
    results: list[SearchResult]  # best first, every candidate (no relevance cut)
    evidence: Evidence

    @property
    def relevant(self) -> bool:
        return bool(self.results) and self.evidence.answers

    def answer_passages(self) -> list[SearchResult]:
        """What may be context and citation: nothing when the knowledge does not answer,
        else the passages near the best one."""
        if not self.relevant:
            return []
        floor = max(PASSAGE_SHARE * self.results[0].score, settings.SMOOTH_RETRIEVAL_MIN_SCORE or 0.0)
        return [result for result in self.results if result.score >= floor]


def dense_weight_setting() -> float:
    configured = settings.SMOOTH_RETRIEVAL_DENSE_WEIGHT
    return DEFAULT_DENSE_WEIGHT if configured is None else configured


def fuse(lexical: list[tuple[int, float]], dense: list[tuple[int, float]], dense_weight: float) -> list[tuple[int, float]]:
    """(chunk id, weighted mean of the two scores) best first; a chunk missing from one
    ranking scores 0 there. `dense` holds calibrated similarities (0..1)."""
    if not dense or dense_weight <= 0:
        return sorted(lexical, key=lambda item: (-item[1], item[0]))
    fused = {chunk_id: (1 - dense_weight) * score for chunk_id, score in lexical}
    for chunk_id, similarity in dense:
        fused[chunk_id] = fused.get(chunk_id, 0.0) + dense_weight * similarity
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def candidate_count(limit: int) -> int:
    return max(_clamp(limit) * 3, 20)


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def rank_all(
    query: str, access: AccessContext, *, limit: int, query_vector: np.ndarray | None, document_sets: list[str] | None = None
) -> Ranking:
    """Every candidate best first, with the evidence the relevance decision reads."""
    if not query.strip():
        return Ranking([], Evidence())
    pool = max(_clamp(limit) * 5, 30)
    readable = readable_documents(access=access, document_sets=document_sets)
    if not readable:
        return Ranking([], Evidence())
    with tracing.span("retrieval.lexical", brief=True) as span:
        match = lexical_search(query, organization_id=access.organization_id, readable=readable, limit=pool)
        span.set_attributes(
            {
                "smooth.retrieval.matches": len(match.ranking),
                "smooth.retrieval.known_words": match.known,
                "smooth.retrieval.unknown_words": match.unknown,
            }
        )
    lexical = match.ranking
    dense_weight = dense_weight_setting()
    dense = []
    if query_vector is not None and dense_weight > 0:
        with tracing.span("retrieval.dense", brief=True) as span:
            scale = get_embedder().scale
            candidates = dense_search(query_vector, organization_id=access.organization_id, readable=readable, limit=pool)
            dense = [(chunk_id, float(scale.calibrate(cosine))) for chunk_id, cosine in candidates]
            span.set_attribute("smooth.retrieval.matches", len(dense))
    fused = [(chunk_id, score) for chunk_id, score in fuse(lexical, dense, dense_weight) if score > 0][: candidate_count(limit)]
    chunks = Chunk.objects.select_related("document").in_bulk([chunk_id for chunk_id, _ in fused])
    results = [
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
    evidence = _evidence(results, lexical, dense, chunks)
    if results:
        evidence = replace(
            evidence,
            sentence=_closest_sentence(results[:EVIDENCE_PASSAGES], query_vector),
            known=match.known / max(1, match.unknown + match.known),
            unknown=min(match.unknown, 3) / 3,
            meaning=query_vector is not None and dense_weight > 0,
        )
    return Ranking(results, evidence)


def _closest_sentence(results: list[SearchResult], query_vector: np.ndarray | None) -> float:
    """How close in meaning the question is to the nearest single sentence of `results`
    (a passage holds several topics; the sentence that answers holds one)."""
    sentences = [sentence for result in results for sentence in plain_sentences(result.text, result.metadata)]
    if query_vector is None or not sentences:
        return 0.0
    found = similarities(query_vector, sentences)
    return 0.0 if found is None else float(found.max())


def _evidence(results: list[SearchResult], lexical, dense, chunks) -> Evidence:
    if not results:
        return Evidence()
    best = results[0]
    lexical_scores, dense_scores = dict(lexical), dict(dense)
    other = next((result.score for result in results if result.document_id != best.document_id), 0.0)

    def document_of(ranking) -> str | None:
        chunk = chunks.get(ranking[0][0]) if ranking else None
        return str(chunk.document_id) if chunk is not None else None

    top_dense = document_of(sorted(dense, key=lambda item: -item[1]))
    return Evidence(
        lexical=lexical_scores.get(best.chunk_id, 0.0),
        dense=dense_scores.get(best.chunk_id, 0.0),
        agree=bool(dense) and document_of(lexical) == top_dense == best.document_id,
        gap=best.score - other,
    )


def rank(
    query: str,
    access: AccessContext,
    *,
    limit: int,
    query_vector: np.ndarray | None,
    document_sets: list[str] | None = None,
    min_score: float | None = None,
) -> list[SearchResult]:
    """The relevant candidates, best first (more than `limit`, for the rerank to choose
    from): the relevance decision's, or with `min_score` every candidate scoring at
    least that (0: all of them). Runs on the caller's thread and database connection."""
    ranking = rank_all(query, access, limit=limit, query_vector=query_vector, document_sets=document_sets)
    passages = [result for result in ranking.results if result.score >= min_score] if min_score is not None else ranking.answer_passages()
    span = tracing.current_span()  # the search's (`search`), across the thread hop
    if span.is_recording():
        best = ranking.results[0].score if ranking.results else 0.0
        span.set_attributes(
            {
                "smooth.retrieval.candidates": len(ranking.results),
                "smooth.retrieval.relevant": ranking.relevant,
                "smooth.retrieval.best_score": best,
            }
        )
    return passages


async def rank_off_thread(query: str, access: AccessContext, **options) -> list[SearchResult]:
    """rank() on a search thread, with a database connection of its own (and the caller's
    context: its span is the ranking's parent)."""
    loop = asyncio.get_running_loop()
    ranking = functools.partial(with_own_connection, rank, query, access, **options)
    return await loop.run_in_executor(search_executor, contextvars.copy_context().run, ranking)


async def query_vector_for(query: str) -> np.ndarray | None:
    """The query's vector when the dense half counts at all."""
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
    """A turn's search (its knowledge stage's, or the knowledge_search tool's): embedded, ranked and reranked."""
    started = time.perf_counter()
    with tracing.span("retrieval", {"smooth.retrieval.limit": limit}) as span:
        try:
            if tracing.content_allowed():
                span.set_attribute("smooth.retrieval.query", query)
            vector = await query_vector_for(query)
            candidates = await rank_off_thread(
                query, access, limit=limit, query_vector=vector, document_sets=document_sets, min_score=min_score
            )
            results = await rerank(query, candidates, limit)
            span.set_attribute("smooth.retrieval.passages", len(results))
            return results
        finally:
            metrics.retrieval_seconds.observe(time.perf_counter() - started)


def search_blocking(
    query: str, access: AccessContext, *, limit: int = 3, document_sets: list[str] | None = None, min_score: float | None = None
) -> list[SearchResult]:
    """search() for callers without an event loop (commands, benchmarks, tests): the
    database work stays on the caller's thread, inside whatever transaction it holds."""
    return rerank_blocking(query, rank_blocking(query, access, limit=limit, document_sets=document_sets, min_score=min_score), limit)


def rank_blocking(query: str, access: AccessContext, **options) -> list[SearchResult]:
    vector = query_vector_blocking(query)
    return rank(query, access, query_vector=vector, **options)


def query_vector_blocking(query: str) -> np.ndarray | None:
    return _run_async(query_vector_for(query))


def rerank_blocking(query: str, candidates: list[SearchResult], limit: int) -> list[SearchResult]:
    return _run_async(rerank(query, candidates, limit))


def _run_async(coroutine):
    async def run():
        try:
            return await coroutine
        finally:
            await close_loop_client()  # this loop ends with the call

    return async_to_sync(run)()
