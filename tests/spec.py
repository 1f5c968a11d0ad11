"""The protocol's JSON Schemas (shared/spec), loaded for validating what Smooth sends.

The folder lives beside the checkout. When it is missing, spec checks are
skipped, except under SMOOTH_REQUIRE_SPEC=1 (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = Path(os.environ.get("SMOOTH_SPEC_DIR", REPO.parent / "shared" / "spec"))
SPEC_REQUIRED = os.environ.get("SMOOTH_REQUIRE_SPEC") == "1"


def spec_available() -> bool:
    return SPEC_DIR.is_dir()


def require_spec() -> Path:
    if not spec_available():
        message = f"protocol spec folder not found at {SPEC_DIR}"
        if SPEC_REQUIRED:
            pytest.fail(message + " (SMOOTH_REQUIRE_SPEC=1)")
        pytest.skip(message)
    return SPEC_DIR


@cache
def _schema(relative: str) -> dict:
    return json.loads((SPEC_DIR / relative).read_text())


@cache
def _validator(relative: str, definition: str | None) -> Draft202012Validator:
    schema = _schema(relative)
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def event_schema_path(event_type: str) -> str:
    return f"events/{event_type.replace('_', '-')}.schema.json"


def validate_event(event: dict) -> None:
    """Raise jsonschema.ValidationError if the event breaks its schema (no-op without the spec)."""
    if not spec_available():
        return
    _validator(event_schema_path(event["type"]), None).validate(event)


def validate_definition(relative: str, definition: str, instance: dict) -> None:
    if not spec_available():
        return
    _validator(relative, definition).validate(instance)


INBOX_SCHEMA = REPO / "handoff" / "schemas" / "inbox.schema.json"


@cache
def _inbox_validator(definition: str | None) -> Draft202012Validator:
    schema = json.loads(INBOX_SCHEMA.read_text())
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate_inbox_frame(frame: dict) -> None:
    """Raise jsonschema.ValidationError if a frame of the inbox socket breaks Smooth's schema
    (handoff/schemas, always here); a `stream` frame's event is checked as /ws's own."""
    _inbox_validator(None).validate(frame)
    if frame["type"] == "stream":
        validate_event(frame["event"])


def validate_inbox_event(event: dict) -> None:
    """An event of an organisation's inbox group (it reaches the socket as an `inbox` frame)."""
    _inbox_validator("InboxEvent").validate(event)


def scenarios() -> list[Path]:
    folder = SPEC_DIR / "conformance" / "scenarios"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
