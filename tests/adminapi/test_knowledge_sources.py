"""Knowledge sources over the admin API: the caller's organisation's only (another's
answers as a missing one does), admins write, curators read and ask for a run, the admin's
validation words, and what only an operator may set."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from knowledge.models import IndexingRun, KnowledgeSource
from knowledge.sync import create_source
from tests.adminapi.test_read_endpoints import token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256")]


def call(client, method, path, body=None, role="admin", org="acme"):
    return getattr(client, method)(
        f"/api/v1/{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(role=role, org=org)}",
    )


SITE = {"name": "Help centre", "kind": "sitemap", "location": "https://help.example.com/sitemap.xml"}


def test_an_admin_creates_schedules_changes_and_deletes_a_source(client):
    created = call(
        client,
        "post",
        "knowledge-sources",
        {**SITE, "documentSets": ["help"], "access": {"groups": ["staff"]}, "everyMinutes": 1440, "at": "02:00"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {key: body[key] for key in ("organizationId", "name", "kind", "location", "options", "documentSets", "everyMinutes", "at")} == {
        "organizationId": "acme",
        "name": "Help centre",
        "kind": "sitemap",
        "location": "https://help.example.com/sitemap.xml",
        "options": {},
        "documentSets": ["help"],
        "everyMinutes": 1440,
        "at": "02:00",
    }
    assert body["access"] == {"public": False, "users": [], "groups": ["staff"]}
    assert (body["schedule"], body["enabled"], body["running"], body["lastRun"], body["lastError"]) == (
        "every 1 d at 02:00",
        True,
        False,
        None,
        "",
    )
    assert dt.datetime.fromisoformat(body["nextRunAt"]) <= timezone.now()  # due at once

    path = f"knowledge-sources/{body['id']}"
    changed = call(client, "patch", path, {"everyMinutes": None, "at": None, "enabled": False, "options": {"max_pages": 500}}).json()
    assert (changed["schedule"], changed["nextRunAt"], changed["enabled"], changed["options"]) == (
        "when asked",
        None,
        False,
        {"max_pages": 500},
    )
    assert call(client, "get", path, role="curator").json() == changed
    assert [row["id"] for row in call(client, "get", "knowledge-sources", role="curator").json()] == [body["id"]]

    assert call(client, "delete", path).status_code == 204
    assert not KnowledgeSource.objects.exists()


def test_curators_ask_for_a_run_and_read_the_runs(client, tmp_path):
    (tmp_path / "faq.md").write_text("# FAQ\n\nShipping is free.")
    made = create_source(organization_id="acme", operator=True, name="faq", kind="files", location=str(tmp_path))
    assert made.next_run_at is None  # no schedule: only when asked
    asked = call(client, "post", f"knowledge-sources/{made.id}/sync", role="curator")
    assert asked.status_code == 202 and dt.datetime.fromisoformat(asked.json()["nextRunAt"]) <= timezone.now()
    call_command("kb_sync", stdout=io.StringIO())
    runs = call(client, "get", f"knowledge-sources/{made.id}/runs", role="curator").json()["results"]
    assert [(run["source"], run["status"], run["documentsAdded"]) for run in runs] == [(f"files:{tmp_path}", "succeeded", 1)]
    shown = call(client, "get", f"knowledge-sources/{made.id}", role="curator").json()
    assert (shown["lastRun"]["id"], shown["nextRunAt"], shown["kind"]) == (runs[0]["id"], None, "files")  # an operator's folder, shown

    call(client, "patch", f"knowledge-sources/{made.id}", {"enabled": False})
    refused = call(client, "post", f"knowledge-sources/{made.id}/sync", role="curator")
    assert refused.status_code == 409 and refused.json() == {"code": "CONFLICT", "message": "the source is disabled: enable it to sync it"}


def test_another_organisations_source_is_not_found(client):
    globex = create_source(
        organization_id="globex", operator=True, name="Globex help", kind="url", location="https://globex.example.com/faq"
    )
    IndexingRun.objects.create(organization_id="globex", source="url:https://globex.example.com/faq", knowledge_source=globex)
    call(client, "post", "knowledge-sources", SITE)
    assert [row["name"] for row in call(client, "get", "knowledge-sources").json()] == ["Help centre"]
    for method, path, body in [
        ("get", f"knowledge-sources/{globex.id}", None),
        ("patch", f"knowledge-sources/{globex.id}", {"name": "mine now"}),
        ("delete", f"knowledge-sources/{globex.id}", None),
        ("post", f"knowledge-sources/{globex.id}/sync", None),
        ("get", f"knowledge-sources/{globex.id}/runs", None),
    ]:
        unknown = call(client, method, path.replace(str(globex.id), str(uuid.uuid4())), body)
        response = call(client, method, path, body)
        assert (
            (response.status_code, response.json())
            == (unknown.status_code, unknown.json())
            == (404, {"code": "NOT_FOUND", "message": "not found"})
        )
    globex.refresh_from_db()
    assert (globex.name, globex.next_run_at) == ("Globex help", None)
    # One name in two organisations is two sources.
    assert call(client, "post", "knowledge-sources", {**SITE, "name": "Globex help"}).status_code == 201


@pytest.mark.parametrize(
    "body, errors",
    [
        ({**SITE, "location": "help.example.com"}, {"location": ["The location must be an http(s) URL."]}),
        (
            {**SITE, "everyMinutes": 0},
            {"everyMinutes": ["every_minutes is a whole number from 1 to 527040 (a year), or empty: only when asked."]},
        ),
        (
            {**SITE, "everyMinutes": 90, "at": "02:00"},
            {"at": ["A time of day needs a schedule in whole days (every_minutes a multiple of 1440)."]},
        ),
        ({**SITE, "access": {"users": "bob"}}, {"access": ["access.users must be a list of non-empty strings."]}),
        ({**SITE, "options": ["max_pages"]}, {"options": ["The options must be a JSON object of the connector's settings."]}),
        (
            {**SITE, "kind": "github", "location": "acme/docs", "options": {"token": "ghp_abc"}},
            {"options": ["Options never hold a secret (token): name the file that holds it instead (token_file), set by an operator."]},
        ),
        # What only an operator sets: a folder on the server, a server file, another endpoint for the server's token.
        (
            {**SITE, "kind": "files", "location": "/etc"},
            {"kind": ["Only an operator (a superuser in the Django admin) sets a folder or file on the server."]},
        ),
        (
            {**SITE, "kind": "github", "location": "acme/docs", "options": {"token_file": "/etc/smooth/token"}},
            {
                "options": [
                    "Only an operator (a superuser in the Django admin) sets options naming a server file, variable or endpoint (token_file)."
                ]
            },
        ),
        (
            {**SITE, "kind": "github", "location": "acme/docs", "options": {"api_url": "https://evil.example.com"}},
            {
                "options": [
                    "Only an operator (a superuser in the Django admin) sets options naming a server file, variable or endpoint (api_url)."
                ]
            },
        ),
    ],
)
def test_a_bad_source_is_400_with_the_admins_words_and_stores_nothing(client, body, errors):
    response = call(client, "post", "knowledge-sources", body)
    assert (response.status_code, response.json()["code"], response.json()["details"]) == (400, "VALIDATION_ERROR", errors)
    assert not KnowledgeSource.objects.exists()


def test_a_name_is_one_source_per_organisation_and_an_operators_folder_stays_the_operators(client, tmp_path):
    call(client, "post", "knowledge-sources", SITE)
    again = call(client, "post", "knowledge-sources", SITE)
    assert (again.status_code, again.json()["details"]) == (400, {"name": ["The organisation has a source of this name already."]})
    folder = create_source(organization_id="acme", operator=True, name="folder", kind="files", location=str(tmp_path))
    path = f"knowledge-sources/{folder.id}"
    assert call(client, "patch", path, {"everyMinutes": 60, "documentSets": ["help"]}).status_code == 200  # its schedule is the admin's
    moved = call(client, "patch", path, {"location": "/etc"})
    assert (moved.status_code, moved.json()["details"]) == (
        400,
        {"location": ["Only an operator (a superuser in the Django admin) sets a folder or file on the server."]},
    )
    retyped = call(client, "patch", path, {"kind": "url", "location": "https://example.com"})
    assert retyped.status_code == 400
    folder.refresh_from_db()
    assert (folder.kind, folder.location, folder.every_minutes) == ("files", str(tmp_path), 60)


ENDPOINTS = {
    ("get", "knowledge-sources"): "curator",
    ("post", "knowledge-sources"): "admin",
    ("get", f"knowledge-sources/{uuid.UUID(int=7)}"): "curator",
    ("patch", f"knowledge-sources/{uuid.UUID(int=7)}"): "admin",
    ("delete", f"knowledge-sources/{uuid.UUID(int=7)}"): "admin",
    ("post", f"knowledge-sources/{uuid.UUID(int=7)}/sync"): "curator",
    ("get", f"knowledge-sources/{uuid.UUID(int=7)}/runs"): "curator",
}
RANK = {"basic": 1, "curator": 2, "admin": 3}


@pytest.mark.parametrize("role", ["basic", "curator", "admin"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=[f"{m} {p}" for m, p in ENDPOINTS])
def test_who_may_call_what(client, endpoint, role):
    method, path = endpoint
    body = SITE if method == "post" and path == "knowledge-sources" else None
    response = call(client, method, path, body, role=role)
    if RANK[role] >= RANK[ENDPOINTS[endpoint]]:
        assert response.status_code in (200, 201, 404), response.content  # 404: the unknown id of a detail path
    else:
        assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    anonymous = getattr(client, method)(f"/api/v1/{path}", content_type="application/json")
    assert anonymous.status_code == 401


def test_the_schema_describes_the_source_endpoints(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text())
    assert {
        "/api/v1/knowledge-sources",
        "/api/v1/knowledge-sources/{source_id}",
        "/api/v1/knowledge-sources/{source_id}/sync",
        "/api/v1/knowledge-sources/{source_id}/runs",
    } <= set(schema["paths"])
    fields = schema["components"]["schemas"]["KnowledgeSourceOutput"]["properties"]
    assert {"everyMinutes", "at", "schedule", "nextRunAt", "lastRun", "lastError", "running"} <= set(fields)


def test_a_source_reading_with_the_operators_token_stays_where_the_operator_pointed_it(client, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("ghp_operator")
    made = create_source(
        organization_id="acme", operator=True, name="docs", kind="github", location="acme/docs", options={"token_file": str(token_file)}
    )
    path = f"knowledge-sources/{made.id}"
    moved = call(client, "patch", path, {"location": "othercorp/secrets"})
    assert moved.json()["details"] == {
        "location": ["Only an operator (a superuser in the Django admin) sets where a source with token_file reads."]
    }
    emptied = call(client, "patch", path, {"options": {}})
    assert emptied.status_code == 400 and "token_file" in emptied.json()["details"]["options"][0]
    shown = call(client, "patch", path, {"name": "Docs", "everyMinutes": 1440, "at": "03:30"}).json()
    assert (shown["name"], shown["schedule"], shown["location"]) == ("Docs", "every 1 d at 03:30", "acme/docs")


def test_a_repository_is_the_operators_while_the_server_reads_github_with_its_own_token(client, settings):
    repository = {"name": "docs", "kind": "github", "location": "acme/docs", "options": {"path": "docs/"}}
    settings.GITHUB_TOKEN = "ghp_servers"
    refused = call(client, "post", "knowledge-sources", repository)
    assert refused.json()["details"] == {
        "kind": [
            "Only an operator (a superuser in the Django admin) sets a GitHub repository while the server has a GITHUB_TOKEN (it reads with it)."
        ]
    }
    settings.GITHUB_TOKEN = None  # public repositories only: any admin may add one
    assert call(client, "post", "knowledge-sources", repository).status_code == 201
