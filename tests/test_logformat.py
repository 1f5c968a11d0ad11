"""SMOOTH_LOG_FORMAT=json: one JSON object a line, with the ids of the turn it was logged in."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider

from core import logformat
from tests.factories import AGENT_ID
from tests.helpers import turn

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_lines():
    """What the root logger writes through the JSON formatter, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logformat.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_line_is_one_json_object_with_its_exception(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("smooth.test").exception("it failed: %s", "badly")
    (line,) = json_lines()
    assert line["level"] == "ERROR" and line["logger"] == "smooth.test" and line["message"] == "it failed: badly"
    assert line["time"].endswith("Z") and "ValueError: boom" in line["exception"]
    assert "requestId" not in line and "traceId" not in line  # logged in no turn, no span


def test_a_line_logged_in_a_span_carries_its_trace_id(json_lines):
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("turn") as span:
        logging.getLogger("smooth.test").warning("inside")
    (line,) = json_lines()
    context = span.get_span_context()
    assert line["traceId"] == f"{context.trace_id:032x}" and line["spanId"] == f"{context.span_id:016x}"


@pytest.mark.django_db(transaction=True)
async def test_every_line_of_a_turn_carries_its_session_request_and_agent(ws, settings, fake_gateway, json_lines):
    settings.SMOOAI_GATEWAY_URL, settings.SMOOAI_GATEWAY_KEY = fake_gateway.url, "sk-log-format"
    settings.SMOOTH_AGENT_GATEWAY_RETRIES = 1
    fake_gateway.push({"kind": "status", "status": 503}, {"kind": "status", "status": 503})
    client = await ws()
    session_id = (await client.create_session(AGENT_ID))["sessionId"]
    events = await turn(client, session_id, request_id="m-logged")
    assert events[-1]["type"] == "error"
    lines = [line for line in json_lines() if line["logger"] in ("core.gateway.client", "chat.turns.runner")]
    assert {line["logger"] for line in lines} == {"core.gateway.client", "chat.turns.runner"}  # the retry and the failure
    for line in lines:
        assert (line["session"], line["requestId"], line["agent"]) == (session_id, "m-logged", AGENT_ID)
    assert "requestId" not in logformat.bound()  # the turn's ids stay in its task


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_the_log_format_setting_picks_the_server_s_formatter(log_format):
    logged = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "import logging; logging.getLogger('smooth.check').warning('from the shell')",
        ],
        cwd=REPO,
        env={**os.environ, "SMOOTH_LOG_FORMAT": log_format},
        capture_output=True,
        text=True,
        timeout=60,
    )
    (line,) = [line for line in logged.stderr.splitlines() if "from the shell" in line]
    if log_format == "json":
        assert json.loads(line)["message"] == "from the shell"
    else:
        assert line.endswith("WARNING smooth.check: from the shell")
