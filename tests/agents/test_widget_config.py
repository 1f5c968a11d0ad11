"""The widget's public config and avatar endpoints (chat.widget_config): the agent's look in the
visitor's language, in one query, cacheable, following the embed policy, and nothing secret."""

from __future__ import annotations

import json
import uuid

import pytest
from django.utils import translation
from django.utils.translation import gettext

from agents.models import Agent
from agents.services import update_agent
from chat import i18n
from tests.agents.images import PNG
from tests.factories import AGENT_ID, make_agent
from widget_auth.models import WidgetPolicy
from widget_auth.signatures import generate_ed25519_key_pair

pytestmark = pytest.mark.django_db
SITE = "https://www.acme.example"
OTHER_SITE = "https://evil.example"
CONFIG = f"/widget/{AGENT_ID}/config"
AVATAR = f"/widget/{AGENT_ID}/avatar"
ED25519_PUBLIC_KEY = generate_ed25519_key_pair()[1]
SECRETS = {
    "hmac_secret": "HMAC-SECRET-never-served",
    "system_prompt": "PROMPT-never-served: you are Acme's agent",
    "model": "MODEL-never-served",
    "budget_per_session": "123k tokens, $7",
    "budget_per_agent_day": "$99",
    "public_key": ED25519_PUBLIC_KEY,
}


def acme_agent(**fields):
    look = {
        "brand_color": "#ffd400",
        "greeting": "Hi! Ask me about orders.",
        "suggested_questions": ["Where is my order?", "How do I return a thing?"],
    }
    return make_agent(organization_id="acme", name="Acme support", **{**look, **fields})


def policy(*origins: str, agent_id: str = AGENT_ID, **fields) -> WidgetPolicy:
    """The embed policy of an agent made before."""
    made = WidgetPolicy(agent_id=agent_id, allowed_origins=list(origins), **fields)
    made.full_clean()
    made.save()
    return made


def get(client, path=CONFIG, origin: str | None = SITE, **headers):
    if origin:
        headers["Origin"] = origin
    return client.get(path, headers=headers)


def test_an_allowed_page_gets_the_agents_look_resolved(client):
    acme_agent(position="bottom-left", theme="dark")
    policy(SITE)
    response = get(client)
    assert response.status_code == 200
    assert response.json() == {
        "agentId": AGENT_ID,
        "name": "Acme support",
        "title": "Acme support",  # no panel title: the agent's name
        "launcherLabel": "Chat with us",  # none set: the default, in English
        "brandColor": "#ffd400",
        "textColor": "#000000",  # black reads better on yellow
        "position": "bottom-left",
        "theme": "dark",
        "greeting": "Hi! Ask me about orders.",
        "suggestedQuestions": ["Where is my order?", "How do I return a thing?"],
        "avatarUrl": None,
        "visitorErasure": True,
        "lang": "en",
        "dir": "ltr",
        "messages": {},
    }
    assert response["Access-Control-Allow-Origin"] == SITE
    assert response["Cache-Control"] == "no-cache"
    assert {"Origin", "Accept-Language"} <= {part.strip() for part in response["Vary"].split(",")}
    assert response["Content-Type"] == "application/json"


def test_the_agents_own_words_are_served_as_set(client):
    acme_agent(launcher_label="Ask Acme", panel_title="Acme help", visitor_erasure="off", brand_color="")
    body = get(client).json()
    assert (body["launcherLabel"], body["title"], body["visitorErasure"]) == ("Ask Acme", "Acme help", False)
    assert (body["brandColor"], body["textColor"]) == ("#1f5fbf", "#ffffff")  # blank: Smooth's blue


def test_the_visitors_language_comes_from_lang_else_accept_language(client):
    acme_agent()
    german = get(client, f"{CONFIG}?lang=de", **{"Accept-Language": "es"}).json()
    with translation.override("de"):
        label = gettext("Chat with us")
    assert (german["lang"], german["dir"], german["launcherLabel"]) == ("de", "ltr", label)
    assert label != "Chat with us"  # translated, not the English default
    assert german["messages"] == i18n.widget_messages("de")
    spanish = get(client, **{"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert (spanish.json()["lang"], spanish["Content-Language"]) == ("es", "es")
    arabic = get(client, f"{CONFIG}?lang=ar").json()
    assert (arabic["lang"], arabic["dir"]) == ("ar", "rtl")
    assert get(client, f"{CONFIG}?lang=xx").json()["lang"] == "en"


def test_the_config_is_read_in_one_query(client, django_assert_num_queries):
    acme_agent(avatar=PNG, avatar_type="image/png", avatar_digest="ab" * 32)
    policy(SITE)
    with django_assert_num_queries(1):
        first = get(client)
    with django_assert_num_queries(1):
        assert get(client, **{"If-None-Match": first["ETag"]}).status_code == 304


def test_an_unchanged_config_is_a_304_and_a_change_a_new_etag(client):
    agent = acme_agent()
    made = policy(SITE)
    first = get(client)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    again = get(client, **{"If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert again["Access-Control-Allow-Origin"] == SITE and again["Cache-Control"] == "no-cache"
    assert get(client, f"{CONFIG}?lang=de", **{"If-None-Match": etag}).status_code == 200  # another language, another ETag

    update_agent(agent, greeting="Hello again")
    changed = get(client, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["greeting"] == "Hello again"
    assert changed["ETag"] != etag

    made.notes = "the policy changed"
    made.save()
    assert get(client, **{"If-None-Match": changed["ETag"]}).status_code == 200


def test_a_change_saved_in_the_admin_shows_on_the_next_load(client, admin_client):
    acme_agent()
    etag = get(client)["ETag"]
    form = {"name": "Acme support", "enabled": "on", "organization_id": "acme", "brand_color": "#0B5FFF", "suggested_questions": "Hours?"}
    saved = admin_client.post(f"/admin/agents/agent/{AGENT_ID}/change/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    changed = get(client, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert (changed.json()["brandColor"], changed.json()["suggestedQuestions"]) == ("#0b5fff", ["Hours?"])


def _not_found_answers(client, settings) -> dict[str, object]:
    acme_agent()
    policy(SITE)
    make_agent(agent_id="22222222-2222-2222-2222-222222222222", organization_id="acme", enabled=False)
    make_agent(agent_id="33333333-3333-3333-3333-333333333333", organization_id="acme")
    policy(OTHER_SITE, agent_id="33333333-3333-3333-3333-333333333333", enabled=False)
    make_agent(agent_id="44444444-4444-4444-4444-444444444444", organization_id="acme")  # no policy: refused when strict
    settings.WIDGET_AUTH_STRICT = True
    return {
        "refused origin": get(client, origin=OTHER_SITE),
        "no Origin or Referer": get(client, origin=None),
        "unknown agent": get(client, f"/widget/{uuid.uuid4()}/config", origin=OTHER_SITE),
        "not an id": get(client, "/widget/not-a-uuid/config", origin=OTHER_SITE),
        "disabled agent": get(client, "/widget/22222222-2222-2222-2222-222222222222/config", origin=OTHER_SITE),
        "disabled policy": get(client, "/widget/33333333-3333-3333-3333-333333333333/config", origin=OTHER_SITE),
        "strict, no policy": get(client, "/widget/44444444-4444-4444-4444-444444444444/config", origin=OTHER_SITE),
    }


def test_a_refusal_looks_exactly_like_an_unknown_or_disabled_agent(client, settings):
    answers = _not_found_answers(client, settings)
    reference = answers["unknown agent"]
    assert (reference.status_code, reference.content) == (404, b'{"error": "not found"}')
    for why, response in answers.items():
        assert (response.status_code, response.content) == (404, reference.content), why
        headers = {name: value for name, value in response.items() if name != "Access-Control-Allow-Origin"}
        assert headers == {name: value for name, value in reference.items() if name != "Access-Control-Allow-Origin"}, why
        assert response.get("Access-Control-Allow-Origin") == (None if why == "no Origin or Referer" else OTHER_SITE), why
    # and the avatar's 404 is the same
    avatar = get(client, AVATAR, origin=OTHER_SITE)
    assert (avatar.status_code, avatar.content, avatar["Cache-Control"]) == (404, reference.content, "no-cache")


@pytest.mark.django_db(transaction=True)  # the count is written through Channels' database thread
def test_a_refused_origin_is_only_counted_in_report_only_mode(client):
    from limits.models import ReportedRefusal

    acme_agent(enforcement="report")
    policy(SITE)
    response = get(client, origin=OTHER_SITE)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == OTHER_SITE
    counted = ReportedRefusal.objects.get()
    assert (counted.kind, counted.origin, counted.count) == ("origin", OTHER_SITE, 1)
    assert counted.reason == "widget config: not an allowed origin"


def test_a_disabled_agent_is_refused_even_in_report_only_mode(client):
    acme_agent(enforcement="report", enabled=False)
    assert get(client, origin=OTHER_SITE).status_code == 404


def test_a_page_without_origin_is_judged_by_its_referer_or_as_same_origin(client):
    acme_agent()
    policy(SITE, "http://testserver")
    assert get(client, origin=None, Referer=f"{SITE}/help?q=1").status_code == 200
    assert get(client, origin=None, Referer=f"{OTHER_SITE}/page").status_code == 404
    assert get(client, origin=None, **{"Sec-Fetch-Site": "same-origin"}).status_code == 200  # Smooth's own page
    response = get(client, origin=None)
    assert response.status_code == 404  # a policy, and no origin at all: as a socket without Origin


def test_an_agent_nobody_registered_gets_smooths_own_look_unless_strict(client, settings):
    """As the socket takes it: its first session registers it (the page's agent on a new server)."""
    unregistered = f"/widget/{uuid.uuid4()}/config"
    body = get(client, unregistered, origin=OTHER_SITE).json()
    assert (body["name"], body["title"], body["launcherLabel"], body["brandColor"], body["suggestedQuestions"]) == (
        "Smooth",
        "Smooth",
        "Chat with us",
        "#1f5fbf",
        [],
    )
    assert not Agent.objects.exists()  # nothing registered by reading
    etag = get(client, unregistered)["ETag"]
    assert get(client, unregistered, **{"If-None-Match": etag}).status_code == 304
    settings.WIDGET_AUTH_STRICT = True
    assert get(client, unregistered).status_code == 404


def test_without_a_policy_every_page_gets_it_unless_strict(client, settings):
    acme_agent()
    assert get(client, origin=OTHER_SITE).status_code == 200
    assert get(client, origin=None).status_code == 200
    settings.WIDGET_AUTH_STRICT = True
    assert get(client, origin=OTHER_SITE).status_code == 404


def _every_string(value) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(text for item in value.values() for text in _every_string(item))]
    if isinstance(value, list):
        return [text for item in value for text in _every_string(item)]
    return [str(value)]


def test_nothing_secret_is_served(client):
    acme_agent(
        system_prompt=SECRETS["system_prompt"],
        model=SECRETS["model"],
        budget_per_session=SECRETS["budget_per_session"],
        budget_per_agent_day=SECRETS["budget_per_agent_day"],
    )
    policy(SITE, key_scheme="hmac-sha256", hmac_secret=SECRETS["hmac_secret"])
    make_agent(agent_id="55555555-5555-5555-5555-555555555555", organization_id="acme", system_prompt=SECRETS["system_prompt"])
    policy(SITE, agent_id="55555555-5555-5555-5555-555555555555", key_scheme="ed25519", public_key=SECRETS["public_key"])
    for agent_id in (AGENT_ID, "55555555-5555-5555-5555-555555555555"):
        for lang in ("en", "de"):
            response = get(client, f"/widget/{agent_id}/config?lang={lang}")
            assert response.status_code == 200
            text = response.content.decode()
            strings = _every_string(json.loads(text))
            for name, secret in SECRETS.items():
                assert secret not in text, name
                assert all(secret.lower() not in string.lower() for string in strings), name
            for key in ("hmacSecret", "publicKey", "systemPrompt", "model", "budgets", "enforcement", "organizationId"):
                assert key not in json.loads(text), key


def test_the_avatar_is_served_from_its_versioned_address_for_good(client):
    agent = acme_agent()
    policy(SITE)
    assert get(client).json()["avatarUrl"] is None
    assert get(client, AVATAR).status_code == 404  # none yet
    update_agent(agent, avatar=PNG)
    agent.refresh_from_db()
    url = get(client).json()["avatarUrl"]
    assert url == f"/widget/{AGENT_ID}/avatar?v={agent.avatar_digest[:16]}"
    image = get(client, url)
    assert (image.status_code, image.content, image["Content-Type"]) == (200, PNG, "image/png")
    assert image["Cache-Control"] == "public, max-age=31536000, immutable"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Access-Control-Allow-Origin"] == SITE
    assert get(client, url, origin=OTHER_SITE).status_code == 404  # refused as the config is
    assert get(client, url, origin=None, Referer=f"{SITE}/").status_code == 200  # an <img> sends no Origin
    stale = get(client, f"{AVATAR}?v=0000000000000000")
    assert (stale.status_code, stale["Cache-Control"]) == (200, "no-cache")  # not kept under an old version's address


def test_only_get_is_answered(client):
    acme_agent()
    assert client.post(CONFIG, headers={"Origin": SITE}).status_code == 405


# --- /embed previews the look ----------------------------------------------------------------


def test_the_embed_page_previews_the_page_agents_look(client, settings):
    settings.SMOOTH_CHAT_AGENT_ID = AGENT_ID
    acme_agent(launcher_label="Ask Acme", panel_title="Acme help", position="bottom-left")
    page = client.get("/embed").content.decode()
    assert 'id="smooth-look-title-text">Acme help</span>' in page
    assert 'id="smooth-look-greeting" style="white-space: pre-line;">Hi! Ask me about orders.</p>' in page
    assert page.count('<li style="border: 1px solid #ffd400;') == 2 and "How do I return a thing?</li>" in page
    assert "background: #ffd400; color: #000000;" in page and ">Ask Acme</span>" in page
    assert "Brand colour #ffd400, text #000000." in page and "bottom-left corner" in page
    assert f'data-agent-id="{AGENT_ID}"' in page


def test_staff_preview_any_agent_of_theirs_others_only_what_its_policy_lets_this_server_see(client, admin_client, settings):
    settings.SMOOTH_CHAT_AGENT_ID = "66666666-6666-4666-8666-666666666666"
    make_agent(agent_id=settings.SMOOTH_CHAT_AGENT_ID, name="Page bot")
    acme_agent(avatar=PNG, avatar_type="image/png", avatar_digest="ab" * 32)
    policy(SITE)  # this server's own origin is not on the list
    preview = f"/embed?agent={AGENT_ID}"
    staff = admin_client.get(preview).content.decode()
    assert "Put Acme support on your site" in staff and "Hi! Ask me about orders." in staff
    assert f'data-agent-id="{AGENT_ID}"' in staff
    assert 'id="smooth-look-avatar" src="data:image/png;base64,' in staff  # inline: the policy would refuse this page the image
    visitor = client.get(preview).content.decode()
    assert "Acme" not in visitor and "Ask me about orders" not in visitor  # as a refused config: nothing
    assert "Put Page bot on your site" in visitor and f'data-agent-id="{settings.SMOOTH_CHAT_AGENT_ID}"' in visitor
    assert "Put Page bot on your site" in client.get("/embed?agent=not-an-id").content.decode()
