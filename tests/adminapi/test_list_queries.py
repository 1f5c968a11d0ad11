"""Each list of the admin API is read in a fixed number of queries, however many rows it
shows: 1 item and 6 items cost the same (no query per row)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat import services
from handoff import services as handoffs
from knowledge.services import ingest_document
from knowledge.sources import SourceDocument
from limits import enforcement
from limits.models import Spend
from tests.adminapi.test_agents import call
from tests.factories import make_agent
from widget_auth.models import WidgetPolicy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jwt_hs256")]
# Measured on SQLite: the page, then what every row reads, each in one query.
MOST = {"agents": 5, "embed-policies": 1, "documents": 2, "conversations": 1, "handoffs": 2}


def add_rows(count: int) -> None:
    """`count` of each thing a list shows, in organisation acme, each with what its row reads."""
    for number in range(count):
        agent = make_agent(agent_id=str(uuid.uuid4()), organization_id="acme", name=f"bot {number}", budget_per_agent_day="1M tokens")
        WidgetPolicy.objects.create(agent=agent, allowed_origins=[f"https://shop{number}.example"])
        Spend.objects.create(
            scope="agent", key=str(agent.id), period=timezone.now().date(), organization_id="acme", tokens=5, updated_at=timezone.now()
        )
        enforcement.report(agent=agent, kind="origin", reason="not an allowed origin", origin="https://evil.example")
        session = services.create_session(
            agent=agent, agent_id=agent.id, identity=None, user_name=f"V{number}", user_email=None, browser_fingerprint=None,
            browser_info=None, metadata={}, supports=None,
        )  # fmt: skip
        handoffs.escalate(session, reason="wants a person", source="phrase")
        ingest_document(
            organization_id="acme",
            document=SourceDocument(
                source=f"help/{number}.md", title=f"Page {number}", content=f"# Page {number}\n\nText.", type="markdown"
            ),
            document_sets=["public"],
            access=None,
        )


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call(client, "get", path)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", sorted(MOST))
def test_a_list_costs_the_same_queries_for_one_row_as_for_six(client, path):
    add_rows(1)
    one = queries_of(client, path)
    add_rows(5)
    six = queries_of(client, path)
    assert six == one <= MOST[path], (path, one, six)
