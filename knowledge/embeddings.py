"""Text to vectors.

The default is a deterministic offline embedder: hashed features (word stems,
word pairs and character 4-grams) folded into `DIMENSIONS` floats and
L2-normalised. It needs no model and no network, gives the same vector in every
process, and catches the morphology and word-order that BM25 alone misses.
With `SMOOTH_AGENT_EMBEDDER=gateway` and a key, the gateway's /embeddings is used
(smooth.gateway).
"""

from __future__ import annotations

import logging
import re
import zlib
from typing import Protocol

import numpy as np
from asgiref.sync import async_to_sync
from django.conf import settings

from knowledge.text import BASE_STOPWORDS as STOPWORDS
from smooth.gateway import GatewayError, configured_client, gateway

logger = logging.getLogger(__name__)

DIMENSIONS = 256
_WORD = re.compile(r"\w+", re.UNICODE)


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


# The offline embedder's own tokens: its stopwords, suffix stripper and features are
# frozen, because stored vectors were made with them (retrieval's full text has its
# own, in knowledge.text).
def stem(word: str) -> str:
    """A light suffix stripper: enough to fold plurals and common verb forms together."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    return word


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`."""
    return [stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _bucket(feature: str) -> tuple[int, float]:
    digest = zlib.crc32(feature.encode("utf-8"))
    return digest % DIMENSIONS, (1.0 if digest & 0x80000000 else -1.0)


class OfflineEmbedder:
    name = f"offline-hash-{DIMENSIONS}"

    def embed(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            features = _features(terms(text))
            if features:
                buckets = [_bucket(feature) for feature, _ in features]
                indexes = np.fromiter((index for index, _ in buckets), dtype=np.int64, count=len(buckets))
                values = np.fromiter(
                    (sign * weight for (_, sign), (_, weight) in zip(buckets, features)), dtype=np.float32, count=len(buckets)
                )
                np.add.at(matrix[row], indexes, values)
        return normalize(matrix)


def _features(words: list[str]) -> list[tuple[str, float]]:
    """Word stems (1.0), adjacent word pairs (0.5) and character 4-grams of each word (0.25)."""
    features = [(word, 1.0) for word in words]
    features += [(f"{a}_{b}", 0.5) for a, b in zip(words, words[1:])]
    for word in words:
        padded = f"<{word}>"
        features += [(padded[i : i + 4], 0.25) for i in range(max(1, len(padded) - 3))]
    return features


class GatewayEmbedder:
    """The gateway's /embeddings, for ingestion (a blocking caller: a command, an
    upload). Queries go through `embed_query`, which never blocks."""

    INGESTION_TIMEOUT_SECONDS = 30.0

    def __init__(self, *, model: str):
        self.model = model
        self.name = f"gateway-{model}"

    def embed(self, texts: list[str]) -> np.ndarray:
        async def once() -> list[list[float]]:
            client = configured_client()  # its own: the caller's loop, if any, is not ours
            try:
                return await client.embed(texts, model=self.model, timeout=self.INGESTION_TIMEOUT_SECONDS)
            finally:
                await client.aclose()

        return normalize(np.asarray(async_to_sync(once)(), dtype=np.float32))


def normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def get_embedder() -> Embedder:
    if settings.SMOOTH_AGENT_EMBEDDER == "gateway" and settings.SMOOAI_GATEWAY_KEY:
        return GatewayEmbedder(model=settings.SMOOTH_AGENT_EMBEDDING_MODEL)
    return OfflineEmbedder()


async def embed_query(text: str) -> np.ndarray | None:
    """The query's vector, or None when the gateway's /embeddings fails or is slower
    than SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS: retrieval then ranks by full text alone."""
    embedder = get_embedder()
    if not isinstance(embedder, GatewayEmbedder):
        return embedder.embed([text])[0]  # CPU only, well under a millisecond
    try:
        vectors = await gateway().embed([text], model=embedder.model, timeout=settings.SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS)
    except GatewayError as exc:
        logger.warning("query embedding failed (%s); ranking by full text alone", exc)
        return None
    return normalize(np.asarray(vectors, dtype=np.float32))[0]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f4")
