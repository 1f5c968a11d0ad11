"""Measuring retrieval and offline answers on a labelled help centre (tests/knowledge/sets).

Shared by bench/retrieval_quality.py (which prints the tables) and the test suite
(which holds each figure above a floor). Both need a database holding the set's
documents, put there by `load`.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rank_bm25 import BM25Okapi

from chat.turns.offline import NOTHING_FOUND, compose_reply
from identity.access import AccessContext
from knowledge.models import Chunk
from knowledge.retrieval import query_vector_blocking, rank_all, rerank_blocking
from knowledge.services import ingest_document
from knowledge.sources import SourceDocument, read_document
from tests.knowledge import files

RANKED = 10  # how deep a ranking is read (reciprocal rank beyond it counts as 0)
_TITLE = re.compile(r"^#\s+(.+)$", re.MULTILINE)
_BM25_TOKEN = re.compile(r"\w+")


def source_of(slug: str) -> str:
    return f"help/{slug}.md"


# The set's documents as files (bench/retrieval_quality.py --as): how each is made from its
# Markdown, and the kind it is read as. A PDF "with outline" has a bookmark per heading, as
# word processors export one; "without" has none, so its text keeps no heading. Neither has
# a title of its own: it is its first heading (the outline's), else its file name.
AS_FILES = {
    "pdf": (lambda markdown: files.markdown_to_pdf(markdown), "pdf"),
    "pdf-without-outline": (lambda markdown: files.markdown_to_pdf(markdown, outline=False), "pdf"),
    "docx": (lambda markdown: files.markdown_to_docx(markdown), "docx"),
}


def load(help_centre, organization_id: str, as_file: str | None = None) -> None:
    """Every document of the set, titled by its first heading, as a site owner would ingest it;
    with `as_file` (a key of AS_FILES), made into that kind of file and read back from it."""
    for slug, content in help_centre.DOCUMENTS.items():
        if as_file:
            make, kind = AS_FILES[as_file]
            document = read_document(source_of(slug), make(content), kind, f"{slug}.{kind}")
        else:
            title = _TITLE.search(content)
            document = SourceDocument(source=source_of(slug), title=title.group(1) if title else slug, content=content, type="markdown")
        ingest_document(organization_id=organization_id, document=document, document_sets=[], access=None)


@dataclass
class Scores:
    """Sums over questions; `table_row` turns them into rates."""

    answerable: int = 0
    unanswerable: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    reciprocal_ranks: float = 0.0
    facts: int = 0
    false_refusals: int = 0
    refusals: int = 0
    bm25_hits_at_1: int = 0
    bm25_hits_at_3: int = 0
    bm25_reciprocal_ranks: float = 0.0
    misses: list = field(default_factory=list)
    # the relevance decision's evidence per question (answerable or not), for --calibrate
    evidence: list = field(default_factory=list)

    def rates(self) -> dict[str, float | None]:
        def share(count, total):
            return count / total if total else None

        return {
            "recall@1": share(self.hits_at_1, self.answerable),
            "recall@3": share(self.hits_at_3, self.answerable),
            "MRR": share(self.reciprocal_ranks, self.answerable),
            "BM25 r@1": share(self.bm25_hits_at_1, self.answerable),
            "BM25 r@3": share(self.bm25_hits_at_3, self.answerable),
            "BM25 MRR": share(self.bm25_reciprocal_ranks, self.answerable),
            "fact": share(self.facts, self.answerable),
            "false refusal": share(self.false_refusals, self.answerable),
            "refusal": share(self.refusals, self.unanswerable),
        }


def rank_of(expected: str, ranked_sources: list[str]) -> int | None:
    """1-based position of the expected document's first passage, within RANKED."""
    for position, source in enumerate(ranked_sources[:RANKED], start=1):
        if source == expected:
            return position
    return None


class PlainBM25:
    """The baseline: Okapi BM25 over the same chunks, lower-cased words, no stemming."""

    def __init__(self, organization_id: str):
        chunks = list(Chunk.objects.filter(organization_id=organization_id).select_related("document").order_by("id"))
        self.sources = [chunk.document.source for chunk in chunks]
        self.index = BM25Okapi([_BM25_TOKEN.findall(chunk.text.lower()) for chunk in chunks])

    def ranked_sources(self, query: str) -> list[str]:
        scores = self.index.get_scores(_BM25_TOKEN.findall(query.lower()))
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [self.sources[i] for i in order[:RANKED]]


def languages_of(name: str) -> tuple[str, ...]:
    """English, and the languages tests/knowledge/sets/translations has the set's questions in."""
    try:
        module = importlib.import_module(f"tests.knowledge.sets.translations.{name}")
    except ModuleNotFoundError:
        return ("en",)
    return ("en", *module.TRANSLATED)


def evaluate(help_centre, organization_id: str, language: str = "en") -> dict[str, Scores]:
    """Scores per tag, plus "all" (every question), with the questions asked in `language`."""
    translated = {}
    if language != "en":
        name = help_centre.__name__.rsplit(".", 1)[-1]
        translated = importlib.import_module(f"tests.knowledge.sets.translations.{name}").TRANSLATED[language]
    access = AccessContext.anonymous(organization_id)
    baseline = PlainBM25(organization_id)
    by_tag: dict[str, Scores] = defaultdict(Scores)
    for question in help_centre.QUESTIONS:
        text = translated.get(question.text, question.text)
        ranking = rank_all(text, access, limit=RANKED, query_vector=query_vector_blocking(text))
        passages = rerank_blocking(text, ranking.answer_passages(), 3)
        reply, _ = compose_reply(text, passages) if passages else (NOTHING_FOUND, [])
        refused = reply == NOTHING_FOUND
        for scores in (by_tag["all"], *(by_tag[tag] for tag in question.tags)):
            scores.evidence.append((ranking.evidence, question.document is not None))
            if question.document is None:
                scores.unanswerable += 1
                scores.refusals += refused
                if not refused:
                    scores.misses.append(f"answered {text!r}: {reply[:100]!r}")
                continue
            expected = source_of(question.document)
            ranked = [result.source for result in ranking.results]
            rank = rank_of(expected, ranked)
            bm25_rank = rank_of(expected, baseline.ranked_sources(text))
            scores.answerable += 1
            scores.hits_at_1 += rank == 1
            scores.hits_at_3 += bool(rank and rank <= 3)
            scores.reciprocal_ranks += 1 / rank if rank else 0.0
            scores.bm25_hits_at_1 += bm25_rank == 1
            scores.bm25_hits_at_3 += bool(bm25_rank and bm25_rank <= 3)
            scores.bm25_reciprocal_ranks += 1 / bm25_rank if bm25_rank else 0.0
            has_fact = question.fact.lower() in reply.lower()
            scores.facts += has_fact
            scores.false_refusals += refused
            if not has_fact:
                scores.misses.append(f"{text!r} (rank {rank}, wants {question.document}: {question.fact!r}) -> {reply[:120]!r}")
    return dict(by_tag)


COLUMNS = ("recall@1", "recall@3", "MRR", "BM25 r@1", "BM25 r@3", "BM25 MRR", "fact", "false refusal", "refusal")
TAG_ORDER = ("all", "paraphrase", "near-duplicate", "deep", "short", "long", "typo", "unanswerable")


def table(name: str, by_tag: dict[str, Scores]) -> str:
    """A Markdown table: one row per tag, a column per rate."""
    lines = [f"| {name} | n | " + " | ".join(COLUMNS) + " |", "| --- | --- | " + " | ".join("---" for _ in COLUMNS) + " |"]
    for tag in TAG_ORDER:
        if tag not in by_tag:
            continue
        scores = by_tag[tag]
        rates = scores.rates()
        cells = ["" if rates[column] is None else f"{rates[column]:.2f}" for column in COLUMNS]
        lines.append(f"| {tag} | {scores.answerable + scores.unanswerable} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def calibration_rows(by_tag: dict[str, Scores]) -> list[tuple[dict[str, float], bool]]:
    """(the relevance decision's features, answerable) per question, for fitting it."""
    return [(evidence.features(), answerable) for evidence, answerable in by_tag["all"].evidence]
