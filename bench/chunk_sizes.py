"""Chunk size against retrieval quality, on long documents.

    .venv/bin/python bench/chunk_sizes.py

The labelled help-centre set (tests/knowledge/labelled_set.py) has one short
document per answer, so chunk size cannot matter there. Here the 30 answers
become sections of 3 long documents, each answer buried among generic
paragraphs that answer nothing, and the 20 questions are asked again. A hit is
a top-3 chunk from the section holding the answer. Prints recall@3 and MRR for
each (size, overlap) on SQLite with the default offline stack.
"""

from __future__ import annotations

import functools
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILLER = [
    "Our team reviews every piece of feedback and uses it to improve the shop.",
    "We design our gear in Colorado and test it on long trips in every season.",
    "Thank you for choosing us for your next adventure outdoors.",
    "Prices shown include taxes where the law requires it.",
    "Product photos show the colours as closely as a screen allows.",
    "Our newsletter brings trail stories, gear guides and early access to sales.",
    "Many of our products are made with recycled fabrics and bluesign materials.",
    "Member events include group hikes, clinics and film nights at our stores.",
    "Availability can change quickly during the busy summer months.",
    "We partner with local guides who share our love for the mountains.",
]
SIZES = [(400, 50), (500, 60), (600, 75), (800, 100), (1200, 150), (1600, 200)]


def long_documents(rng: random.Random) -> dict[str, str]:
    from tests.knowledge.labelled_set import DOCUMENTS

    documents: dict[str, list[str]] = {}
    for index, (name, content) in enumerate(DOCUMENTS.items()):
        heading, body = content.split("\n\n", 1)
        paragraphs = [" ".join(rng.sample(FILLER, 4)) for _ in range(4)]
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), body)
        documents.setdefault(f"guide-{index % 3}", []).append(f"## {name}\n\n" + "\n\n".join(paragraphs))
    return {name: f"# Help guide {name}\n\n" + "\n\n".join(sections) for name, sections in documents.items()}


def main() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='smooth-chunks-')}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    os.environ["SMOOTH_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from identity.access import AccessContext
    from knowledge import chunking, services
    from knowledge.dense import forget_cache
    from knowledge.models import Document
    from knowledge.retrieval import search_blocking as search
    from knowledge.sources import SourceDocument
    from tests.knowledge.labelled_set import QUERIES

    documents = long_documents(random.Random(int(os.environ.get("BENCH_SEED", "11"))))
    print(f"{len(documents)} documents, {sum(len(text) for text in documents.values())} characters, {len(QUERIES)} questions")
    original = services.chunk_text
    for size, overlap in SIZES:
        services.chunk_text = functools.partial(chunking.chunk_text, max_chars=size, overlap=overlap)
        services.delete_documents(Document.objects.all())
        forget_cache()
        for name, text in documents.items():
            services.ingest_document(
                organization_id="bench", document=SourceDocument(source=name, title=name, content=text, type="markdown")
            )
        hits, reciprocal = 0, 0.0
        for question, expected in QUERIES:
            ranked = [result.metadata.get("headings", [""])[-1] for result in search(question, AccessContext.anonymous("bench"), limit=10)]
            rank = ranked.index(expected) + 1 if expected in ranked else None
            hits += bool(rank and rank <= 3)
            reciprocal += 1 / rank if rank else 0
        chunks = sum(document.chunks.count() for document in Document.objects.all())
        print(
            f"size {size:5d} overlap {overlap:4d}: {chunks:4d} chunks   recall@3 {hits / len(QUERIES):.2f}   MRR {reciprocal / len(QUERIES):.3f}"
        )
    services.chunk_text = original


if __name__ == "__main__":
    main()
