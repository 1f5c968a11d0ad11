"""`identity_intake`: name, email and phone (capability `identity_form`).

An accepted answer is recorded on the session's user participant, where a later OTP
verification finds the contact."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from chat.interactions import FieldError, InvalidRequest, InvalidSubmission, Kind, reason_of
from chat.models import OtpChallenge, Participant, Session

FIELDS = ("name", "email", "phone")
MAX_LABEL_CHARS = 64
MAX_VALUE_CHARS = {"name": 255, "email": 254, "phone": 32}
REQUIRED = "this field is required"
BAD_EMAIL = "must be a valid email address"
BAD_PHONE = "must be a valid phone number, with its country code (e.g. +15551234567)"


def normalized_email(raw: str) -> str | None:
    address = raw.strip()
    try:
        validate_email(address)
    except ValidationError:
        return None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalized_phone(raw: str) -> str | None:
    """E.164, or None. A number without its country code is read as one of
    SMOOTH_PHONE_DEFAULT_REGION."""
    try:
        number = phonenumbers.parse(raw, settings.SMOOTH_PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class IdentityIntake(Kind):
    kind = "identity_intake"
    capability = "identity_form"
    raise_tool = "request_identity_intake"
    tool_description = (
        "Ask the visitor for their contact details (name, email, phone), e.g. to send a quote or to follow up. "
        "Ask only for what you need; say why in 'reason'."
    )
    tool_parameters = {
        "type": "object",
        "properties": {
            "fields": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string", "enum": list(FIELDS)},
                        "required": {"type": "boolean"},
                        "label": {"type": "string"},
                    },
                    "required": ["key", "required"],
                },
            },
            "reason": {"type": "string", "description": "why you ask, shown to the visitor (e.g. 'to send you the quote')"},
        },
        "required": ["fields", "reason"],
    }

    def parse_request(self, arguments: dict) -> tuple[dict, str]:
        fields = arguments.get("fields")
        if not isinstance(fields, list) or not fields:
            raise InvalidRequest("'fields' must be a non-empty list of {key, required}")
        spec_fields, seen = [], set()
        for field in fields:
            key = field.get("key") if isinstance(field, dict) else None
            if key not in FIELDS or key in seen:
                raise InvalidRequest(f"each field's key must be one of {', '.join(FIELDS)}, each once")
            seen.add(key)
            entry: dict[str, Any] = {"key": key, "required": field.get("required") is True}
            label = field.get("label")
            if isinstance(label, str) and label.strip():
                entry["label"] = label.strip()[:MAX_LABEL_CHARS]
            spec_fields.append(entry)
        return {"fields": spec_fields}, reason_of(arguments)

    def validate(self, spec: dict | None, values: Any) -> dict:
        if not isinstance(values, dict):
            raise InvalidSubmission([FieldError("values", "must be an object of name, email and phone")])
        errors: list[FieldError] = []
        texts: dict[str, str] = {}
        for key in FIELDS:
            value = values.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                errors.append(FieldError(key, "must be a string"))
            elif len(value) > MAX_VALUE_CHARS[key]:
                errors.append(FieldError(key, f"must be at most {MAX_VALUE_CHARS[key]} characters"))
            elif value.strip():
                texts[key] = value.strip()
        for field in (spec or {}).get("fields", []):
            if field["required"] and field["key"] not in texts and not any(error.field == field["key"] for error in errors):
                errors.append(FieldError(field["key"], REQUIRED))
        canonical: dict[str, str] = {}
        if "name" in texts:
            canonical["name"] = texts["name"]
        for key, normalized, problem in (("email", normalized_email, BAD_EMAIL), ("phone", normalized_phone, BAD_PHONE)):
            if key in texts:
                value = normalized(texts[key])
                if value is None:
                    errors.append(FieldError(key, problem))
                else:
                    canonical[key] = value
        if not errors and not canonical:
            errors.append(FieldError("values", "give at least one of name, email and phone"))
        if errors:
            raise InvalidSubmission(sorted(errors, key=lambda error: FIELDS.index(error.field) if error.field in FIELDS else -1))
        return canonical

    def fallback_directive(self, spec: dict, reason: str) -> str:
        wanted = ", ".join(f"{field['key']} ({'required' if field['required'] else 'optional'})" for field in spec["fields"])
        return (
            f"This visitor's app cannot show a form, so ask in the conversation, {reason}: {wanted}. "
            "Ask for one field at a time. When you have the answers, call submit_interaction with "
            '{"kind": "identity_intake", "values": {...}}; if it reports a problem, ask again for that field. '
            'If the visitor does not want to share, call submit_interaction with {"kind": "identity_intake", "declined": true}.'
        )

    @transaction.atomic
    def record(self, session_id, values: dict) -> None:
        """The contact goes on the session's user participant. A new email or phone undoes a
        one-time-code verification and voids a code on its way: a code proves one address,
        and must not vouch for another one given after it."""
        session = Session.objects.select_for_update().filter(session_id=session_id).select_related("user_participant").first()
        if session is None or not values:
            return
        participant = session.user_participant
        if any(key in values and values[key] != getattr(participant, key) for key in ("email", "phone")):
            OtpChallenge.objects.filter(session_id=session_id).delete()
            if session.code_verified_at is not None:
                session.code_verified_channel, session.code_verified_at = "", None
                session.save(update_fields=["code_verified_channel", "code_verified_at", "updated_at"])
        Participant.objects.filter(id=participant.id).update(**values)
