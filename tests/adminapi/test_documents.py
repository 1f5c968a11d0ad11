import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from identity.access import AccessContext
from knowledge.models import Document
from tests.adminapi.test_read_endpoints import token
from tests.knowledge.kb import found_sources

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256")]


def auth(**who):
    return {"HTTP_AUTHORIZATION": f"Bearer {token(**({'role': 'curator'} | who))}"}


def upload(client, body, **who):
    return client.post("/api/v1/documents", json.dumps(body), content_type="application/json", **auth(**who))


def test_a_text_upload_is_ingested_idempotently_with_sets_and_access(client):
    body = {
        "source": "faq/returns.md",
        "type": "markdown",
        "content": "# Returns\n\nStaff may extend returns to 60 days.",
        "documentSets": ["staff"],
        "access": {"groups": ["support"]},
    }
    first = upload(client, body)
    assert (first.status_code, first.json()["outcome"]) == (201, "added")
    document = first.json()["document"]
    assert (document["title"], document["documentSets"], document["access"]["groups"], document["chunkCount"]) == (
        "Returns",
        ["staff"],
        ["support"],
        1,
    )
    again = upload(client, body)
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    assert found_sources("extend returns", AccessContext.anonymous("acme")) == []
    assert found_sources("extend returns", AccessContext("acme", groups=frozenset({"support"}))) == ["faq/returns.md"]


def test_a_file_upload_takes_its_type_and_title_from_the_file(client):
    file = SimpleUploadedFile(
        "shipping-times.html", b"<html><title>Shipping</title><p>Ships in 2 days.</p></html>", content_type="text/html"
    )
    response = client.post("/api/v1/documents", {"file": file, "documentSets": ["help"]}, **auth())
    assert response.status_code == 201, response.json()
    document = response.json()["document"]
    assert (document["source"], document["type"], document["title"]) == ("upload/shipping-times.html", "html", "Shipping")


@pytest.mark.parametrize(
    "body, words",
    [
        ({"source": "a.md"}, "send either content (text) or file"),
        ({"content": "text only"}, "a text upload needs a source"),
        ({"source": "a.md", "content": "x", "access": {"users": "bob"}}, "access.users must be a list of non-empty strings."),
        ({"source": "a.md", "content": "x", "type": "rtf"}, "not a valid choice"),
        ({"source": "a.pdf", "content": "x", "type": "pdf"}, "pdf is a file format: send the document as a file"),
        ({"source": "a.json", "content": "{broken", "type": "json"}, "not valid JSON"),
    ],
)
def test_bad_uploads_are_400_and_store_nothing(client, body, words):
    response = upload(client, body)
    assert response.status_code == 400 and response.json()["code"] == "VALIDATION_ERROR"
    assert words in json.dumps(response.json()["details"])
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("diagram.png", b"\x89PNG", "unsupported file type"),
        ("latin.txt", b"caf\xe9", "not UTF-8 text"),
        ("notes.pdf", b"%PDF", "upload/notes.pdf: not a readable PDF"),
    ],
)
def test_bad_files_are_400(client, name, data, words):
    response = client.post("/api/v1/documents", {"file": SimpleUploadedFile(name, data)}, **auth())
    assert response.status_code == 400 and words in json.dumps(response.json()["details"])


def test_listing_and_deleting_stay_inside_the_organisation(client):
    upload(client, {"source": "acme.md", "content": "Acme only."})
    upload(client, {"source": "globex.md", "content": "Globex only."}, org="globex", sub="g")
    listed = client.get("/api/v1/documents", **auth()).json()["results"]
    assert [row["source"] for row in listed] == ["acme.md"]
    globex_id = Document.objects.get(source="globex.md").id
    assert client.delete(f"/api/v1/documents/{globex_id}", **auth()).status_code == 404
    acme_id = Document.objects.get(source="acme.md").id
    assert client.delete(f"/api/v1/documents/{acme_id}", **auth()).status_code == 204
    assert list(Document.objects.values_list("source", flat=True)) == ["globex.md"]
    assert client.delete(f"/api/v1/documents/{uuid.uuid4()}", **auth()).status_code == 404


def test_basic_users_cannot_touch_documents(client):
    assert client.get("/api/v1/documents", **auth(role="basic")).status_code == 403
    assert upload(client, {"source": "a.md", "content": "x"}, role="basic").status_code == 403
