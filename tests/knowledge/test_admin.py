import io
import json

import pytest
from django.urls import reverse

from identity.access import AccessContext
from knowledge.models import Document, IndexVersion
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_a_document_page_shows_its_chunks(staff_client):
    document = add("acme", "guide.md", "# Guide\n\nFirst part.\n\n# Second\n\nSecond part.")
    response = staff_client.get(reverse("admin:knowledge_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert "First part." in response.text and "Second part." in response.text


def test_the_access_list_is_editable_and_takes_effect_in_search(staff_client):
    document = add("acme", "memo.md", "# Memo\n\nThe parking garage closes for repairs.")
    url = reverse("admin:knowledge_document_change", args=[document.pk])
    form = {
        "title": "Memo",
        "type": "markdown",
        "metadata": "{}",
        "access": json.dumps({"groups": ["facilities"]}),
        "chunks-TOTAL_FORMS": "1",
        "chunks-INITIAL_FORMS": "1",
        "chunks-MIN_NUM_FORMS": "0",
        "chunks-MAX_NUM_FORMS": "1000",
        "chunks-0-id": str(document.chunks.get().pk),
        "chunks-0-document": str(document.pk),
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.text[:2000]
    assert Document.objects.get().access == {"public": False, "users": [], "groups": ["facilities"]}
    assert found_sources("parking garage", AccessContext.anonymous("acme")) == []
    assert found_sources("parking garage", AccessContext("acme", groups=frozenset({"facilities"}))) == ["memo.md"]

    bad = staff_client.post(url, {**form, "access": '{"users": "alice"}'})
    assert "access.users must be a list of non-empty strings." in bad.text


def test_deleting_from_the_admin_removes_the_chunks_and_invalidates_the_index(staff_client):
    document = add("acme", "old.md", "# Old\n\nObsolete content about fax machines.")
    version = IndexVersion.objects.get(organization_id="acme").version
    assert found_sources("fax machines", AccessContext.anonymous("acme")) == ["old.md"]
    response = staff_client.post(reverse("admin:knowledge_document_delete", args=[document.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert IndexVersion.objects.get(organization_id="acme").version > version
    assert found_sources("fax machines", AccessContext.anonymous("acme")) == []


def test_the_indexing_runs_and_document_sets_are_listed(staff_client):
    from django.core.management import call_command

    call_command("kb_seed", "--org", "acme", stdout=io.StringIO())
    assert "demo:policies" in staff_client.get(reverse("admin:knowledge_indexingrun_changelist")).text
    assert "policies" in staff_client.get(reverse("admin:knowledge_documentset_changelist")).text
