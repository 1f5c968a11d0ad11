"""Every event builder's output validates against its schema in shared/spec/events."""

import pytest
from jsonschema import ValidationError

from chat import protocol
from tests.spec import require_spec, validate_event


@pytest.fixture(autouse=True)
def _spec():
    require_spec()


@pytest.mark.parametrize("request_id", [None, "r-1"])
def test_builders_produce_valid_events(request_id):
    for event in [
        protocol.pong(request_id),
        protocol.immediate_response(request_id, status=200, message="ok", data={"a": 1}),
        protocol.error(request_id, protocol.ErrorCode.SESSION_NOT_FOUND, "gone"),
    ]:
        validate_event(event)
        assert isinstance(event["timestamp"], int)
        assert event.get("requestId") == request_id


def test_the_validator_rejects_an_event_that_breaks_its_schema():
    event = protocol.error("r", protocol.ErrorCode.INTERNAL_ERROR, "x")
    event["data"]["error"]["extra"] = True
    with pytest.raises(ValidationError):
        validate_event(event)


def test_error_events_carry_the_descriptor_at_top_level_and_in_data():
    event = protocol.error("r-9", "AGENT_ERROR", "gateway said 502")
    assert event["error"] == event["data"]["error"] == {"code": "AGENT_ERROR", "message": "gateway said 502"}
    assert event["data"]["requestId"] == "r-9"
