"""Every endpoint × every role: who gets in (2xx) and who gets 403."""

import uuid

import pytest

from tests.adminapi.test_read_endpoints import token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256")]

ENDPOINTS = {
    # (method, path): the lowest role allowed
    ("get", "me"): "basic",
    ("get", "conversations"): "basic",
    ("get", "document-sets"): "curator",
    ("get", "indexing/runs"): "curator",
    ("get", "documents"): "curator",
    ("get", "agents"): "curator",
    ("get", f"agents/{uuid.UUID(int=7)}"): "curator",
    ("patch", f"agents/{uuid.UUID(int=7)}"): "admin",
    ("delete", f"agents/{uuid.UUID(int=7)}"): "admin",
    ("get", "embed-policies"): "admin",
    ("delete", f"embed-policies/{uuid.UUID(int=7)}"): "admin",
    ("delete", f"documents/{uuid.UUID(int=7)}"): "curator",
}
RANK = {"basic": 1, "curator": 2, "admin": 3}


@pytest.mark.parametrize("role", ["basic", "curator", "admin"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=[f"{m} {p}" for m, p in ENDPOINTS])
def test_role_matrix(client, endpoint, role):
    method, path = endpoint
    response = getattr(client, method)(f"/api/v1/{path}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token(role=role)}")
    if RANK[role] >= RANK[ENDPOINTS[endpoint]]:
        assert response.status_code in (200, 204, 404), response.content  # 404: the unknown id of a detail path
    else:
        assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")


@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=[f"{m} {p}" for m, p in ENDPOINTS])
def test_every_endpoint_but_health_needs_a_token(client, endpoint):
    method, path = endpoint
    response = getattr(client, method)(f"/api/v1/{path}", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (401, "UNAUTHENTICATED")
