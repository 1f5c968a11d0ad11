"""The approximate vector index of a large organisation: faiss IVF-PQ over its chunk
vectors, changed chunk by chunk, with the final ranking exact.

- Compressed: each vector is kept as a product-quantised code of at most 64 bytes (a
  512-dimension float32 vector is 2,048), in one of about 4·√n inverted lists. At
  500,000 chunks the codes, their slot numbers and the per-chunk arrays hold 40 MB
  (the process grows by 70 MB) where the float32 matrix held 1 GB (bench/vectors.py).
- Exact where it matters: the search finds candidates among the codes, then reads
  their stored vectors from the database and ranks them by their true cosine, so a
  returned chunk's score is the exact one, and a chunk deleted since the index was
  made is dropped because the database no longer has it.
- Access stays exact: the caller's mask of readable rows becomes a bitmap that faiss
  checks for every code it scores, so an unreadable chunk is never even a candidate.
  The fewer rows are readable, the more lists are searched (all of them when few
  are); when no more rows are readable than candidates are ranked, the search reads
  those rows alone and is exact.
- Incremental: `update` compares the organisation's chunk ids in the database with
  the ones the index holds, removes the ones gone and adds the new ones (a new copy:
  searches on the previous one go on meanwhile). The quantisers are trained once;
  when the organisation has doubled or halved since, or a third of the slots are
  holes, the index is built again from scratch.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
from django.db import connection

from knowledge.embeddings import from_bytes

# The loader logs each CPU build it tries and does not find (it then takes the one
# that dispatches at run time): not news for a server's log.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)
import faiss  # noqa: E402

logger = logging.getLogger(__name__)

# One thread per call: searches already run on several threads, and a build in the
# background must leave the other core to the server.
faiss.omp_set_num_threads(1)

MAX_LISTS = 4096
CODE_BYTES = 64  # the most bytes a vector's code takes
TRAINING_POINTS_PER_LIST = 25  # faiss asks for 39; 25 changes recall by nothing measurable and trains in two thirds of the time
TRAINING_ITERATIONS = 10
PROBES = (
    512  # lists searched when every row is readable (bench/vectors.py: recall@3 0.990 at 500,000 chunks with 400 candidates, 0.972 at 256)
)
CANDIDATES = 400  # ranked exactly, at least; more when more are asked for (150 gave recall@3 0.985)
FETCH_BATCH = 500  # ids per `IN (...)` query
MINIMUM_CHUNKS = 1000  # fewer cannot train the quantisers (256 centroids each)


@dataclass
class ApproximateVectors:
    model: str
    dimensions: int
    index: faiss.IndexIVFPQ  # ids are slots: positions in the arrays below
    chunk_ids: np.ndarray  # int64 per slot, -1 once removed
    document_codes: np.ndarray  # int32 per slot, -1 once removed
    document_keys: dict  # the document id as the database returns it -> code
    trained_on: int  # rows when the quantisers were trained
    alive: int  # rows held now

    def __len__(self) -> int:
        return self.alive


def _sub_quantizers(dimensions: int) -> int:
    """The most sub-vectors, at most CODE_BYTES, that divide the width evenly (one byte each)."""
    return next(m for m in range(min(CODE_BYTES, dimensions), 0, -1) if dimensions % m == 0)


def chunk_count(organization_id: str, model: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM knowledge_chunk c WHERE c.organization_id = %s AND c.embedding_model = %s", [organization_id, model]
        )
        return cursor.fetchone()[0]


def _chunk_rows(organization_id: str, model: str, keys: dict) -> tuple[np.ndarray, np.ndarray]:
    """The organisation's chunk ids (ascending) and their documents' codes in `keys`
    (new documents added), read in batches into arrays: half a million Python tuples
    would stay in the heap long after the build."""
    ids, codes = [], []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.document_id FROM knowledge_chunk c WHERE c.organization_id = %s AND c.embedding_model = %s ORDER BY c.id",
            [organization_id, model],
        )
        while rows := cursor.fetchmany(10_000):
            ids.append(np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)))
            codes.append(np.fromiter((keys.setdefault(row[1], len(keys)) for row in rows), dtype=np.int32, count=len(rows)))
    return (np.concatenate(ids), np.concatenate(codes)) if ids else (np.zeros(0, np.int64), np.zeros(0, np.int32))


def build(*, organization_id: str, model: str) -> ApproximateVectors | None:
    """The organisation's index: the quantisers trained on an even sample, then every
    vector added in batches (never the whole matrix at once). None when too few chunks
    have a vector to train on."""
    keys: dict = {}
    chunk_ids, codes = _chunk_rows(organization_id, model, keys)
    if len(chunk_ids) < MINIMUM_CHUNKS:
        return None
    lists = max(1, min(MAX_LISTS, int(4 * math.sqrt(len(chunk_ids)))))
    sample_size = min(len(chunk_ids), max(lists * TRAINING_POINTS_PER_LIST, 256 * 40))
    sample = _matrix([int(chunk_ids[i]) for i in np.linspace(0, len(chunk_ids) - 1, sample_size).astype(np.int64)], model)
    if len(sample) < 256:
        return None
    dimensions = sample.shape[1]
    quantizer = faiss.IndexFlatIP(dimensions)
    index = faiss.IndexIVFPQ(quantizer, dimensions, lists, _sub_quantizers(dimensions), 8, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = TRAINING_ITERATIONS
    index.train(sample)
    del sample
    empty = ApproximateVectors(
        model=model,
        dimensions=dimensions,
        index=index,
        chunk_ids=np.zeros(0, dtype=np.int64),
        document_codes=np.zeros(0, dtype=np.int32),
        document_keys=keys,
        trained_on=0,
        alive=0,
    )
    built = _add(empty, chunk_ids, codes)
    # The inverted lists grew by doubling as they were filled: a copy holds exactly its codes.
    return replace(built, index=cast(faiss.IndexIVFPQ, faiss.clone_index(built.index)), trained_on=built.alive)


def update(previous: ApproximateVectors, *, organization_id: str) -> ApproximateVectors | None:
    """`previous` with the organisation's chunks as the database has them now: the
    removed ones taken out, the new ones added. None when it is time to build anew."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id FROM knowledge_chunk c WHERE c.organization_id = %s AND c.embedding_model = %s",
            [organization_id, previous.model],
        )
        current = np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)
    held_slots = np.flatnonzero(previous.chunk_ids >= 0)
    held = previous.chunk_ids[held_slots]
    removed_slots = held_slots[~np.isin(held, current)]
    added_ids = np.setdiff1d(current, held)
    slots_after = len(previous.chunk_ids) + len(added_ids)
    alive_after = previous.alive - len(removed_slots) + len(added_ids)
    if not previous.trained_on / 2 <= alive_after <= previous.trained_on * 2 or alive_after < slots_after * 2 / 3:
        return None
    if not len(removed_slots) and not len(added_ids):
        return previous
    changed = replace(
        previous,
        index=cast(faiss.IndexIVFPQ, faiss.clone_index(previous.index)),
        chunk_ids=previous.chunk_ids.copy(),
        document_codes=previous.document_codes.copy(),
        document_keys=dict(previous.document_keys),
    )
    if len(removed_slots):
        changed.index.remove_ids(faiss.IDSelectorBatch(removed_slots.astype(np.int64)))
        changed.chunk_ids[removed_slots] = -1
        changed.document_codes[removed_slots] = -1
        changed.alive -= len(removed_slots)
    document_of = {}
    for begin in range(0, len(added_ids), FETCH_BATCH):
        batch = [int(chunk_id) for chunk_id in added_ids[begin : begin + FETCH_BATCH]]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT c.id, c.document_id FROM knowledge_chunk c WHERE c.id IN ({', '.join(['%s'] * len(batch))})", batch)
            document_of.update(cursor.fetchall())
    added_ids = np.asarray([chunk_id for chunk_id in added_ids if int(chunk_id) in document_of], dtype=np.int64)
    keys = changed.document_keys
    codes = np.fromiter((keys.setdefault(document_of[int(chunk_id)], len(keys)) for chunk_id in added_ids), dtype=np.int32)
    return _add(changed, added_ids, codes)


def _add(vectors: ApproximateVectors, chunk_ids: np.ndarray, codes: np.ndarray, batch: int = 5000) -> ApproximateVectors:
    """`vectors` with the chunks `chunk_ids` (ascending; their documents' `codes`) added
    in new slots, in place; a chunk gone meanwhile, or of another width, is left out."""
    chunk_parts, code_parts = [vectors.chunk_ids], [vectors.document_codes]
    slot = len(vectors.chunk_ids)
    for begin in range(0, len(chunk_ids), batch):
        wanted = chunk_ids[begin : begin + batch]
        matrix = np.empty((len(wanted), vectors.dimensions), dtype=np.float32)
        found = np.empty(len(wanted), dtype=np.int64)
        count = 0
        for chunk_id, vector in _vectors([int(chunk_id) for chunk_id in wanted], vectors.model):
            if len(vector) == vectors.dimensions:
                matrix[count], found[count], count = vector, chunk_id, count + 1
        if not count:
            continue
        order = np.argsort(found[:count])
        found, matrix = found[:count][order], matrix[:count][order]
        vectors.index.add_with_ids(matrix, np.arange(slot, slot + count, dtype=np.int64))
        slot += count
        chunk_parts.append(found)
        code_parts.append(codes[begin : begin + batch][np.searchsorted(wanted, found)])
    vectors.chunk_ids = np.concatenate(chunk_parts)
    vectors.document_codes = np.concatenate(code_parts)
    vectors.alive = int((vectors.chunk_ids >= 0).sum())
    return vectors


def search(vectors: ApproximateVectors, query_vector: np.ndarray, *, readable_rows: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(chunk id, exact cosine) best first among the rows `readable_rows` (a mask over
    the slots) marks."""
    readable_count = int(readable_rows.sum())
    if not readable_count or limit <= 0:
        return []
    wanted = max(CANDIDATES, 3 * limit)
    if readable_count <= wanted:
        slots = np.flatnonzero(readable_rows)
    else:
        bitmap = np.packbits(readable_rows, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
        # As many readable codes scored as when every row is readable: a requester who
        # may read a tenth of the rows gets ten times the lists searched.
        probes = min(vectors.index.nlist, math.ceil(PROBES * vectors.alive / readable_count))
        parameters = faiss.SearchParametersIVF()
        parameters.sel, parameters.nprobe = selector, probes
        _, found = vectors.index.search(query_vector.astype(np.float32)[None, :], wanted, params=parameters)
        slots = found[0][found[0] >= 0]
    candidates = [int(chunk_id) for chunk_id in vectors.chunk_ids[slots]]
    scored = [(chunk_id, float(vector @ query_vector)) for chunk_id, vector in _vectors(candidates, vectors.model)]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def _vectors(chunk_ids: list[int], model: str):
    """(chunk id, stored vector) of the ones still there with `model`'s vector, read in batches."""
    for begin in range(0, len(chunk_ids), FETCH_BATCH):
        batch = chunk_ids[begin : begin + FETCH_BATCH]
        with connection.cursor() as cursor:
            # By primary key alone: with the model in the WHERE clause too, SQLite may
            # walk the model's index (every chunk of every organisation) instead.
            cursor.execute(
                f"SELECT c.id, c.embedding_model, c.embedding FROM knowledge_chunk c WHERE c.id IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            for chunk_id, chunk_model, raw in cursor.fetchall():
                if chunk_model == model:
                    yield chunk_id, from_bytes(bytes(raw))


def _matrix(chunk_ids: list[int], model: str) -> np.ndarray:
    """The stored vectors of `chunk_ids` that have the first one's width, one row each
    (copied in as they are read: the rows read are never all held at once)."""
    matrix = np.zeros((0, 0), dtype=np.float32)
    filled = 0
    for _, vector in _vectors(chunk_ids, model):
        if not matrix.size:
            matrix = np.empty((len(chunk_ids), len(vector)), dtype=np.float32)
        if len(vector) == matrix.shape[1]:
            matrix[filled], filled = vector, filled + 1
    return matrix[:filled]
