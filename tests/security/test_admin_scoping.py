"""Hole 4, as found: a staff user in group `org:acme` with view permissions saw globex's
conversations, messages, sessions, participants, widget policies and agent settings
(globex's system prompt among them) in the Django admin. Only knowledge was scoped."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest

from tests.security.conftest import ACME, GLOBEX, connect

pytestmark = pytest.mark.live

PASSWORD = "staff-password-for-tests"
GLOBEX_PROMPT = "GLOBEX-PROMPT-You are Globex's confidential agent."

# Run in the server's environment: staff users, and the change page of one row of each
# organisation for every model the admin lists (scoped by the same lookup the admin uses).
SETUP = f"""
import json
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from agents.models import Agent
from identity.staff import OrganizationScopedAdmin

Agent.objects.filter(id="{GLOBEX.agent}").update(system_prompt={GLOBEX_PROMPT!r})
from knowledge.models import KnowledgeSource
for org in ("acme", "globex"):  # a knowledge source of each: its pages are scoped too
    KnowledgeSource.objects.get_or_create(organization_id=org, name=f"{{org}} help centre", kind="sitemap", location=f"https://help.{{org}}.example/sitemap.xml")
from django.utils import timezone
from chat.models import ConversationErasure, Participant, Session
for org in ("acme", "globex"):  # an erasure record of each (a visitor's deletion, audited)
    session = Session.objects.filter(agent__organization_id=org).first()
    visitor = Participant.objects.filter(conversation_id=session.conversation_id).first()
    ConversationErasure.objects.create(organization_id=org, agent_id=session.agent_id, conversation_id=session.conversation_id,
                                       session_id=session.session_id, requested_by=visitor.id, messages=2, erased_at=timezone.now())
ours = ["agents", "chat", "widget_auth", "knowledge"]
staff, _ = User.objects.get_or_create(username="acme-staff", defaults={{"is_staff": True}})
staff.set_password({PASSWORD!r}); staff.save()
staff.groups.add(Group.objects.get_or_create(name="org:acme")[0])
staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ours))
root, _ = User.objects.get_or_create(username="root", defaults={{"is_staff": True, "is_superuser": True}})
root.set_password({PASSWORD!r}); root.save()
rows = {{}}
for model, model_admin in admin.site._registry.items():
    if model._meta.app_label not in ours:
        continue
    assert isinstance(model_admin, OrganizationScopedAdmin), model
    name = f"{{model._meta.app_label}}.{{model._meta.model_name}}"
    for org in ("acme", "globex"):
        row = model.objects.filter(**{{model_admin.organization_field: org}}).first()
        assert row is not None, (name, org)
        rows.setdefault(name, {{}})[org] = reverse(f"admin:{{model._meta.app_label}}_{{model._meta.model_name}}_change", args=[row.pk])
print(json.dumps(rows))
"""


def login(server, username: str) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=10)
    form = client.get("/admin/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = client.post("/admin/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/admin/"})
    assert done.status_code == 302 and done.headers["location"] == "/admin/", done.text[:500]
    return client


async def _a_conversation_in_each_organisation(server) -> None:
    for tenant in (ACME, GLOBEX):
        visitor = await connect(server, origin=tenant.site)
        created = await visitor.request(
            {"action": "create_conversation_session", "agentId": tenant.agent, "userName": f"{tenant.org} visitor"}
        )
        await visitor.turn(created["data"]["sessionId"], "when does the escalation desk open?")
        await visitor.close()


@pytest.fixture(scope="module")
def change_pages(two_orgs):
    # Every model needs a row of each organisation: a conversation with messages in each.
    asyncio.run(_a_conversation_in_each_organisation(two_orgs))
    result = two_orgs.manage("shell", "-c", SETUP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


GLOBEX_MARKERS = ("globex", GLOBEX.agent, GLOBEX.site, GLOBEX.support_secret, GLOBEX.alice_secret, GLOBEX.public_fact, "GLOBEX-PROMPT")


async def test_staff_of_one_organisation_see_no_row_of_the_other_on_any_list_or_change_page(two_orgs, change_pages):
    staff = login(two_orgs, "acme-staff")
    index = staff.get("/admin/").text
    lists = sorted(set(re.findall(r'href="(/admin/(?:agents|chat|widget_auth|knowledge)/\w+/)"', index)))
    assert len(lists) == len(change_pages) == 12, lists  # every model of ours is on the index, and checked
    for path in lists:
        page = staff.get(path)
        assert page.status_code == 200, path
        assert not [marker for marker in GLOBEX_MARKERS if marker in page.text], path
        assert ACME.org in page.text, path  # and the page does list acme's own rows
    missing = staff.get("/admin/agents/agent/00000000-0000-4000-8000-000000000000/change/")
    for name, urls in change_pages.items():
        assert staff.get(urls["acme"]).status_code == 200, name
        theirs = staff.get(urls["globex"])
        # Exactly what a row that does not exist gets: a redirect to the index.
        assert (theirs.status_code, theirs.headers["location"]) == (missing.status_code, missing.headers["location"]) == (302, "/admin/"), (
            name
        )
        shown = staff.get(urls["globex"], follow_redirects=True).text
        assert "doesn’t exist. Perhaps it was deleted?" in shown, name  # Django's words for a missing row
        their_pk = urls["globex"].rstrip("/").split("/")[-2]  # which the message repeats, as for any id asked for
        assert not [marker for marker in GLOBEX_MARKERS if marker in shown.replace(their_pk, "")], name


async def test_staff_cannot_put_an_agent_in_another_organisation(two_orgs, change_pages):
    staff = login(two_orgs, "acme-staff")
    form = staff.get("/admin/agents/agent/add/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    posted = staff.post(
        "/admin/agents/agent/add/", data={"csrfmiddlewaretoken": csrf, "name": "Planted", "organization_id": "globex", "enabled": "on"}
    )
    assert posted.status_code == 200 and "You can only use organisations you belong to" in posted.text
    assert "Planted" not in two_orgs.manage("agent", "list").stdout


async def test_a_superuser_sees_every_organisation(two_orgs, change_pages):
    root = login(two_orgs, "root")
    assert GLOBEX.agent in root.get("/admin/agents/agent/").text
    assert all(root.get(urls["globex"]).status_code == 200 for urls in change_pages.values())
