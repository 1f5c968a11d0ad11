"""What management commands share: agent ids from their arguments, and validation
errors turned into one-line CommandErrors with the words the admin shows."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def parse_agent_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CommandError(f"--agent must be a UUID, got {text!r}") from None


@contextmanager
def validation_as_command_error():
    """The same words the admin shows, as one CommandError line."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            parts = [f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
        else:
            parts = exc.messages
        raise CommandError("; ".join(parts)) from None
