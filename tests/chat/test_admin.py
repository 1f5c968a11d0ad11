"""The conversations in Django's admin, as a site owner reads them."""

from __future__ import annotations

import pytest

from chat import services
from tests.factories import make_session

pytestmark = pytest.mark.django_db


def test_conversations_list_their_first_question_status_count_and_last_activity_and_hide_empty_ones(admin_client):
    asked = make_session(user_name="Dana")
    services.record_user_message(session=asked, text="How long is the return window?", request_id="m-1")
    services.record_reply(session=asked, text="17 days.", items=[], tokens=0, request_id="m-1")
    services.record_user_message(session=asked, text="And for sale items?", request_id="m-2")
    viewed_only = make_session(user_name="Page view")  # a page load: a session, nothing asked

    page = admin_client.get("/admin/chat/conversation/").content.decode()
    assert "How long is the return window?" in page and "And for sale items?" not in page  # the first question
    assert '<td class="field-status">active</td>' in page and '<td class="field-message_total">3</td>' in page
    assert str(viewed_only.conversation_id) not in page and "(nothing asked)" not in page  # hidden by default

    everything = admin_client.get("/admin/chat/conversation/?messages=all").content.decode()
    assert "(nothing asked)" in everything and "How long is the return window?" in everything
    empty_only = admin_client.get("/admin/chat/conversation/?messages=none").content.decode()
    assert "(nothing asked)" in empty_only and "How long is the return window?" not in empty_only


def test_a_conversation_is_read_with_no_save_or_delete_and_the_admin_carries_smooths_name(admin_client):
    session = make_session()
    services.record_user_message(session=session, text="Hello?", request_id="m-1")
    page = admin_client.get(f"/admin/chat/conversation/{session.conversation_id}/change/").content.decode()
    assert "Hello?" in page
    assert 'name="_save"' not in page and "deletelink" not in page
    assert admin_client.post(f"/admin/chat/conversation/{session.conversation_id}/delete/").status_code == 403
    index = admin_client.get("/admin/").content.decode()
    assert "Smooth administration" in index and "Django administration" not in index


def test_the_favicon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("smooth/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
