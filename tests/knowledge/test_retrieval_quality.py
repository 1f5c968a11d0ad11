"""Retrieval quality: recall@3 on the small outdoor-shop set (and with the lexical rerank),
and every labelled help centre of tests/knowledge/sets held at its measured figures."""

import importlib

import pytest

from identity.access import AccessContext
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


# Each labelled help centre's figures in English (bench/retrieval_quality.py --all), held a
# little under what was measured, so that a regression fails. Rates over the whole set.
FLOORS = {
    "telecom": {"recall@1": 0.77, "recall@3": 0.92, "MRR": 0.84, "fact": 0.8, "refusal": 0.36},
    "devtool": {"recall@1": 0.85, "recall@3": 0.95, "MRR": 0.9, "fact": 0.83, "refusal": 0.63},
    "furniture": {"recall@1": 0.69, "recall@3": 0.87, "MRR": 0.78, "fact": 0.69, "refusal": 0.54},
    # held out: measured once, never tuned on
    "airline": {"recall@1": 0.76, "recall@3": 0.95, "MRR": 0.85, "fact": 0.85, "refusal": 0.27},
    "bank": {"recall@1": 0.54, "recall@3": 0.77, "MRR": 0.66, "fact": 0.52, "refusal": 0.08},
    "clinic": {"recall@1": 0.62, "recall@3": 0.78, "MRR": 0.72, "fact": 0.56, "refusal": 0.0},
    "energy": {"recall@1": 0.73, "recall@3": 0.84, "MRR": 0.8, "fact": 0.66, "refusal": 0.13},
    "hotel": {"recall@1": 0.73, "recall@3": 0.84, "MRR": 0.79, "fact": 0.58, "refusal": 0.06},
}
# At most this share of answerable questions refused (measured: 0.01 to 0.12).
CEILINGS = {"false refusal": {"bank": 0.15, "furniture": 0.09}}
DEFAULT_FALSE_REFUSAL = 0.07
# How far above plain BM25 over the same chunks each set stays (measured: at least 0.11 at
# rank 1 and 0.11 in the top 3, but energy's 0.07 and 0.08).
ABOVE_BM25 = {"recall@1": ("BM25 r@1", 0.08), "recall@3": ("BM25 r@3", 0.08)}
ABOVE_BM25_EXCEPT = {("energy", "recall@1"): 0.05, ("energy", "recall@3"): 0.06}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_labelled_help_centre_keeps_its_measured_quality(name, capsys):
    help_centre = importlib.import_module(f"tests.knowledge.sets.{name}")
    quality.load(help_centre, f"quality-{name}")
    rates = quality.evaluate(help_centre, f"quality-{name}")["all"].rates()
    with capsys.disabled():
        print(f"\n[{name}] " + " ".join(f"{key}={value:.2f}" for key, value in rates.items()))
    for key, floor in FLOORS[name].items():
        assert rates[key] >= floor, f"{name}: {key} {rates[key]:.2f} < {floor}"
    ceiling = CEILINGS["false refusal"].get(name, DEFAULT_FALSE_REFUSAL)
    assert rates["false refusal"] <= ceiling, f"{name}: false refusal {rates['false refusal']:.2f} > {ceiling}"
    for key, (baseline, margin) in ABOVE_BM25.items():
        margin = ABOVE_BM25_EXCEPT.get((name, key), margin)
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
