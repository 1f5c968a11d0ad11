"""Optional rerank stage over the fused candidates (SMOOTH_AGENT_RERANK)."""
from __future__ import annotations

import logging

import httpx
from django.conf import settings

from knowledge.embeddings import terms

logger = logging.getLogger(__name__)


def lexical_scores(query: str, texts: list[str]) -> list[float]:
    """Share of the query's content words (stemmed) in each text, plus a bonus
    for the query's word pairs appearing in order."""
    query_words = terms(query)
    if not query_words:
        return [0.0] * len(texts)
    wanted = set(query_words)
    pairs = set(zip(query_words, query_words[1:]))
    scores = []
    for text in texts:
        words = terms(text)
        present = wanted & set(words)
        pair_hits = pairs & set(zip(words, words[1:]))
        scores.append(len(present) / len(wanted) + (0.5 * len(pair_hits) / len(pairs) if pairs else 0.0))
    return scores


def gateway_scores(query: str, texts: list[str]) -> list[float] | None:
    """Relevance per text from {gateway}/rerank, or None on any failure (the caller keeps the fused order)."""
    if not settings.SMOOAI_GATEWAY_KEY:
        logger.warning("gateway rerank skipped: SMOOAI_GATEWAY_KEY is not set")
        return None
    try:
        response = httpx.post(
            f"{settings.SMOOAI_GATEWAY_URL}/rerank",
            json={"model": settings.SMOOTH_AGENT_RERANK_MODEL, "query": query, "documents": texts, "top_n": len(texts)},
            headers={"Authorization": f"Bearer {settings.SMOOAI_GATEWAY_KEY}"},
            timeout=10.0,
        )
        if response.status_code != 200:
            logger.warning("gateway rerank failed with status %s; keeping the fused order", response.status_code)
            return None
        scores = [0.0] * len(texts)
        for item in response.json()["results"]:
            scores[int(item["index"])] = float(item["relevance_score"])
        return scores
    except (httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.warning("gateway rerank failed (%s); keeping the fused order", type(exc).__name__)
        return None
