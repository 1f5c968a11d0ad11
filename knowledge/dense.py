"""Dense candidates: cosine similarity over an in-memory matrix of chunk vectors.

Each process keeps one matrix per organisation and rebuilds it when the
organisation's IndexVersion (bumped with every change to its chunks) moves.
Access is never cached: the documents the requester may read come from a SQL
query on every search, and the matrix is masked to them before the top-k is
taken.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection

from knowledge.access import AccessContext, access_sql, document_set_sql
from knowledge.embeddings import from_bytes
from knowledge.models import IndexVersion
from knowledge.ranking import best_first

logger = logging.getLogger(__name__)


@dataclass
class _OrgMatrix:
    version: int
    chunk_ids: np.ndarray  # int64
    document_codes: np.ndarray  # int32: position of the chunk's document in document_keys
    document_keys: dict  # the document id as the database returns it -> code
    matrix: np.ndarray  # float32, one L2-normalised row per chunk


_cache: dict[str, _OrgMatrix] = {}
_lock = threading.Lock()


def _current_version(organization_id: str) -> int:
    row = IndexVersion.objects.filter(organization_id=organization_id).values_list("version", flat=True).first()
    return row or 0


def _build(organization_id: str, version: int) -> _OrgMatrix:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.id, c.document_id, c.embedding FROM knowledge_chunk c WHERE c.organization_id = %s", [organization_id])
        rows = cursor.fetchall()
    keys: dict = {}
    vectors = [from_bytes(bytes(row[2])) for row in rows]
    width = max((len(vector) for vector in vectors), default=0)
    matrix = np.zeros((len(rows), width), dtype=np.float32)
    for index, vector in enumerate(vectors):
        if len(vector) == width:  # a vector from another embedder's width is left out (zero row)
            matrix[index] = vector
    return _OrgMatrix(
        version=version,
        chunk_ids=np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        document_codes=np.fromiter((keys.setdefault(row[1], len(keys)) for row in rows), dtype=np.int32, count=len(rows)),
        document_keys=keys,
        matrix=matrix,
    )


def _matrix_for(organization_id: str) -> _OrgMatrix:
    version = _current_version(organization_id)
    with _lock:
        cached = _cache.get(organization_id)
        if cached is None or cached.version != version:
            cached = _cache[organization_id] = _build(organization_id, version)
        return cached


def readable_documents(*, access: AccessContext, document_sets: list[str] | None) -> list:
    """The ids (as the database returns them) of the documents `access` may read, in the given sets."""
    access_clause, access_params = access_sql(access)
    sets_clause, sets_params = document_set_sql(document_sets)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM knowledge_document d WHERE {access_clause}{sets_clause}",
            [*access_params, *sets_params],
        )
        return [row[0] for row in cursor.fetchall()]


def dense_search(query_vector: np.ndarray, *, organization_id: str, readable: list, limit: int) -> list[tuple[int, float]]:
    """(chunk id, cosine similarity) best first, among the chunks of the `readable` documents."""
    index = _matrix_for(organization_id)
    if not len(index.chunk_ids):
        return []
    if index.matrix.shape[1] != len(query_vector):
        logger.warning("dense search skipped: stored vectors have %d dimensions, the query %d", index.matrix.shape[1], len(query_vector))
        return []
    allowed_codes = [index.document_keys[key] for key in readable if key in index.document_keys]
    if not allowed_codes:
        return []
    mask = np.isin(index.document_codes, np.asarray(allowed_codes, dtype=np.int32))
    # Score every row (one matrix-vector product) and rule out the unreadable
    # ones, rather than copying the readable rows out first.
    scores = index.matrix @ query_vector.astype(np.float32)
    scores[~mask] = -np.inf
    return best_first(scores, index.chunk_ids, min(limit, int(mask.sum())))


def forget_cache() -> None:
    with _lock:
        _cache.clear()
