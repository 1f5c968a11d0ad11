"""The approximate vector index of a large organisation (knowledge.vector_index): it
finds what exact search finds, follows the chunks that change without being built
anew, and never returns a chunk its requester may not read."""

import types

import numpy as np
import pytest

from identity.access import AccessContext
from knowledge import dense, vector_index
from knowledge.access import apply_access, normalize_access
from knowledge.embeddings import to_bytes
from knowledge.models import Chunk, Document
from knowledge.services import bump_index_version, delete_documents
from knowledge.vector_index import ApproximateVectors

pytestmark = pytest.mark.django_db

ORG = "big"
WIDTH = 128
MODEL = "test-vectors"
DOCUMENTS = 150
CHUNKS_PER_DOCUMENT = 10


@pytest.fixture(autouse=True)
def approximate_from_a_thousand_chunks(monkeypatch):
    """The approximate path at test scale, with vectors of a model of the test's own."""
    monkeypatch.setattr(dense, "APPROXIMATE_FROM_CHUNKS", 1000)
    monkeypatch.setattr(dense, "get_embedder", lambda: types.SimpleNamespace(name=MODEL))


def clustered(rng: np.random.Generator, count: int, centre: np.ndarray) -> np.ndarray:
    vectors = centre + 0.5 * rng.standard_normal((count, WIDTH)).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def add_document(number: int, vectors: np.ndarray, access: dict | None = None) -> Document:
    document = Document.objects.create(
        organization_id=ORG, source=f"doc-{number}.md", title=f"Document {number}", content="...", content_hash=str(number)
    )
    if access is not None:
        apply_access(document, normalize_access(access))
    Chunk.objects.bulk_create(
        Chunk(
            document=document,
            organization_id=ORG,
            position=position,
            text=f"chunk {number}.{position}",
            embedding=to_bytes(vector),
            embedding_model=MODEL,
            embedding_dimensions=WIDTH,
        )
        for position, vector in enumerate(vectors)
    )
    return document


@pytest.fixture
def library():
    """150 documents of 10 chunks each, a document a topic; every third one restricted to the group "finance"."""
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((DOCUMENTS, WIDTH)).astype(np.float32)
    for number in range(DOCUMENTS):
        add_document(number, clustered(rng, CHUNKS_PER_DOCUMENT, centres[number]), {"groups": ["finance"]} if number % 3 == 0 else None)
    bump_index_version(ORG)
    return centres


def readable(access: AccessContext) -> list:
    return dense.readable_documents(access=access, document_sets=None)


def exact(query: np.ndarray, documents: list, limit: int) -> list[int]:
    chunks = Chunk.objects.filter(organization_id=ORG, document_id__in=documents).values_list("id", "embedding")
    scored = sorted(((float(np.frombuffer(bytes(raw), dtype="<f4") @ query), chunk_id) for chunk_id, raw in chunks), reverse=True)
    return [chunk_id for _, chunk_id in scored[:limit]]


def found(query: np.ndarray, access: AccessContext, limit: int = 5) -> list[int]:
    return [chunk_id for chunk_id, _ in dense.dense_search(query, organization_id=ORG, readable=readable(access), limit=limit)]


def test_the_approximate_index_finds_what_exact_search_finds(library):
    rng = np.random.default_rng(11)
    everyone = AccessContext(ORG, groups=frozenset({"finance"}))
    ids = Document.objects.filter(organization_id=ORG).values_list("id", flat=True)
    for centre in library[rng.choice(DOCUMENTS, 20, replace=False)]:
        query = clustered(rng, 1, centre)[0]
        assert found(query, everyone) == exact(query, list(ids), 5)
    assert isinstance(dense.indexes.get(ORG), ApproximateVectors)


def test_a_deleted_chunk_never_comes_back_and_a_new_one_is_found_without_a_rebuild(library, monkeypatch):
    anyone = AccessContext(ORG, groups=frozenset({"finance"}))
    before = dense.indexes.get(ORG)
    assert isinstance(before, ApproximateVectors)
    gone = Document.objects.get(organization_id=ORG, source="doc-7.md")
    gone_chunks = set(gone.chunks.values_list("id", flat=True))
    gone_vector = np.frombuffer(bytes(gone.chunks.first().embedding), dtype="<f4")
    assert found(gone_vector, anyone)[0] in gone_chunks

    def rebuilt_whole(**kwargs):
        raise AssertionError("the index was built anew")

    monkeypatch.setattr(vector_index, "build", rebuilt_whole)
    monkeypatch.setattr(dense, "_build_exact", rebuilt_whole)
    delete_documents(Document.objects.filter(id=gone.id))
    new_vectors = clustered(np.random.default_rng(3), CHUNKS_PER_DOCUMENT, np.ones(WIDTH, dtype=np.float32))
    new = add_document(1000, new_vectors)
    bump_index_version(ORG)

    assert not set(found(gone_vector, anyone, limit=50)) & gone_chunks
    new_chunk = new.chunks.get(position=4)
    assert found(new_vectors[4], anyone)[0] == new_chunk.id
    after = dense.indexes.get(ORG)
    assert isinstance(after, ApproximateVectors) and after is not before
    assert len(after) == len(before) == DOCUMENTS * CHUNKS_PER_DOCUMENT
    assert before.index.ntotal == DOCUMENTS * CHUNKS_PER_DOCUMENT  # the copy that served meanwhile is untouched


def test_a_chunk_deleted_before_the_index_learns_of_it_is_not_returned(library):
    anyone = AccessContext(ORG, groups=frozenset({"finance"}))
    chunk = Chunk.objects.filter(organization_id=ORG).order_by("id")[42]
    vector = np.frombuffer(bytes(chunk.embedding), dtype="<f4").copy()
    assert found(vector, anyone)[0] == chunk.id
    Chunk.objects.filter(id=chunk.id).delete()  # no version bump: the index still holds it
    assert chunk.id not in found(vector, anyone, limit=20)


def test_a_chunk_of_an_unreadable_document_is_never_returned(library):
    restricted = Document.objects.filter(organization_id=ORG, access_restricted=True)
    restricted_chunks = set(Chunk.objects.filter(document__in=restricted).values_list("id", flat=True))
    open_documents = list(Document.objects.filter(organization_id=ORG, access_restricted=False).values_list("id", flat=True))
    rng = np.random.default_rng(13)
    for number in range(0, DOCUMENTS, 3):  # the restricted documents' own topics
        query = clustered(rng, 1, library[number])[0]
        results = found(query, AccessContext.anonymous(ORG), limit=10)
        assert len(results) == 10 and not set(results) & restricted_chunks
        assert results == exact(query, open_documents, 10)


def test_a_requester_who_reads_few_documents_gets_their_best_chunks(library):
    few = [0, 3, 6]
    for number in few:
        apply_access(Document.objects.get(organization_id=ORG, source=f"doc-{number}.md"), normalize_access({"users": ["ann"]}))
    for document in Document.objects.filter(organization_id=ORG, access_restricted=False):
        apply_access(document, normalize_access({"groups": ["staff"]}))
    ann = AccessContext(ORG, user_id="ann")
    theirs = list(Document.objects.filter(organization_id=ORG, source__in=[f"doc-{n}.md" for n in few]).values_list("id", flat=True))
    assert len(readable(ann)) == len(few)
    rng = np.random.default_rng(17)
    for centre in library[[1, 50, 100]]:  # topics far from anything ann may read
        query = clustered(rng, 1, centre)[0]
        assert found(query, ann, limit=5) == exact(query, theirs, 5)


def test_an_organisation_that_has_doubled_is_built_anew(library):
    before = dense.indexes.get(ORG)
    rng = np.random.default_rng(19)
    for number in range(DOCUMENTS, 3 * DOCUMENTS + 1):
        add_document(number, clustered(rng, CHUNKS_PER_DOCUMENT, rng.standard_normal(WIDTH).astype(np.float32)))
    bump_index_version(ORG)
    after = dense.indexes.get(ORG)
    assert isinstance(after, ApproximateVectors) and after.trained_on == len(after) > 2 * len(before)
