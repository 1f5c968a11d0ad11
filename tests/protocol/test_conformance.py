"""The protocol's conformance scenarios, run against Smooth; the ones it cannot
serve yet are skipped with the reason."""

import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as settings_module

from knowledge.services import ingest_document
from knowledge.sources import SourceDocument
from tests.protocol.conformance import ScenarioRunner, skip_reason
from tests.spec import require_spec, scenarios
from tests.turns.scenario_tools import FixedResultTool, install

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_spec_folder_is_present():
    spec = require_spec()
    assert (spec / "conformance" / "scenarios").is_dir()
    assert [case for case in scenarios() if case.values[0] is not None], "no conformance scenarios found"


@pytest.mark.parametrize("path", scenarios())
async def test_scenario(ws, path, settings, fake_gateway):
    require_spec()
    scenario = json.loads(path.read_text())
    reason = skip_reason(scenario)
    if reason:
        pytest.skip(reason)
    # The scenario's scripted model is the fake gateway; its setup goes in for real.
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-conformance"
    fake_gateway.push(*scenario.get("mockLlmScript", []))
    server = scenario.get("server") or {}
    await database_sync_to_async(_load_knowledge)(server.get("knowledge", []))
    install(
        settings,
        [FixedResultTool(t["name"], t.get("description", ""), t.get("parameters", {}), t["result"]) for t in server.get("tools", [])],
    )
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = server.get("confirmTools", [])  # as an operator sets them
    await ScenarioRunner(await ws()).run(scenario)


def _load_knowledge(documents: list[dict]) -> None:
    for document in documents:
        ingest_document(
            organization_id=settings_module.SMOOTH_DEFAULT_ORG_ID,
            document=SourceDocument(
                source=document["source"], title=document.get("title", document["source"]), content=document["content"], type="markdown"
            ),
        )


def test_the_runner_really_fails_a_wrong_expectation():
    """A scenario runner that cannot fail proves nothing: feed it a wrong expectation."""
    import asyncio

    class FakeClient:
        async def send(self, frame):
            pass

        async def receive(self):
            return {"type": "error", "error": {"code": "VALIDATION_ERROR"}, "requestId": "r"}

    scenario = {"name": "wrong", "steps": [{"send": {}, "expect": [{"type": "error", "assert": {"error.code": "SESSION_NOT_FOUND"}}]}]}
    with pytest.raises(AssertionError, match="error.code"):
        asyncio.run(ScenarioRunner(FakeClient()).run(scenario))
