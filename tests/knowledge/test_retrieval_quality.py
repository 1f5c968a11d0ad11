"""Recall@3 of the default offline stack on the labelled set (and with the lexical rerank)."""

import pytest

from knowledge.access import AccessContext
from knowledge.retrieval import search_blocking as search
from tests.knowledge.kb import add
from tests.knowledge.labelled_set import DOCUMENTS, QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_centre():
    for name, content in DOCUMENTS.items():
        add("shop", f"help/{name}.md", content, title=name)


def evaluate() -> tuple[float, float, list[str]]:
    hits, reciprocal_ranks, misses = 0, [], []
    for query, expected in QUERIES:
        ranked = [result.source for result in search(query, AccessContext.anonymous("shop"), limit=10)]
        rank = ranked.index(f"help/{expected}.md") + 1 if f"help/{expected}.md" in ranked else None
        hits += bool(rank and rank <= 3)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if not rank or rank > 3:
            misses.append(f"{query!r} -> {ranked[:3]}")
    return hits / len(QUERIES), sum(reciprocal_ranks) / len(QUERIES), misses


def test_the_labelled_set_is_big_enough():
    assert len(DOCUMENTS) >= 30 and len(QUERIES) >= 20
    assert {expected for _, expected in QUERIES} <= set(DOCUMENTS)


@pytest.mark.parametrize("rerank", ["off", "lexical"])
def test_recall_at_3_is_at_least_0_9(help_centre, settings, rerank, capsys):
    settings.SMOOTH_AGENT_RERANK = rerank
    recall, mrr, misses = evaluate()
    with capsys.disabled():
        print(f"\n[retrieval rerank={rerank}] recall@3={recall:.2f} MRR={mrr:.3f} misses={misses}")
    assert recall >= 0.9, misses
