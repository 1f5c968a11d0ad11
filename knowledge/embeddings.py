"""Text to vectors.

The default is a deterministic offline embedder: hashed features (word stems,
word pairs and character 4-grams) folded into `DIMENSIONS` floats and
L2-normalised. It needs no model and no network, gives the same vector in every
process, and catches the morphology and word-order that BM25 alone misses.
With `SMOOTH_AGENT_EMBEDDER=gateway` and a key, the gateway's /embeddings is used.
"""
from __future__ import annotations

import re
import zlib
from typing import Protocol

import httpx
import numpy as np
from django.conf import settings

DIMENSIONS = 256
_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how i if in is it its my of on or our so that the "
    "their them then there these this to was we what when where which who why will with you your".split()
)


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


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
                values = np.fromiter((sign * weight for (_, sign), (_, weight) in zip(buckets, features)), dtype=np.float32, count=len(buckets))
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
    def __init__(self, *, url: str, key: str, model: str, timeout: float = 30.0):
        self.url, self._key, self.model, self.timeout = url, key, model, timeout
        self.name = f"gateway-{model}"

    def embed(self, texts: list[str]) -> np.ndarray:
        response = httpx.post(
            f"{self.url}/embeddings",
            json={"model": self.model, "input": texts},
            headers={"Authorization": f"Bearer {self._key}"},
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise EmbeddingError(f"the gateway's /embeddings answered {response.status_code}")
        try:
            rows = sorted(response.json()["data"], key=lambda item: item["index"])
            matrix = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        except (ValueError, KeyError, TypeError):
            raise EmbeddingError("the gateway's /embeddings answer is not an embeddings list") from None
        if matrix.shape[0] != len(texts):
            raise EmbeddingError("the gateway returned a different number of embeddings than asked for")
        return normalize(matrix)


class EmbeddingError(Exception):
    pass


def normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def get_embedder() -> Embedder:
    if settings.SMOOTH_AGENT_EMBEDDER == "gateway" and settings.SMOOAI_GATEWAY_KEY:
        return GatewayEmbedder(
            url=settings.SMOOAI_GATEWAY_URL, key=settings.SMOOAI_GATEWAY_KEY, model=settings.SMOOTH_AGENT_EMBEDDING_MODEL
        )
    return OfflineEmbedder()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f4")
