"""knowledge.embeddings.SentenceVectors: a passage sentence is embedded once per model,
and what is kept stays bounded."""

import numpy as np

from knowledge.embeddings import SentenceVectors, get_embedder


class CountingEmbedder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.embedded: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.asarray([[len(text), ord(text[0]), 1.0 if self.name == "b" else 0.0] for text in texts], dtype=np.float32)


def test_each_sentence_is_embedded_once_and_answers_in_the_order_asked():
    kept, model = SentenceVectors(size=10), CountingEmbedder("a")
    first = kept.of(model, ["one", "three", "one"])
    assert model.embedded == ["one", "three"]
    again = kept.of(model, ["three", "one", "four"])
    assert model.embedded == ["one", "three", "four"]  # only the new sentence
    assert first.tolist() == [[3, ord("o"), 0], [5, ord("t"), 0], [3, ord("o"), 0]]
    assert again.tolist() == [[5, ord("t"), 0], [3, ord("o"), 0], [4, ord("f"), 0]]


def test_another_model_embeds_the_same_sentence_again():
    kept, a, b = SentenceVectors(size=10), CountingEmbedder("a"), CountingEmbedder("b")
    kept.of(a, ["one"])
    assert kept.of(b, ["one"]).tolist() == [[3, ord("o"), 1]]
    assert b.embedded == ["one"]


def test_the_least_recently_used_sentences_go_first_beyond_the_size():
    kept, model = SentenceVectors(size=2), CountingEmbedder("a")
    kept.of(model, ["a1", "b1"])
    kept.of(model, ["a1"])  # a1 used again: b1 is now the oldest
    kept.of(model, ["c1"])
    model.embedded.clear()
    kept.of(model, ["a1", "b1", "c1"])
    assert model.embedded == ["b1"]


def test_kept_vectors_are_the_models_own():
    embedder = get_embedder()
    sentences = ["Refunds reach your card within 5 business days.", "Standard shipping takes 5 to 7 business days."]
    fresh = embedder.embed_queries(sentences)
    kept = SentenceVectors(size=10)
    kept.of(embedder, sentences[:1])
    assert np.allclose(kept.of(embedder, sentences), fresh, atol=1e-6)
