"""The gateway paths of retrieval, against a real local HTTP server playing the gateway."""

import numpy as np
import pytest

from core.gateway import GatewayError
from identity.access import AccessContext
from knowledge import rerank
from knowledge.embeddings import GatewayEmbedder
from tests.httpserver import Reply
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(http_server, settings):
    settings.SMOOAI_GATEWAY_URL = http_server.url
    settings.SMOOAI_GATEWAY_KEY = "sk-test-secret"
    return http_server


@pytest.fixture
def three_docs():
    add("acme", "a.md", "# Alpha\n\nWidgets are blue and widgets are round.")
    add("acme", "b.md", "# Beta\n\nWidgets come in a box.")
    add("acme", "c.md", "# Gamma\n\nSome widgets are sold in pairs.")


def test_gateway_rerank_reorders_the_candidates(gateway, settings, three_docs):
    settings.SMOOTH_AGENT_RERANK = "gateway"

    def answer(request):
        documents = request.json()["documents"]
        return Reply(
            200, {"results": [{"index": i, "relevance_score": 0.9 if "pairs" in text else 0.1} for i, text in enumerate(documents)]}
        )

    gateway.routes["/rerank"] = answer
    assert found_sources("widgets", AccessContext.anonymous("acme"), limit=3)[0] == "c.md"
    sent = gateway.requests[-1]
    assert sent.headers["Authorization"] == "Bearer sk-test-secret"
    assert sent.json()["query"] == "widgets"


@pytest.mark.parametrize(
    "reply", [Reply(500, "boom"), Reply(200, "not json"), Reply(200, {"results": [{"index": 99, "relevance_score": 1}]}), None]
)
def test_a_failing_gateway_rerank_keeps_the_fused_order(gateway, settings, three_docs, reply, caplog):
    settings.SMOOTH_AGENT_RERANK = "off"
    fused = found_sources("widgets", AccessContext.anonymous("acme"), limit=3)
    settings.SMOOTH_AGENT_RERANK = "gateway"
    if reply is None:
        settings.SMOOAI_GATEWAY_URL = "http://127.0.0.1:1"
    else:
        gateway.routes["/rerank"] = reply
    assert found_sources("widgets", AccessContext.anonymous("acme"), limit=3) == fused
    assert "keeping the fused order" in caplog.text
    assert "sk-test-secret" not in caplog.text


def test_lexical_scores_prefer_texts_with_more_of_the_query():
    scores = rerank.lexical_scores("blue widget box", ["a blue widget in a box", "a red widget", "nothing"])
    assert scores[0] > scores[1] > scores[2] == 0


def test_the_gateway_embedder_sends_the_texts_and_normalises_the_answer(gateway):
    gateway.routes["/embeddings"] = lambda request: Reply(
        200, {"data": [{"index": i, "embedding": [3.0, 4.0]} for i, _ in enumerate(request.json()["input"])]}
    )
    vectors = GatewayEmbedder(model="m").embed_passages(["one", "two"])
    assert vectors.shape == (2, 2)
    assert np.allclose(vectors[0], [0.6, 0.8])
    assert gateway.requests[-1].json() == {"model": "m", "input": ["one", "two"]}


@pytest.mark.parametrize(
    "reply, words",
    [
        (Reply(401, "no"), "answered HTTP 401"),
        (Reply(200, {"data": "x"}), "not an embeddings list"),
        (Reply(200, {"data": []}), "different number"),
    ],
)
def test_gateway_embedder_errors_are_clear_and_never_carry_the_key(gateway, reply, words):
    gateway.routes["/embeddings"] = reply
    with pytest.raises(GatewayError, match=words) as error:
        GatewayEmbedder(model="m").embed_passages(["one"])
    assert "sk-test-secret" not in str(error.value)


def test_with_the_gateway_embedder_ingestion_and_search_use_its_vectors(gateway, settings):
    settings.SMOOTH_AGENT_EMBEDDER = "gateway"

    def embeddings(request):
        texts = request.json()["input"]

        # A toy model: one dimension per topic word.
        def vector(text):
            text = text.lower()
            return [float("cat" in text or "kitten" in text), float("dog" in text or "puppy" in text), 0.1]

        return Reply(200, {"data": [{"index": i, "embedding": vector(t)} for i, t in enumerate(texts)]})

    gateway.routes["/embeddings"] = embeddings
    add("acme", "cats.md", "# Felines\n\nThe cat sleeps all day.")
    add("acme", "dogs.md", "# Canines\n\nThe dog fetches the ball.")
    # No word in common with either text: only the gateway's vectors can rank them.
    assert found_sources("kitten", AccessContext.anonymous("acme"), limit=1) == ["cats.md"]
    assert found_sources("puppy", AccessContext.anonymous("acme"), limit=1) == ["dogs.md"]
    assert {request.path for request in gateway.requests} == {"/embeddings"}
