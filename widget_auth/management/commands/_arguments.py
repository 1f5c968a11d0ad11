"""What the widget commands read from their arguments: key material from a file or
stdin, never from argv (arguments show in `ps` and in shell history)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError


def read_secret(path: str, what: str) -> str:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read the {what} from {path}: {exc.strerror}") from None
    text = text.strip()
    if not text:
        raise CommandError(f"the {what} read from {path} is empty")
    return text
