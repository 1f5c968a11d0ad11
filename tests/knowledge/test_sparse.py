import pytest

from knowledge import sparse
from knowledge.access import AccessContext
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def common_word_corpus(monkeypatch):
    monkeypatch.setattr(sparse, "COMMON_TERM_FLOOR", 2)
    for index in range(8):
        add(
            "acme",
            f"doc-{index}.md",
            f"# Doc {index}\n\nWidget manual page {index}." + (" The zephyr valve is here." if index == 5 else ""),
        )
    sparse.refresh_statistics()  # what an ingestion run does at its end
    yield
    sparse.forget_statistics()


def test_terms_in_most_chunks_are_dropped(common_word_corpus):
    assert sparse.selective_terms(["widget", "zephyr"]) == ["zephyr"]
    assert sparse.selective_terms(["zephyr"]) == ["zephyr"]
    assert found_sources("widget zephyr", AccessContext.anonymous("acme"), limit=1) == ["doc-5.md"]


def test_a_query_of_only_common_words_is_answered_by_the_dense_ranking(common_word_corpus):
    assert sparse.selective_terms(["widget", "manual"]) == []
    assert sparse.sparse_search("widget manual", access=AccessContext.anonymous("acme"), limit=5) == []
    assert len(found_sources("widget manual", AccessContext.anonymous("acme"), limit=3)) == 3


def test_small_corpora_are_never_pruned(common_word_corpus, monkeypatch):
    monkeypatch.setattr(sparse, "COMMON_TERM_FLOOR", 1000)
    assert sparse.selective_terms(["widget", "zephyr"]) == ["widget", "zephyr"]


def test_query_terms_keep_only_word_characters_and_drop_stopwords():
    assert sparse.query_terms('How is "the" OR NEAR(widget*) -- 17 days?') == ["near", "widget", "17", "days"]
