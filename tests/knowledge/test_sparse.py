import pytest

from knowledge import sparse
from knowledge.access import AccessContext
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def common_word_corpus(monkeypatch):
    monkeypatch.setattr(sparse, "COMMON_TERM_FLOOR", 2)
    for index in range(8):
        add("acme", f"doc-{index}.md", f"# Doc {index}\n\nWidget manual page {index}." + (" The zephyr valve is here." if index == 5 else ""))


def test_terms_in_most_chunks_are_dropped_when_a_rarer_one_remains(common_word_corpus):
    assert sparse.selective_terms(["widget", "zephyr"]) == ["zephyr"]
    assert sparse.selective_terms(["widget", "manual"]) == ["widget", "manual"]  # nothing rarer: keep all
    assert sparse.selective_terms(["zephyr"]) == ["zephyr"]
    assert found_sources("widget zephyr", "acme", AccessContext.anonymous(), limit=1) == ["doc-5.md"]


def test_small_corpora_are_never_pruned(common_word_corpus, monkeypatch):
    monkeypatch.setattr(sparse, "COMMON_TERM_FLOOR", 1000)
    assert sparse.selective_terms(["widget", "zephyr"]) == ["widget", "zephyr"]


def test_query_terms_keep_only_word_characters_and_drop_stopwords():
    assert sparse.query_terms('How is "the" OR NEAR(widget*) -- 17 days?') == ["near", "widget", "17", "days"]
