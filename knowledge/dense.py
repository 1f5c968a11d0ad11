"""Dense candidates: cosine similarity to the chunk vectors of the requester's organisation.

Each process keeps one vector index per organisation (knowledge.indexes), of the
vectors the current model made only: a chunk another model embedded is left out
until kb_reembed gives it a vector of this one, so two models' vectors are never
compared. Two kinds:

- an organisation of fewer than APPROXIMATE_FROM_CHUNKS chunks keeps exact search
  over an in-memory float32 matrix, rebuilt whole when its chunks change;
- a larger one keeps the approximate index of knowledge.vector_index (compressed
  codes, candidates ranked by their exact cosine), changed chunk by chunk.

Access is never cached: the documents the requester may read come from a SQL query
on every search, and become a mask over the index's rows before anything is ranked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.db import connection

from identity.access import AccessContext
from knowledge import vector_index
from knowledge.access import access_sql, document_set_sql
from knowledge.embeddings import from_bytes, get_embedder
from knowledge.indexes import VersionedIndexes
from knowledge.ranking import best_first
from knowledge.vector_index import ApproximateVectors

logger = logging.getLogger(__name__)

# Below this, exact search: the labelled help centres and most organisations stay
# exactly as they were, and a matrix this size (40 MB at 512 dimensions) is searched
# in a few milliseconds.
APPROXIMATE_FROM_CHUNKS = 20_000


@dataclass
class ExactVectors:
    model: str  # the embedder whose vectors these are
    chunk_ids: np.ndarray  # int64
    document_codes: np.ndarray  # int32: position of the chunk's document in document_keys
    document_keys: dict  # the document id as the database returns it -> code
    matrix: np.ndarray  # float32, one L2-normalised row per chunk

    def __len__(self) -> int:
        return len(self.chunk_ids)


Vectors = ExactVectors | ApproximateVectors


def _build(organization_id: str, version: int) -> Vectors:
    model = get_embedder().name
    if vector_index.chunk_count(organization_id, model) >= APPROXIMATE_FROM_CHUNKS:
        approximate = vector_index.build(organization_id=organization_id, model=model)
        if approximate is not None:
            return approximate
    return _build_exact(organization_id, model)


def _build_exact(organization_id: str, model: str) -> ExactVectors:
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
    return ExactVectors(
        model=model,
        chunk_ids=np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        document_codes=np.fromiter((keys.setdefault(row[1], len(keys)) for row in rows), dtype=np.int32, count=len(rows)),
        document_keys=keys,
        matrix=matrix,
    )


def _update(organization_id: str, version: int, previous: Vectors) -> Vectors:
    """An approximate index changed by the chunks that changed; anything else built anew."""
    if isinstance(previous, ApproximateVectors) and previous.model == get_embedder().name:
        updated = vector_index.update(previous, organization_id=organization_id)
        if updated is not None and len(updated) >= APPROXIMATE_FROM_CHUNKS:
            return updated
        logger.info("the vector index of organisation %s has changed too much to update: building it anew", organization_id)
    return _build(organization_id, version)


indexes: VersionedIndexes[Vectors] = VersionedIndexes("vector", _build, len, update=_update)


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


def readable_rows(vectors: Vectors, readable: list) -> np.ndarray:
    """A mask over the index's rows: the chunks of the `readable` documents."""
    # One more entry, never set, for the code -1 of a removed row.
    allowed = np.zeros(len(vectors.document_keys) + 1, dtype=bool)
    codes = [vectors.document_keys[key] for key in readable if key in vectors.document_keys]
    allowed[codes] = True
    return allowed[vectors.document_codes]


def dense_search(query_vector: np.ndarray, *, organization_id: str, readable: list, limit: int) -> list[tuple[int, float]]:
    """(chunk id, cosine similarity) best first, among the chunks of the `readable` documents."""
    vectors = indexes.get(organization_id)
    if not len(vectors) or vectors.model != get_embedder().name:
        return []
    width = vectors.dimensions if isinstance(vectors, ApproximateVectors) else vectors.matrix.shape[1]
    if width != len(query_vector):
        logger.warning("dense search skipped: stored vectors have %d dimensions, the query %d", width, len(query_vector))
        return []
    mask = readable_rows(vectors, readable)
    if isinstance(vectors, ApproximateVectors):
        return vector_index.search(vectors, query_vector, readable_rows=mask, limit=limit)
    # Score every row (one matrix-vector product) and rule out the unreadable
    # ones, rather than copying the readable rows out first.
    scores = vectors.matrix @ query_vector.astype(np.float32)
    scores[~mask] = -np.inf
    return best_first(scores, vectors.chunk_ids, min(limit, int(mask.sum())))


def forget_cache() -> None:
    indexes.forget()
