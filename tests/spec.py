"""The protocol's JSON Schemas and conformance scenarios, for validating what Smooth sends.

They are the `spec/` folder of the upstream smooth-operator repository (MIT), looked for
at SMOOTH_SPEC_DIR, else `../shared/spec` beside the checkout (docs/DEVELOPING.md). When
the folder is missing, the spec's own tests skip with MISSING as their reason, and every
schema check that could not be made is a warning in the run's summary (never passed
silently); under SMOOTH_REQUIRE_SPEC=1 (CI) each of them fails instead.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = Path(os.environ.get("SMOOTH_SPEC_DIR", REPO.parent / "shared" / "spec"))
SPEC_REQUIRED = os.environ.get("SMOOTH_REQUIRE_SPEC") == "1"


MISSING = (
    f"the protocol spec (the spec/ folder of github.com/SmooAI/smooth-operator, MIT) is not at {SPEC_DIR}: "
    "set SMOOTH_SPEC_DIR to it (docs/DEVELOPING.md)"
)


def spec_available() -> bool:
    return SPEC_DIR.is_dir()


def require_spec() -> Path:
    if not spec_available():
        if SPEC_REQUIRED:
            pytest.fail(MISSING + " (SMOOTH_REQUIRE_SPEC=1)")
        pytest.skip(MISSING)
    return SPEC_DIR


def _can_check() -> bool:
    """Whether the spec is here to check against; without it a warning says the check was not
    made (a failure under SMOOTH_REQUIRE_SPEC=1)."""
    if spec_available():
        return True
    if SPEC_REQUIRED:
        pytest.fail(MISSING + " (SMOOTH_REQUIRE_SPEC=1)")
    warnings.warn(f"a schema check was not made: {MISSING}", SpecMissing, stacklevel=3)
    return False


class SpecMissing(UserWarning):
    pass


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
    """Raise jsonschema.ValidationError if the event breaks its schema (counted as not checked without the spec)."""
    if not _can_check():
        return
    _validator(event_schema_path(event["type"]), None).validate(event)


def validate_definition(relative: str, definition: str, instance: dict) -> None:
    if not _can_check():
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


def scenarios() -> list:
    """The conformance scenarios' files; without the spec, one case that skips (or fails
    under SMOOTH_REQUIRE_SPEC=1) with MISSING as its reason."""
    folder = SPEC_DIR / "conformance" / "scenarios"
    if not folder.is_dir():
        return [pytest.param(None, id="spec-missing")]
    return [pytest.param(path, id=path.stem) for path in sorted(folder.glob("*.json"))]
