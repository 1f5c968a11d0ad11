"""Dense candidates: cosine similarity over an in-memory matrix of chunk vectors.

Each process keeps one matrix per organisation (knowledge.indexes), of the
vectors the current model made only: a chunk another model embedded is left out
until kb_reembed gives it a vector of this one, so two models' vectors are never
compared. Access is never cached: the documents the requester may read come from a SQL
query on every search, and the matrix is masked to them before the top-k is
taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.db import connection

from identity.access import AccessContext
from knowledge.access import access_sql, document_set_sql
from knowledge.embeddings import from_bytes, get_embedder
from knowledge.indexes import VersionedIndexes
from knowledge.ranking import best_first

logger = logging.getLogger(__name__)


@dataclass
class _OrgMatrix:
    model: str  # the embedder whose vectors these are
    chunk_ids: np.ndarray  # int64
    document_codes: np.ndarray  # int32: position of the chunk's document in document_keys
    document_keys: dict  # the document id as the database returns it -> code
    matrix: np.ndarray  # float32, one L2-normalised row per chunk


def _build(organization_id: str, version: int) -> _OrgMatrix:
    model = get_embedder().name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.document_id, c.embedding FROM knowledge_chunk c WHERE c.organization_id = %s AND c.embedding_model = %s",
            [organization_id, model],
        )
        rows = cursor.fetchall()
    keys: dict = {}
    width = len(rows[0][2]) // 4 if rows else 0
    matrix = np.zeros((len(rows), width), dtype=np.float32)
    for index, row in enumerate(rows):
        vector = from_bytes(bytes(row[2]))
        if len(vector) == width:
            matrix[index] = vector
    return _OrgMatrix(
        model=model,
        chunk_ids=np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        document_codes=np.fromiter((keys.setdefault(row[1], len(keys)) for row in rows), dtype=np.int32, count=len(rows)),
        document_keys=keys,
        matrix=matrix,
    )


indexes: VersionedIndexes[_OrgMatrix] = VersionedIndexes("vector", _build, lambda index: len(index.chunk_ids))


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
    index = indexes.get(organization_id)
    if not len(index.chunk_ids) or index.model != get_embedder().name:
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
    indexes.forget()
