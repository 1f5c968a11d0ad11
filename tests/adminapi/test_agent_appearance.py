"""The widget's look over the admin API: read and written with the agent, validated as the admin
validates, and only in the caller's own organisation."""

from __future__ import annotations

import base64
import io
import json

import pytest
import yaml
from django.core.management import call_command

from agents.models import Agent
from tests.adminapi.test_read_endpoints import token
from tests.agents.images import JPEG, PNG, SVG
from tests.factories import make_agent

pytestmark = [pytest.mark.usefixtures("jwt_hs256"), pytest.mark.django_db]
GLOBEX_AGENT = "99999999-9999-4999-8999-999999999999"


def call(client, method, path, body=None, role="admin", org="acme"):
    return getattr(client, method)(
        f"/api/v1/{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token(role=role, org=org)}",
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


LOOK = {
    "brandColor": "#FFD400",
    "launcherLabel": "Ask Acme",
    "panelTitle": "Acme help",
    "position": "bottom-left",
    "theme": "dark",
    "greeting": "Hi! Ask me about orders.",
    "suggestedQuestions": ["Where is my order?", "How do I return a thing?"],
    "visitorErasure": "audited",
}


def test_an_admin_sets_the_widgets_look_and_a_curator_reads_it(client):
    created = call(client, "post", "agents", {"name": "Acme bot"}).json()
    assert {key: created[key] for key in (*LOOK, "textColor", "contrastRatio", "avatar")} == {
        "brandColor": "",
        "launcherLabel": "",
        "panelTitle": "",
        "position": "bottom-right",
        "theme": "auto",
        "greeting": "",
        "suggestedQuestions": [],
        "visitorErasure": "erase",
        "textColor": "#ffffff",  # on Smooth's blue
        "contrastRatio": 6.09,
        "avatar": None,
    }
    path = f"agents/{created['id']}"
    changed = call(client, "patch", path, {**LOOK, "avatar": {"contentType": "image/png", "data": b64(PNG)}})
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert {key: body[key] for key in LOOK} == {**LOOK, "brandColor": "#ffd400"}
    assert (body["textColor"], body["contrastRatio"]) == ("#000000", 14.67)
    agent = Agent.objects.get(id=created["id"])
    assert body["avatar"] == {
        "contentType": "image/png",
        "url": f"/widget/{agent.id}/avatar?v={agent.avatar_digest[:16]}",
        "sha256": agent.avatar_digest,
    }
    assert bytes(agent.avatar) == PNG
    assert call(client, "get", path, role="curator").json() == body

    reset = call(client, "patch", path, {"brandColor": "", "launcherLabel": None, "suggestedQuestions": [], "avatar": None}).json()
    assert (reset["brandColor"], reset["launcherLabel"], reset["suggestedQuestions"], reset["avatar"]) == ("", "", [], None)
    agent.refresh_from_db()
    assert (agent.avatar, agent.avatar_type, agent.avatar_digest) == (None, "", "")


def test_the_config_endpoint_serves_what_the_api_set(client):
    created = call(client, "post", "agents", {"name": "Acme bot", **LOOK}).json()
    config = client.get(f"/widget/{created['id']}/config")
    assert config.status_code == 200
    assert (config.json()["brandColor"], config.json()["launcherLabel"], config.json()["title"]) == ("#ffd400", "Ask Acme", "Acme help")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"brandColor": "blue"}, "brandColor"),
        ({"brandColor": "#12345"}, "brandColor"),
        ({"suggestedQuestions": ["1", "2", "3", "4", "5"]}, "suggestedQuestions"),
        ({"suggestedQuestions": [""]}, "suggestedQuestions"),
        ({"suggestedQuestions": ["x" * 121]}, "suggestedQuestions"),
        ({"suggestedQuestions": "Where is my order?"}, "suggestedQuestions"),
        ({"position": "top-left"}, "position"),
        ({"theme": "sepia"}, "theme"),
        ({"visitorErasure": "never"}, "visitorErasure"),
        ({"launcherLabel": "x" * 41}, "launcherLabel"),
        ({"avatar": {"contentType": "image/svg+xml", "data": b64(SVG)}}, "avatar"),
        ({"avatar": {"contentType": "image/png", "data": b64(SVG)}}, "avatar"),
        ({"avatar": {"contentType": "image/png", "data": b64(JPEG)}}, "avatar"),  # not what it says it is
        ({"avatar": {"contentType": "image/png", "data": "not base64!"}}, "avatar"),
        ({"avatar": {"contentType": "image/png", "data": b64(PNG + b"\0" * 256 * 1024)}}, "avatar"),
        ({"avatar": b64(PNG)}, "avatar"),
    ],
)
def test_a_bad_look_is_refused_and_nothing_is_written(client, change, field):
    created = call(client, "post", "agents", {"name": "Acme bot", **LOOK}).json()
    refused = call(client, "patch", f"agents/{created['id']}", change)
    assert refused.status_code == 400, refused.json()
    assert refused.json()["code"] == "VALIDATION_ERROR" and field in refused.json()["details"]
    assert call(client, "get", f"agents/{created['id']}").json() == created


def test_the_avatars_words_say_what_is_wrong(client):
    created = call(client, "post", "agents", {"name": "Acme bot"}).json()
    path = f"agents/{created['id']}"
    svg = call(client, "patch", path, {"avatar": {"contentType": "image/png", "data": b64(SVG)}}).json()
    assert svg["details"]["avatar"] == {"data": ["the avatar must be a PNG, JPEG or WebP image (SVG is not accepted)"]}
    jpeg = call(client, "patch", path, {"avatar": {"contentType": "image/png", "data": b64(JPEG)}}).json()
    assert jpeg["details"]["avatar"] == {"contentType": ["the image is image/jpeg"]}


def test_another_organisations_agent_is_not_found(client):
    make_agent(agent_id=GLOBEX_AGENT, organization_id="globex", name="Globex bot", greeting="Globex's own")
    path = f"agents/{GLOBEX_AGENT}"
    for method, body in (("get", None), ("patch", {**LOOK, "avatar": {"contentType": "image/png", "data": b64(PNG)}})):
        response = call(client, method, path, body)
        assert (response.status_code, response.json()) == (404, {"code": "NOT_FOUND", "message": "not found"}), method
    agent = Agent.objects.get(id=GLOBEX_AGENT)
    assert (agent.greeting, agent.brand_color, agent.avatar_digest) == ("Globex's own", "", "")  # untouched


def test_a_curator_reads_the_look_but_does_not_change_it(client):
    created = call(client, "post", "agents", {"name": "Acme bot"}).json()
    refused = call(client, "patch", f"agents/{created['id']}", {"brandColor": "#000000"}, role="curator")
    assert refused.status_code == 403
    assert Agent.objects.get(id=created["id"]).brand_color == ""


def test_the_schema_describes_the_look(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    schemas = yaml.safe_load(target.read_text())["components"]["schemas"]
    output = schemas["AgentOutput"]["properties"]
    assert {*LOOK, "textColor", "contrastRatio", "avatar"} <= set(output)
    assert {"avatarDigest", "hmacSecret"}.isdisjoint(output)
    for given in ("AgentInputRequest", "PatchedAgentInputRequest"):
        assert {*LOOK, "avatar"} <= set(schemas[given]["properties"])
    assert set(schemas["AvatarInputRequest"]["properties"]) == {"contentType", "data"}
    assert set(schemas["AvatarOutput"]["properties"]) == {"contentType", "url", "sha256"}
