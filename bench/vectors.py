"""Vector search at scale: the exact matrix beside the approximate index, one organisation.

    .venv/bin/python bench/vectors.py --chunks 500000

Stores --chunks chunks (ten per document, a tenth of the documents restricted to a
group) in a temporary SQLite database, each with generated words for the full-text
index and a synthetic vector of the shipped model's width, then prints for exact
search (the float32 matrix every organisation had before) and for the approximate
index (knowledge.vector_index): build time, resident memory (the process's RSS
before and after the build, and the index's own bytes), dense search p50/p95 and
recall@3 against exact search on generated queries; then the whole hybrid search
(the query's embedding, full text and vectors, the relevance decision) p50/p95, and
the time to bring the index up to date after one document is added and one deleted.

The vectors are clustered like real ones: each is random combinations of the shipped
model's embeddings of the labelled help centres' chunks (so the same mean and the same
spread over directions), around one centre per document, plus a little noise. Random
vectors spread evenly over the sphere are the hardest case for an approximate index
and unlike any text; this is nearer what a help centre gives, but not a real one.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from retrieval_quality import configure  # noqa: E402 - Django on a new, migrated SQLite file

ORG = "bench-vectors"
CHUNKS_PER_DOCUMENT = 10
WORDS_PER_CHUNK = 40


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(calls) -> tuple[float, float]:
    timings = []
    for call in calls:
        begin = time.perf_counter()
        call()
        timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


class VectorSource:
    """Clustered vectors shaped like the shipped model's (see the module's docstring)."""

    def __init__(self, seed: int):
        from knowledge.chunking import chunk_text
        from knowledge.embeddings import get_embedder
        from knowledge.text import passage_for_embedding
        from tests.knowledge import sets

        texts = []
        for name in [*sets.TUNING, *sets.HELD_OUT]:
            for key, content in importlib.import_module(f"tests.knowledge.sets.{name}").DOCUMENTS.items():
                texts += [passage_for_embedding(d.text, d.metadata) for d in chunk_text(content, metadata={"source": key, "title": key})]
        real = get_embedder().embed_passages(texts)
        self.mean = real.mean(axis=0)
        self.basis = ((real - self.mean) / np.sqrt(len(real))).astype(np.float32)
        self.width = real.shape[1]
        self.rng = np.random.default_rng(seed)

    def spread(self, count: int) -> np.ndarray:
        return self.rng.standard_normal((count, len(self.basis)), dtype=np.float32) @ self.basis

    def centres(self, count: int) -> np.ndarray:
        return self.mean + self.spread(count)

    def around(self, centres: np.ndarray) -> np.ndarray:
        vectors = centres + 0.6 * self.spread(len(centres)) + 0.02 * self.rng.standard_normal(centres.shape, dtype=np.float32)
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def store(source: VectorSource, documents: int, rng: random.Random, vocab: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The documents and their chunks, written straight to the database (embedding
    500,000 chunks would take an hour); returns the centres and every vector, in id order."""
    from django.db import transaction

    from knowledge.embeddings import get_embedder, to_bytes
    from knowledge.models import AccessGrant, Chunk, Document
    from knowledge.services import bump_index_version

    model = get_embedder().name
    centres = source.centres(documents)
    parts = []
    batch = 2000
    for begin in range(0, documents, batch):
        numbers = range(begin, min(documents, begin + batch))
        vectors = source.around(np.repeat(centres[numbers.start : numbers.stop], CHUNKS_PER_DOCUMENT, axis=0))
        parts.append(vectors)
        with transaction.atomic():
            stored = Document.objects.bulk_create(
                Document(
                    organization_id=ORG,
                    source=f"bench/{n}.md",
                    title=f"Document {n}",
                    content="",
                    content_hash=str(n),
                    access={"public": False, "users": [], "groups": ["team-1"]} if n % 10 == 0 else None,
                    access_restricted=n % 10 == 0,
                )
                for n in numbers
            )
            AccessGrant.objects.bulk_create(
                AccessGrant(document=document, kind="group", principal="team-1") for document in stored if document.access_restricted
            )
            Chunk.objects.bulk_create(
                Chunk(
                    document=document,
                    organization_id=ORG,
                    position=position,
                    text=f"## Section {position}\n\n" + " ".join(rng.choice(vocab) for _ in range(WORDS_PER_CHUNK)),
                    embedding=to_bytes(vectors[index * CHUNKS_PER_DOCUMENT + position]),
                    embedding_model=model,
                    embedding_dimensions=source.width,
                )
                for index, document in enumerate(stored)
                for position in range(CHUNKS_PER_DOCUMENT)
            )
        print(f"  stored {numbers.stop * CHUNKS_PER_DOCUMENT} chunks", file=sys.stderr, flush=True)
    bump_index_version(ORG)
    return centres, np.concatenate(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--probes", type=int, nargs="*", default=[128, 256], help="other PROBES to measure recall and time at")
    parser.add_argument("--no-exact", action="store_true", help="skip the exact matrix (it needs 4 bytes per dimension per chunk)")
    args = parser.parse_args()

    configure("vectors")
    from identity.access import AccessContext
    from knowledge import dense, vector_index
    from knowledge.models import Chunk, Document
    from knowledge.retrieval import search_blocking
    from knowledge.services import bump_index_version, delete_documents
    from knowledge.vector_index import ApproximateVectors

    rng = random.Random(args.seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9))) for _ in range(20_000)]
    source = VectorSource(args.seed)
    documents = max(1, args.chunks // CHUNKS_PER_DOCUMENT)
    started = time.perf_counter()
    centres, stored_vectors = store(source, documents, rng, vocab)
    chunk_ids = np.asarray(Chunk.objects.filter(organization_id=ORG).order_by("id").values_list("id", flat=True), dtype=np.int64)
    print(
        f"chunks: {len(chunk_ids)} of {source.width} dimensions in {documents} documents (stored in {time.perf_counter() - started:.0f} s)"
    )

    anonymous = AccessContext.anonymous(ORG)
    readable = dense.readable_documents(access=anonymous, document_sets=None)
    open_rows = np.repeat(np.arange(documents) % 10 != 0, CHUNKS_PER_DOCUMENT)[: len(chunk_ids)]
    queries = source.around(centres[np.random.default_rng(args.seed).choice(documents, args.queries)])
    truth = [set(chunk_ids[open_rows][np.argsort(-(stored_vectors[open_rows] @ query))[:3]]) for query in queries]

    def recall(results: list[list[tuple[int, float]]]) -> float:
        return sum(len(expected & {chunk_id for chunk_id, _ in found[:3]}) for expected, found in zip(truth, results)) / (3 * len(truth))

    def measure(label: str, build) -> None:
        dense.forget_cache()
        before = rss_mb()
        begin = time.perf_counter()
        index = build()
        seconds = time.perf_counter() - begin
        grown = rss_mb() - before
        own = (
            index.matrix.nbytes
            if isinstance(index, dense.ExactVectors)
            else index.index.ntotal * (index.index.code_size + 8) + index.chunk_ids.nbytes + index.document_codes.nbytes
        )
        results = [dense.dense_search(query, organization_id=ORG, readable=readable, limit=30) for query in queries]
        p50, p95 = timed(
            lambda query=query: dense.dense_search(query, organization_id=ORG, readable=readable, limit=30) for query in queries
        )
        print(
            f"{label}: build {seconds:.1f} s   RSS +{grown:.0f} MB (arrays and codes {own / 2**20:.0f} MB)   "
            f"dense search p50 {p50:.1f} ms p95 {p95:.1f} ms   recall@3 vs exact {recall(results):.3f}"
        )

    model = dense.get_embedder().name
    if not args.no_exact:
        measure("exact (float32 matrix)", lambda: dense.indexes._store(ORG, 10**9, dense._build_exact(ORG, model)))
    measure("approximate (faiss IVF-PQ)", lambda: dense.indexes.get(ORG))
    approximate = dense.indexes.get(ORG)
    assert isinstance(approximate, ApproximateVectors)
    shipped = vector_index.PROBES
    for probes in args.probes:
        vector_index.PROBES = probes
        results = [dense.dense_search(query, organization_id=ORG, readable=readable, limit=30) for query in queries]
        p50, p95 = timed(
            lambda query=query: dense.dense_search(query, organization_id=ORG, readable=readable, limit=30) for query in queries
        )
        print(f"  with PROBES = {probes}: dense search p50 {p50:.1f} ms p95 {p95:.1f} ms   recall@3 vs exact {recall(results):.3f}")
    vector_index.PROBES = shipped
    p50, p95 = timed(lambda: dense.readable_documents(access=anonymous, document_sets=None) for _ in range(20))
    print(f"  the readable documents' SQL query ({len(readable)} documents), in every search: p50 {p50:.1f} ms p95 {p95:.1f} ms")

    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(2, 6))) for _ in range(args.queries)]
    begin = time.perf_counter()
    search_blocking(texts[0], anonymous, limit=3)
    print(f"first hybrid search (builds the full-text index): {time.perf_counter() - begin:.1f} s")
    for label, access in {
        "anonymous": anonymous,
        "user with groups": AccessContext(ORG, user_id="u-1", groups=frozenset({"team-1"})),
    }.items():
        p50, p95 = timed(lambda text=text, access=access: search_blocking(text, access, limit=3) for text in texts)
        print(f"hybrid search as {label:17s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({len(texts)} queries)")

    # One document more and one fewer: the index is brought up to date, not built anew.
    def no_rebuild(**kwargs):
        raise AssertionError("built anew")

    build, vector_index.build = vector_index.build, no_rebuild
    new_vectors = source.around(np.repeat(centres[:1], CHUNKS_PER_DOCUMENT, axis=0))
    first = Document.objects.get(organization_id=ORG, source="bench/1.md")
    Chunk.objects.bulk_create(
        Chunk(
            document=first,
            organization_id=ORG,
            position=100 + position,
            text="extra",
            embedding=vector.astype("<f4").tobytes(),
            embedding_model=model,
            embedding_dimensions=source.width,
        )
        for position, vector in enumerate(new_vectors)
    )
    delete_documents(Document.objects.filter(organization_id=ORG, source="bench/2.md"))
    bump_index_version(ORG)
    begin = time.perf_counter()
    dense.indexes.get(ORG)  # starts the update in the background (a large organisation)
    dense.indexes.wait()
    updated = dense.indexes.get(ORG)
    print(
        f"after one document added and one deleted: brought up to date in {time.perf_counter() - begin:.2f} s "
        f"({len(updated)} chunks held, built anew: no)"
    )
    vector_index.build = build
    delete_documents(Document.objects.filter(organization_id=ORG))


if __name__ == "__main__":
    main()
