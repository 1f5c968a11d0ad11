"""What the widget commands read from their arguments: agent ids, and key
material from a file or stdin, never from argv (arguments show in `ps` and in
shell history); and validation errors turned into one-line CommandErrors."""
from __future__ import annotations

import sys
import uuid
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def read_secret(path: str, what: str) -> str:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as exc:
        raise CommandError(f"cannot read the {what} from {path}: {exc.strerror}") from None
    text = text.strip()
    if not text:
        raise CommandError(f"the {what} read from {path} is empty")
    return text


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
