"""The embedding models: the shipped one finds a paraphrase full text misses and refuses
what the knowledge does not answer; an ONNX folder is loaded and run; a changed model's
vectors are never mixed with the old ones, and kb_reembed brings every chunk to it."""

import json

import numpy as np
import onnx
import pytest
from django.core.management import call_command
from onnx import TensorProto, helper
from tokenizers import Tokenizer, models, pre_tokenizers

from identity.access import AccessContext
from knowledge import dense, embeddings
from knowledge.models import Chunk
from knowledge.retrieval import query_vector_blocking, search_blocking
from tests.knowledge.kb import add, found_sources
from tests.knowledge.quality import PlainBM25

pytestmark = pytest.mark.django_db

ANYONE = AccessContext.anonymous("acme")
HELP_CENTRE = {
    "refunds.md": "# Refunds\n\nReturned items are refunded to the original card within 5 business days.",
    "delivery.md": "# Delivery\n\nStandard delivery takes 3 to 5 working days across the country.",
    "password.md": "# Passwords\n\nReset a forgotten password from the sign-in page with the emailed link.",
    "warranty.md": "# Warranty\n\nEvery product has a two-year warranty against manufacturing faults.",
}


@pytest.fixture
def help_centre():
    for source, content in HELP_CENTRE.items():
        add("acme", source, content)


def test_the_shipped_model_is_the_default_and_its_vectors_say_so(help_centre):
    assert embeddings.get_embedder().name == "use-multilingual-v3"
    chunk = Chunk.objects.filter(organization_id="acme").first()
    assert (chunk.embedding_model, chunk.embedding_dimensions) == ("use-multilingual-v3", 512)
    assert len(bytes(chunk.embedding)) == 512 * 4
    vector = query_vector_blocking("when do I get my money back")
    assert vector.shape == (512,) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_a_paraphrase_plain_bm25_misses_is_found(help_centre):
    question = "when will I get my money back"  # no word of the refunds page
    baseline = PlainBM25("acme")
    scores = baseline.index.get_scores(question.lower().split())
    assert scores[baseline.sources.index("refunds.md")] == 0  # BM25 has nothing to rank it by
    assert found_sources(question, ANYONE, limit=1) == ["refunds.md"]


def test_the_same_question_in_german_finds_the_english_page(help_centre):
    assert found_sources("Wie lange dauert die Lieferung?", ANYONE, limit=1) == ["delivery.md"]


def test_a_question_the_knowledge_does_not_answer_is_refused(help_centre):
    assert search_blocking("how do I cancel my gym membership", ANYONE) == []
    assert found_sources("how long does delivery take", ANYONE, limit=1) == ["delivery.md"]


def write_onnx_model(folder, *, name="toy"):
    """A real ONNX model of the sentence-transformers shape (token states out, mean-pooled
    by Smooth): each word of a tiny vocabulary maps to a fixed direction."""
    vocabulary = {"[UNK]": 0, "[PAD]": 1, "refund": 2, "money": 3, "back": 4, "delivery": 5, "parcel": 6, "days": 7}
    table = np.zeros((len(vocabulary), 4), dtype=np.float32)
    table[vocabulary["refund"]] = table[vocabulary["money"]] = table[vocabulary["back"]] = [1, 0, 0, 0]
    table[vocabulary["delivery"]] = table[vocabulary["parcel"]] = [0, 1, 0, 0]
    table[vocabulary["days"]] = [0, 0, 1, 0]
    table[vocabulary["[UNK]"]] = [0, 0, 0, 0.2]
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"])],
        "toy",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", 4])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten().tolist())],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), folder / "model.onnx")
    tokenizer = Tokenizer(models.WordLevel(vocabulary, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.enable_padding(pad_id=1, pad_token="[PAD]")
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "smooth_embedder.json").write_text(json.dumps({"name": name, "similarity_scale": [0.0, 1.0]}))
    return folder


def test_an_onnx_folder_is_loaded_run_and_mean_pooled(tmp_path, settings):
    settings.SMOOTH_AGENT_EMBEDDER, settings.SMOOTH_EMBEDDING_MODEL_DIR = "onnx", str(write_onnx_model(tmp_path))
    embedder = embeddings.get_embedder()
    assert embedder.name == "onnx-toy"
    vectors = embedder.embed_passages(["refund money", "parcel delivery days", "refund"])
    assert vectors.shape == (3, 4)
    assert np.allclose(vectors[0], [1, 0, 0, 0]) and np.allclose(vectors[2], [1, 0, 0, 0])
    assert np.allclose(vectors[1], np.array([0, 2, 1, 0]) / np.sqrt(5), atol=1e-6)


def test_an_onnx_folder_without_its_tokenizer_is_refused_by_name(tmp_path, settings):
    (tmp_path / "model.onnx").write_bytes(b"")
    settings.SMOOTH_AGENT_EMBEDDER, settings.SMOOTH_EMBEDDING_MODEL_DIR = "onnx", str(tmp_path)
    with pytest.raises(Exception, match="tokenizer.json not found"):
        embeddings.get_embedder()


def test_a_changed_model_is_never_mixed_and_kb_reembed_brings_every_chunk_to_it(help_centre, tmp_path, settings, capsys):
    old = found_sources("when will I get my money back", ANYONE, limit=1)
    assert old == ["refunds.md"]
    settings.SMOOTH_AGENT_EMBEDDER, settings.SMOOTH_EMBEDDING_MODEL_DIR = "onnx", str(write_onnx_model(tmp_path))
    dense.forget_cache()
    # The stored vectors are another model's: the dense half has none of this one's.
    vector = query_vector_blocking("money back")
    assert dense.dense_search(vector, organization_id="acme", readable=list(dense_ids()), limit=5) == []
    call_command("kb_reembed", "--batch-size", "3")
    assert "4 chunks embedded again with onnx-toy" in capsys.readouterr().out
    assert set(Chunk.objects.values_list("embedding_model", "embedding_dimensions")) == {("onnx-toy", 4)}
    ranked = dense.dense_search(vector, organization_id="acme", readable=list(dense_ids()), limit=5)
    assert ranked and Chunk.objects.get(id=ranked[0][0]).document.source == "refunds.md"
    call_command("kb_reembed")  # nothing left: a second run resumes from where the first stopped
    assert "every chunk already has a onnx-toy vector" in capsys.readouterr().out


def dense_ids():
    return dense.readable_documents(access=ANYONE, document_sets=None)
