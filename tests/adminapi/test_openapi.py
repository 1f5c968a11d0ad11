"""The OpenAPI schema is served, validates, and describes every endpoint; the docs page needs nothing from outside."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse


def test_the_schema_validates_with_no_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn: an endpoint the generator cannot describe fails this test
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/v1/health",
        "/api/v1/me",
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/document-sets",
        "/api/v1/indexing/runs",
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/agents",
        "/api/v1/agents/{agent_id}",
        "/api/v1/embed-policies",
        "/api/v1/embed-policies/{agent_id}",
    } <= paths
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    output_fields = schema["components"]["schemas"]["EmbedPolicyOutput"]["properties"]
    assert "hmacSecret" not in output_fields and "hmacSecretSet" in output_fields  # write-only, never answered


@pytest.mark.django_db
def test_the_schema_and_docs_page_are_served_without_a_token_and_without_outside_assets(client, settings):
    settings.AUTH_MODE = None
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
