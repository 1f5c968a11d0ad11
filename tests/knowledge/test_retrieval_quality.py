"""Retrieval quality: recall@3 on the small outdoor-shop set (and with the lexical rerank),
and every labelled help centre of tests/knowledge/sets held at its measured figures."""

import importlib

import pytest

from knowledge.access import AccessContext
from knowledge.retrieval import search_blocking as search
from tests.knowledge import quality, sets
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
        ranked = [result.source for result in search(query, AccessContext.anonymous("shop"), limit=10, min_score=0.0)]
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


# Each labelled help centre's figures (bench/retrieval_quality.py), held a little under
# what was measured, so that a regression fails. Rates over the whole set.
FLOORS = {
    "telecom": {"recall@1": 0.77, "recall@3": 0.87, "MRR": 0.83, "fact": 0.74, "refusal": 0.6},
    "devtool": {"recall@1": 0.82, "recall@3": 0.9, "MRR": 0.86, "fact": 0.84, "refusal": 0.33},
    "furniture": {"recall@1": 0.72, "recall@3": 0.82, "MRR": 0.78, "fact": 0.66, "refusal": 0.25},
    # held out: measured once, never tuned on (1 of its 11 unanswerable questions refused)
    "airline": {"recall@1": 0.59, "recall@3": 0.82, "MRR": 0.7, "fact": 0.76, "refusal": 0.09},
}
CEILINGS = {"false refusal": 0.05}
# How far above plain BM25 over the same chunks each set stays (measured: at least 0.13 at
# rank 1 and 0.048 in the top 3).
ABOVE_BM25 = {"recall@1": ("BM25 r@1", 0.1), "recall@3": ("BM25 r@3", 0.03)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_labelled_help_centre_keeps_its_measured_quality(name, capsys):
    help_centre = importlib.import_module(f"tests.knowledge.sets.{name}")
    quality.load(help_centre, f"quality-{name}")
    rates = quality.evaluate(help_centre, f"quality-{name}")["all"].rates()
    with capsys.disabled():
        print(f"\n[{name}] " + " ".join(f"{key}={value:.2f}" for key, value in rates.items()))
    for key, floor in FLOORS[name].items():
        assert rates[key] >= floor, f"{name}: {key} {rates[key]:.2f} < {floor}"
    for key, ceiling in CEILINGS.items():
        assert rates[key] <= ceiling, f"{name}: {key} {rates[key]:.2f} > {ceiling}"
    for key, (baseline, margin) in ABOVE_BM25.items():
        assert rates[key] >= rates[baseline] + margin, f"{name}: {key} {rates[key]:.3f} vs {baseline} {rates[baseline]:.3f}"


def test_every_labelled_set_is_big_enough_and_its_facts_are_in_its_documents():
    for name in (*sets.TUNING, *sets.HELD_OUT):
        help_centre = importlib.import_module(f"tests.knowledge.sets.{name}")
        answerable = [question for question in help_centre.QUESTIONS if question.document]
        assert len(help_centre.DOCUMENTS) >= 40 and len(answerable) >= 80
        assert len(help_centre.QUESTIONS) - len(answerable) >= 10
        for question in answerable:
            plain = help_centre.DOCUMENTS[question.document].replace("**", "").replace("`", "").lower()
            assert question.fact.lower() in plain, (name, question.text)
