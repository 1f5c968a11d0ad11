"""The chat page and the embed demo page, as Django renders them."""

from __future__ import annotations

import html

import pytest

from tests.factories import make_agent

pytestmark = pytest.mark.django_db
PAGE_AGENT = "0b6f2d4e-1111-4222-8333-444455556666"


def test_the_chat_page_names_the_configured_agent_and_loads_its_module(client, settings):
    settings.SMOOTH_CHAT_AGENT_ID = PAGE_AGENT
    page = client.get("/").content.decode()
    assert 'data-agent-id="0b6f2d4e-1111-4222-8333-444455556666"' in page
    assert '<script type="module" src="/static/smooth/page.js">' in page
    assert "<label" not in page  # the form is built by ui.js, labelled there
    assert "<h1>Smooth</h1>" in page  # not registered yet: the name it will register with


def test_the_pages_carry_the_registered_agents_own_name(client, settings):
    settings.SMOOTH_CHAT_AGENT_ID = PAGE_AGENT
    make_agent(agent_id=PAGE_AGENT, name="Aria & Co")
    assert "<h1>Aria &amp; Co</h1>" in client.get("/").content.decode()
    assert "Put Aria &amp; Co on your site" in client.get("/embed").content.decode()


def test_the_embed_page_shows_the_tag_as_text_and_also_runs_it(client, settings):
    settings.SMOOTH_CHAT_AGENT_ID = PAGE_AGENT
    settings.ALLOWED_HOSTS = ["smooth.example.com"]
    page = client.get("/embed", HTTP_HOST="smooth.example.com").content.decode()
    tag = '<script src="http://smooth.example.com/static/smooth/widget.js" data-agent-id="0b6f2d4e-1111-4222-8333-444455556666" async></script>'
    assert html.escape(tag, quote=True) in page  # shown
    assert page.count(tag) == 1  # and run, once
