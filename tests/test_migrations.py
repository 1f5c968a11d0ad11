"""The tenant-isolation migrations on rows written before them: agents registered from
policies and sessions, organisation settings copied onto them, sessions given their
agent and origin, and ingested files' absolute sources made relative."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("agents", None), ("chat", "0003_agent_settings"), ("widget_auth", "0001_initial"), ("knowledge", "0002_full_text_index")]
POLICY_AGENT, SESSION_AGENT, BLANK_ORG_AGENT = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]], at_end=True).apps


@pytest.fixture
def old_rows():
    apps = migrate(BEFORE)
    WidgetPolicy, AgentSettings = apps.get_model("widget_auth", "WidgetPolicy"), apps.get_model("chat", "AgentSettings")
    Conversation, Participant, Session = (apps.get_model("chat", name) for name in ("Conversation", "Participant", "Session"))
    Document, Chunk = apps.get_model("knowledge", "Document"), apps.get_model("knowledge", "Chunk")

    WidgetPolicy.objects.create(agent_id=POLICY_AGENT, organization_id="acme", allowed_origins=["https://shop.example.com"])
    WidgetPolicy.objects.create(agent_id=BLANK_ORG_AGENT, organization_id="", allowed_origins=["*"])
    AgentSettings.objects.create(organization_id="acme", model="acme-model", system_prompt="Be Acme.", max_iterations=3)

    def session(agent_id, org, origin, name="Old name"):
        conversation = Conversation.objects.create(name="c", organization_id=org)
        user = Participant.objects.create(
            conversation=conversation, organization_id=org, type="user", name="V", browser_info={"origin": origin} if origin else None
        )
        agent = Participant.objects.create(conversation=conversation, organization_id=org, type="ai-agent", name=name)
        return Session.objects.create(
            conversation=conversation,
            organization_id=org,
            agent_id=agent_id,
            agent_name=name,
            user_participant=user,
            agent_participant=agent,
            thread_id="t",
        )

    rows = {
        "policy session": session(POLICY_AGENT, "acme", "HTTPS://Shop.Example.com:443"),
        "no origin": session(SESSION_AGENT, "globex", None, name="Globex bot"),
    }
    session(SESSION_AGENT, "globex", None, name="Globex bot")
    session(SESSION_AGENT, "default", None)  # the minority organisation

    for source, title in [
        ("/srv/kb/policies/returns.md", "returns"),
        ("/srv/kb/faq-hours.txt", "faq hours"),
        ("https://help.example.com/a", "A"),
    ]:
        document = Document.objects.create(organization_id="acme", source=source, title=title, content="x", content_hash="h")
        Chunk.objects.create(
            document=document, organization_id="acme", position=0, text="x", embedding=b"", metadata={"source": source, "title": title}
        )
    Document.objects.create(
        organization_id="acme", source="/srv/kb/policies/headed.md", title="Our returns", content="# Our returns", content_hash="h"
    )
    yield rows
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migrations_register_agents_and_carry_every_row_over(old_rows, settings):
    apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Agent, WidgetPolicy, Session = (
        apps.get_model("agents", "Agent"),
        apps.get_model("widget_auth", "WidgetPolicy"),
        apps.get_model("chat", "Session"),
    )
    Document, Chunk = apps.get_model("knowledge", "Document"), apps.get_model("knowledge", "Chunk")

    agents = {agent.id: agent for agent in Agent.objects.all()}
    assert {agent_id: agent.organization_id for agent_id, agent in agents.items()} == {
        POLICY_AGENT: "acme",
        SESSION_AGENT: "globex",
        BLANK_ORG_AGENT: "default",
    }
    acme = agents[POLICY_AGENT]
    assert (acme.model, acme.system_prompt, acme.max_iterations, acme.name) == ("acme-model", "Be Acme.", 3, "Old name")
    assert (agents[SESSION_AGENT].model, agents[SESSION_AGENT].name) == ("", "Globex bot")
    assert sorted(WidgetPolicy.objects.values_list("agent_id", flat=True)) == [POLICY_AGENT, BLANK_ORG_AGENT]

    assert Session.objects.get(pk=old_rows["policy session"].pk).origin == "https://shop.example.com"
    assert Session.objects.get(pk=old_rows["no origin"].pk).origin is None
    assert set(Session.objects.values_list("agent_id", flat=True)) == {POLICY_AGENT, SESSION_AGENT}

    documents = {document.source: document for document in Document.objects.all()}
    assert set(documents) == {"policies/returns.md", "faq-hours.txt", "policies/headed.md", "https://help.example.com/a"}
    assert {source: documents[source].title for source in documents} == {
        "policies/returns.md": "policies/returns.md",
        "faq-hours.txt": "faq-hours.txt",
        "policies/headed.md": "Our returns",
        "https://help.example.com/a": "A",
    }
    assert documents["policies/returns.md"].ingest_root == "/srv/kb" and documents["https://help.example.com/a"].ingest_root == ""
    assert Chunk.objects.get(document_id=documents["policies/returns.md"].id).metadata == {
        "source": "policies/returns.md",
        "title": "policies/returns.md",
    }


BEFORE_COLUMNS = [("chat", "0005_parked_turns_and_codes")]
VERIFIED_AT = "2026-11-02T10:00:00+00:00"


@pytest.fixture
def verification_in_metadata():
    apps = migrate(BEFORE_COLUMNS)
    Conversation, Participant, Session = (apps.get_model("chat", name) for name in ("Conversation", "Participant", "Session"))

    def session(metadata, supports=None):
        conversation = Conversation.objects.create(
            name="c", organization_id="acme", metadata={} if supports is None else {"supports": supports}
        )
        user = Participant.objects.create(conversation=conversation, organization_id="acme", type="user", name="V")
        bot = Participant.objects.create(conversation=conversation, organization_id="acme", type="ai-agent", name="a")
        return Session.objects.create(
            conversation=conversation,
            organization_id="acme",
            agent_name="a",
            user_participant=user,
            agent_participant=bot,
            thread_id="t",
            metadata=metadata,
        ).pk

    identity = {"verified": True, "userId": "user-7", "scheme": "ed25519", "format": "v2", "verifiedAt": VERIFIED_AT}
    rows = {
        "host verified": session({"client": {"plan": "pro"}, "identity": identity}, supports=["choice_chips", "resume_token"]),
        "code verified": session({"client": {}, "otp": {"verified": True, "channel": "email", "verifiedAt": VERIFIED_AT}}),
        "both, an old code without its time": session({"client": {}, "identity": identity, "otp": {"verified": True, "channel": "sms"}}),
        "a verification without a user": session({"client": {}, "identity": {"verified": True}}),
        "anonymous": session({"client": {"identity": "the client's own words"}}, supports=[]),
    }
    yield rows
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_verification_and_capabilities_move_into_columns_and_back(verification_in_metadata):
    rows = verification_in_metadata
    apps = migrate([("chat", "0006_verification_in_columns")])
    Session = apps.get_model("chat", "Session")

    def state(name):
        session = Session.objects.select_related("conversation").get(pk=rows[name])
        verified_at = session.verified_at.isoformat() if session.verified_at else None
        code_at = bool(session.code_verified_at)
        return (
            (session.verified_user_id, session.verified_scheme, session.verified_format, verified_at),
            (
                session.code_verified_channel,
                code_at,
            ),
            session.metadata,
            session.conversation.supports,
            session.conversation.metadata,
        )

    host = ("user-7", "ed25519", "v2", VERIFIED_AT)
    assert state("host verified") == (host, ("", False), {"client": {"plan": "pro"}}, ["choice_chips", "resume_token"], {})
    assert state("code verified") == ((None, "", "", None), ("email", True), {"client": {}}, [], {})
    assert state("both, an old code without its time") == (host, ("sms", True), {"client": {}}, [], {})
    assert state("a verification without a user") == ((None, "", "", None), ("", False), {"client": {}}, [], {})  # never half one
    assert state("anonymous") == ((None, "", "", None), ("", False), {"client": {"identity": "the client's own words"}}, [], {})

    apps = migrate(BEFORE_COLUMNS)  # and back: the same state in the metadata again
    Session = apps.get_model("chat", "Session")
    restored = Session.objects.select_related("conversation").get(pk=rows["host verified"])
    assert restored.metadata == {"client": {"plan": "pro"}, "identity": {**host_identity(), "verifiedAt": VERIFIED_AT}}
    assert restored.conversation.metadata == {"supports": ["choice_chips", "resume_token"]}
    assert Session.objects.get(pk=rows["code verified"]).metadata["otp"]["channel"] == "email"


def host_identity() -> dict:
    return {"verified": True, "userId": "user-7", "scheme": "ed25519", "format": "v2"}
