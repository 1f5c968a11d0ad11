"""Validators shared by the model, the admin form and the management commands,
so every path rejects the same bad input with the same words."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from widget_auth.keys import InvalidKey, decode_ed25519_public_key
from widget_auth.origins import InvalidOrigin, normalize_origin_pattern, parse_origin_pattern


def validate_origin_pattern(value: str) -> None:
    try:
        parse_origin_pattern(value)
    except InvalidOrigin as exc:
        raise ValidationError(str(exc), code="invalid_origin") from None


def validate_origin_patterns(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Allowed origins must be a list of origin strings.", code="invalid_origins")
    errors = []
    for item in value:
        try:
            validate_origin_pattern(item)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors, code="invalid_origin")


def validate_ed25519_public_key(value: str) -> None:
    if not value:
        return
    try:
        decode_ed25519_public_key(value)
    except InvalidKey as exc:
        raise ValidationError(f"Not an Ed25519 public key: {exc}.", code="invalid_public_key") from None


def clean_origin_patterns(values: list[str]) -> list[str]:
    """Normalised, de-duplicated patterns, or one ValidationError naming every bad one."""
    origins, errors = [], []
    for value in values:
        try:
            normalized = normalize_origin_pattern(value)
        except InvalidOrigin as exc:
            errors.append(str(exc))
            continue
        if normalized not in origins:
            origins.append(normalized)
    if errors:
        raise ValidationError(errors, code="invalid_origin")
    return origins
