"""The protocol's conformance scenarios, run against Smooth; the ones it cannot
serve yet are skipped with the reason."""
import json

import pytest

from tests.protocol.conformance import ScenarioRunner, skip_reason
from tests.spec import require_spec, scenarios

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_spec_folder_is_present():
    spec = require_spec()
    assert (spec / "conformance" / "scenarios").is_dir()
    assert scenarios(), "no conformance scenarios found"


@pytest.mark.parametrize("path", scenarios(), ids=lambda path: path.stem)
async def test_scenario(ws, path):
    scenario = json.loads(path.read_text())
    reason = skip_reason(scenario)
    if reason:
        pytest.skip(reason)
    await ScenarioRunner(await ws()).run(scenario)


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
