"""Optional rerank stage over the fused candidates (SMOOTH_AGENT_RERANK)."""

from __future__ import annotations

import logging

from django.conf import settings

from core.gateway import GatewayError, gateway
from knowledge.text import stem, words

logger = logging.getLogger(__name__)


def terms(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


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


async def gateway_scores(query: str, texts: list[str]) -> list[float] | None:
    """Relevance per text from the gateway's /rerank, or None on any failure or past
    SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS (the caller keeps the fused order)."""
    if not settings.SMOOAI_GATEWAY_KEY:
        logger.warning("gateway rerank skipped: SMOOAI_GATEWAY_KEY is not set")
        return None
    try:
        return await gateway().rerank(
            query, texts, model=settings.SMOOTH_AGENT_RERANK_MODEL, timeout=settings.SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS
        )
    except GatewayError as exc:
        logger.warning("gateway rerank failed (%s); keeping the fused order", exc)
        return None
