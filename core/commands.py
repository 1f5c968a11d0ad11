"""What management commands share: a base that refuses abbreviated flags, progress bars
drawn on the terminal, agent ids from their arguments, and validation errors turned into
one-line CommandErrors with the words the admin shows."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class SmoothCommand(BaseCommand):
    """A management command whose flags must be written whole: argparse would take
    `--sett` for `--set` (subcommands' parsers: `subparser`)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        return super().create_parser(prog_name, subcommand, allow_abbrev=False, **kwargs)


def subparser(subparsers: Any, name: str, **kwargs: Any) -> Any:
    """A subcommand's parser, refusing abbreviated flags like its command's."""
    return subparsers.add_parser(name, allow_abbrev=False, **kwargs)


def progress(command: BaseCommand, *, total: int | None, minimum: int = 0, **kwargs: Any) -> tqdm:
    """A progress bar for a long run: drawn in place on the command's terminal, uncoloured
    (straight to the stream: Django's stderr wrapper would colour it and end every redraw
    with a new line), and silent when stderr is not a terminal or `total` is under `minimum`
    (None: not known in advance, a count is drawn)."""
    stream = getattr(command.stderr, "_out", command.stderr)
    quiet = (total is not None and total < minimum) or not getattr(stream, "isatty", lambda: False)()
    return tqdm(total=total, file=stream, disable=quiet, dynamic_ncols=True, **kwargs)


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
