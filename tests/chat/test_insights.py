"""The operator's view in the admin (chat.insights, "How agents did"): each agent's day
counted right, the questions that found nothing listed, another organisation's rows
never shown, in a fixed number of queries; and the visitors' ratings on the admin's
conversation and message pages."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent
from chat import insights, services
from chat.models import Message, Session
from handoff.models import Handoff
from limits.models import Spend
from tests.factories import make_session

pytestmark = pytest.mark.django_db

HELP = "11111111-1111-1111-1111-111111111111"
SALES = "22222222-2222-2222-2222-222222222222"
GLOBEX = "33333333-3333-3333-3333-333333333333"


def turn(session: Session, question: str, answer: str, *, passages: int | None, rating: str = "", comment: str = "") -> Message:
    request_id = f"m-{uuid.uuid4()}"
    services.record_user_message(session=session, text=question, request_id=request_id)
    reply = services.record_reply(session=session, text=answer, items=[], tokens=0, request_id=request_id, passages=passages)
    if rating:
        assert services.rate_answer(session=session, message_id=reply.id, rating=rating, comment=comment) == ""
    return reply


def days_ago(session: Session, days: int) -> None:
    when = timezone.now() - timedelta(days=days)
    Message.objects.filter(session=session).update(created_at=when)


def escalated(session: Session, *, source: str, days: int = 0) -> None:
    Handoff.objects.create(
        conversation_id=session.conversation_id,
        organization_id=session.organization_id,
        session=session,
        source=source,
        requested_at=timezone.now() - timedelta(days=days),
    )


def spent(agent_id: str, organization_id: str, *, days: int, tokens: int, nano_usd: int) -> None:
    period = timezone.localdate() - timedelta(days=days)
    Spend.objects.create(
        scope=Spend.Scope.AGENT, key=agent_id, period=period, organization_id=organization_id, tokens=tokens, nano_usd=nano_usd,
        updated_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def two_agents_two_days():
    """Acme's help and sales agents over today and yesterday, Globex's agent today, and a
    month-old conversation of Acme's help agent."""
    help_chat = make_session(agent_id=HELP, organization_id="acme", user_name="Dana")
    turn(help_chat, "How long is the return window?", "17 days.", passages=2, rating="up")
    turn(help_chat, "Can I return a gift card?", "I don't know.", passages=0, rating="down", comment="Say so in the FAQ")
    asked_for_a_person = make_session(agent_id=HELP, organization_id="acme", user_name="Eli")
    turn(asked_for_a_person, "I want to talk to a human", "A person will be with you.", passages=None)
    escalated(asked_for_a_person, source=Handoff.Source.PHRASE)
    yesterday = make_session(agent_id=HELP, organization_id="acme", user_name="Fay")
    turn(yesterday, "Do you ship to Norway?", "I don't know.", passages=0)
    days_ago(yesterday, 1)
    month_old = make_session(agent_id=HELP, organization_id="acme", user_name="Gus")
    turn(month_old, "Do you sell ladders?", "I don't know.", passages=0)
    days_ago(month_old, 31)

    sales_chat = make_session(agent_id=SALES, organization_id="acme", user_name="Hal")
    turn(sales_chat, "Is the sofa in stock?", "Yes.", passages=1, rating="up")
    escalated(sales_chat, source=Handoff.Source.OPERATOR)  # taken over unasked: no escalation

    globex_chat = make_session(agent_id=GLOBEX, organization_id="globex", user_name="Ivy")
    turn(globex_chat, "Where is my globex parcel?", "I don't know.", passages=0, rating="down")
    escalated(globex_chat, source=Handoff.Source.TOOL)

    spent(HELP, "acme", days=0, tokens=1500, nano_usd=2_250_000)
    spent(HELP, "acme", days=1, tokens=300, nano_usd=450_000)
    spent(GLOBEX, "globex", days=0, tokens=999, nano_usd=1_000_000)
    # make_session names every agent "Smooth": name them after the fact.
    for agent_id, name in ((HELP, "Acme help"), (SALES, "Acme sales"), (GLOBEX, "Globex bot")):
        Agent.objects.filter(id=agent_id).update(name=name)


def figures(report) -> list[tuple]:
    return [
        (row.day, row.agent_name, row.conversations, row.turns, row.found_nothing, *row.counts, row.helpful, row.not_helpful, row.tokens, row.cost_usd)
        for row in report.days
    ]  # fmt: skip


def test_each_agents_day_is_counted_from_the_last_30_days_of_its_organisation(two_agents_two_days):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    report = insights.insights(organizations={"acme"})
    assert [count.name for count in report.counts] == ["escalations"]  # handoff's, registered
    # day, agent, conversations, turns, found nothing, escalations, 👍, 👎, tokens, cost
    assert figures(report) == [
        (today, "Acme help", 2, 3, 1, 1, 1, 1, 1500, "0.00225"),
        (today, "Acme sales", 1, 1, 0, 0, 1, 0, 0, "0.00"),
        (yesterday, "Acme help", 1, 1, 1, 0, 0, 0, 300, "0.00045"),
    ]
    totals = report.totals
    assert (totals.conversations, totals.turns, totals.found_nothing, totals.counts) == (4, 5, 2, [1])
    assert (totals.helpful, totals.not_helpful, totals.tokens, totals.cost_usd) == (2, 1, 1800, "0.0027")
    assert report.agents == [(uuid.UUID(HELP), "Acme help"), (uuid.UUID(SALES), "Acme sales")]


def test_the_questions_that_found_nothing_are_listed_newest_first_with_agent_and_conversation(two_agents_two_days):
    report = insights.insights(organizations={"acme"})
    listed = [(item.question, item.agent_name) for item in report.found_nothing]
    assert listed == [("Can I return a gift card?", "Acme help"), ("Do you ship to Norway?", "Acme help")]
    norway = Message.objects.get(content__text="Do you ship to Norway?")
    assert report.found_nothing[1].conversation_id == norway.conversation_id


def test_one_agent_can_be_chosen(two_agents_two_days):
    report = insights.insights(organizations={"acme"}, agent_id=uuid.UUID(SALES))
    assert [(row.agent_name, row.turns) for row in report.days] == [("Acme sales", 1)]
    assert report.found_nothing == []


def test_another_organisations_rows_are_never_counted_and_a_superuser_sees_every_one(two_agents_two_days):
    acme = insights.insights(organizations={"acme"})
    assert "Globex bot" not in {row.agent_name for row in acme.days}
    assert "Where is my globex parcel?" not in {item.question for item in acme.found_nothing}
    # Naming another organisation's agent narrows to nothing: its rows stay out of sight.
    assert insights.insights(organizations={"acme"}, agent_id=uuid.UUID(GLOBEX)).days == []
    assert insights.insights(organizations=set()).days == []  # staff in no organisation

    everyone = insights.insights(organizations=None)
    globex = next(row for row in everyone.days if row.agent_name == "Globex bot")
    assert (globex.turns, globex.found_nothing, globex.counts, globex.not_helpful, globex.tokens) == (1, 1, [1], 1, 999)
    assert "Where is my globex parcel?" in {item.question for item in everyone.found_nothing}


def test_the_figures_take_the_same_few_queries_however_many_rows(two_agents_two_days):
    with CaptureQueriesContext(connection) as few:
        insights.insights(organizations={"acme"})
    for index in range(5):
        more = make_session(agent_id=SALES, organization_id="acme", user_name=f"Visitor {index}")
        turn(more, f"Question {index}?", "I don't know.", passages=0, rating="down")
        days_ago(more, index)
    with CaptureQueriesContext(connection) as many:
        report = insights.insights(organizations={"acme"})
    assert len(report.found_nothing) == 7
    # The agents, the messages, the spend, the escalations and the found-nothing list.
    assert len(few) == len(many) == 5


# --- the admin's pages -------------------------------------------------------------


def acme_staff(client, django_user_model, *, may_read_conversations: bool = True):
    staff = django_user_model.objects.create_user("acme-operator", password="pw", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="org:acme")[0])
    if may_read_conversations:
        staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="chat", codename__startswith="view_"))
    client.force_login(staff)
    return staff


def test_staff_read_how_their_agents_did_from_the_admin_index(client, django_user_model, two_agents_two_days):
    acme_staff(client, django_user_model)
    index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:chat_insights")}"' in index and "How agents did" in index

    page = client.get(reverse("admin:chat_insights"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Acme help" in text and "Acme sales" in text and "Globex" not in text
    assert "Can I return a gift card?" in text and "Where is my globex parcel?" not in text
    gift_card = Message.objects.get(content__text="Can I return a gift card?")
    assert reverse("admin:chat_conversation_change", args=[gift_card.conversation_id]) in text
    assert "$0.00225" in text and ">Escalations<" in text

    narrowed = client.get(reverse("admin:chat_insights"), {"agent": SALES}).content.decode()
    assert "Can I return a gift card?" not in narrowed
    assert re.search(rf'<option value="{SALES}" selected>Acme sales</option>', narrowed)
    assert client.get(reverse("admin:chat_insights"), {"agent": "not-an-id"}).status_code == 200  # all agents


def test_the_view_is_for_staff_who_may_read_conversations(client, django_user_model):
    acme_staff(client, django_user_model, may_read_conversations=False)
    assert client.get(reverse("admin:chat_insights")).status_code == 403
    assert "How agents did" not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    signed_out = client.get(reverse("admin:chat_insights"))
    assert signed_out.status_code == 302 and "/admin/login/" in signed_out.url


def test_the_conversation_list_shows_each_conversations_ratings_in_one_query(client, django_user_model, two_agents_two_days):
    acme_staff(client, django_user_model)
    url = reverse("admin:chat_conversation_changelist")
    page = client.get(url).content.decode()
    assert '<td class="field-feedback">👍 1 / 👎 1</td>' in page  # Dana's
    assert '<td class="field-feedback">👍 1 / 👎 0</td>' in page  # Hal's
    assert '<td class="field-feedback">-</td>' in page  # Eli's: not rated
    down_only = client.get(url, {"feedback": "down"}).content.decode()
    assert "How long is the return window?" in down_only and "Is the sofa in stock?" not in down_only

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for index in range(3):
        turn(make_session(agent_id=HELP, organization_id="acme"), f"Q{index}?", "A.", passages=1, rating="up")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_a_message_shows_its_rating_and_comment_in_the_admin(client, django_user_model, two_agents_two_days):
    acme_staff(client, django_user_model)
    rated = Message.objects.get(feedback_comment="Say so in the FAQ")
    page = client.get(reverse("admin:chat_message_change", args=[rated.id])).content.decode()
    assert "👎" in page and "Say so in the FAQ" in page
    listed = client.get(reverse("admin:chat_message_changelist"), {"feedback": "down"}).content.decode()
    assert "I don&#x27;t know." in listed and "17 days." not in listed
