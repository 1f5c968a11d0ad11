"""Knowledge benchmark: ingest a synthetic corpus, then time searches.

    .venv/bin/python bench/knowledge_search.py --backend sqlite --chunks 50000
    .venv/bin/python bench/knowledge_search.py --backend postgres --chunks 50000

Prints ingestion throughput and search latency p50 / p95 for the default stack
(full text and the shipped embedding model fused, the relevance decision, no
rerank), the query's embedding included, as an anonymous visitor and as a user with
groups (the access filter's heavier path). SQLite runs in a temporary
file; PostgreSQL uses BENCH_DATABASE_URL (default: the machine's `test`
database), in an organisation of its own that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORG = "bench-org"
WORDS_PER_CHUNK = 40  # about 300 characters: one section fits one chunk
CHUNKS_PER_DOCUMENT = 10


def configure(backend: str) -> None:
    if backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='smooth-bench-')}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    os.environ.setdefault("SMOOTH_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(size)]


def zipf_words(rng: random.Random, vocab: list[str], count: int) -> list[str]:
    # A skewed draw, like real text: a few words are common, most are rare.
    return [vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1)] if rng.random() < 0.5 else rng.choice(vocab) for _ in range(count)]


def document_text(rng: random.Random, vocab: list[str], number: int) -> str:
    sections = []
    for section in range(CHUNKS_PER_DOCUMENT):
        sections.append(f"## Section {number}.{section}\n\n" + " ".join(zipf_words(rng, vocab, WORDS_PER_CHUNK)) + ".")
    return f"# Document {number}\n\n" + "\n\n".join(sections)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    configure(args.backend)
    from django.db import connection

    from identity.access import AccessContext
    from knowledge.indexes import registered
    from knowledge.models import Chunk, Document
    from knowledge.retrieval import search_blocking as search
    from knowledge.services import delete_documents, run_ingestion
    from knowledge.sources import SourceDocument

    rng = random.Random(args.seed)
    vocab = vocabulary(rng)
    delete_documents(Document.objects.filter(organization_id=ORG))

    documents = max(1, args.chunks // CHUNKS_PER_DOCUMENT)
    texts = [document_text(rng, vocab, number) for number in range(documents)]

    def progress(done: int, total: int | None) -> None:
        if done % 500 == 0:
            print(f"  ingested {done}/{total} documents", file=sys.stderr, flush=True)

    started = time.perf_counter()
    # Two runs, as an operator would: open documents, then a tenth restricted to a
    # group, so the access filter has work to do.
    for restricted in (False, True):
        numbers = [n for n in range(documents) if (n % 10 == 0) == restricted]
        run_ingestion(
            organization_id=ORG,
            label=f"bench ({'restricted' if restricted else 'open'})",
            items=[
                (lambda n=n: SourceDocument(source=f"bench/{n}.md", title=f"Document {n}", content=texts[n], type="markdown"))
                for n in numbers
            ],
            total=len(numbers),
            access={"groups": ["team-1"]} if restricted else None,
            progress=progress,
        )
    ingest_seconds = time.perf_counter() - started
    chunk_count = Chunk.objects.filter(organization_id=ORG).count()

    queries = [" ".join(zipf_words(rng, vocab, rng.randint(2, 6))) for _ in range(args.queries)]
    requesters = {
        "anonymous": AccessContext.anonymous(ORG),
        "user with groups": AccessContext(ORG, user_id="u-1", groups=frozenset({"team-1", "team-3"})),
    }

    cold_started = time.perf_counter()
    search(queries[0], requesters["anonymous"], limit=3)
    cold_ms = (time.perf_counter() - cold_started) * 1000

    print(f"backend: {connection.vendor}   chunks: {chunk_count}   documents: {documents}")
    print(f"ingestion: {ingest_seconds:.1f} s   {chunk_count / ingest_seconds:.0f} chunks/s   {documents / ingest_seconds:.1f} documents/s")
    print(f"first search (builds the in-memory indexes): {cold_ms:.0f} ms")
    for label, access in requesters.items():
        timings = []
        for query in queries:
            begin = time.perf_counter()
            search(query, access, limit=3)
            timings.append((time.perf_counter() - begin) * 1000)
        print(
            f"search as {label:17s} p50 {statistics.median(timings):6.1f} ms   p95 {percentile(timings, 0.95):6.1f} ms   ({len(timings)} queries)"
        )

    # One more document: every process's in-memory indexes are rebuilt at its next search.
    run_ingestion(
        organization_id=ORG,
        label="bench (one more)",
        items=[lambda: SourceDocument(source="bench/extra.md", title="Extra", content=texts[0], type="markdown")],
        total=1,
        access=None,
    )
    rebuilt_started = time.perf_counter()
    search(queries[0], requesters["anonymous"], limit=3)
    print(f"first search after one more document: {(time.perf_counter() - rebuilt_started) * 1000:.0f} ms")
    for indexes in registered():
        indexes.wait()
    print(f"  the full-text index's rebuild, in the background meanwhile: {(time.perf_counter() - rebuilt_started) * 1000:.0f} ms")

    delete_documents(Document.objects.filter(organization_id=ORG))


if __name__ == "__main__":
    main()
