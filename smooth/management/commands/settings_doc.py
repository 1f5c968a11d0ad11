"""Write `.env.example` and the settings table of docs/CONFIGURATION.md from the settings' declarations
(smooth.env.DECLARED: each variable's one reader call in smooth/settings.py), or with
--check say which of them no longer agrees (the suite runs it)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from core.commands import SmoothCommand
from smooth.env import DECLARED

TABLE_START = "<!-- settings table: written by `manage.py settings_doc` from smooth/settings.py -->"
TABLE_END = "<!-- end of the settings table -->"


def env_example() -> str:
    lines = [
        "# Every setting Smooth reads, with its default (written by `manage.py settings_doc`).",
        "# Secrets are left empty on purpose.",
    ]
    for variable in DECLARED.values():
        lines += ["", f"# {variable.doc} ({variable.kind})", f"{variable.name}={'' if variable.secret else variable.default or ''}"]
    return "\n".join(lines) + "\n"


def settings_table() -> str:
    rows = ["| variable | default | value | meaning |", "| --- | --- | --- | --- |"]
    for variable in DECLARED.values():
        default = "unset" if variable.default is None or variable.secret else f"`{variable.default}`"
        meaning = variable.doc.replace("|", "\\|")  # a pipe would end the cell
        rows.append(f"| `{variable.name}` | {default} | {variable.kind} | {meaning} |")
    return "\n".join(rows)


def page_with_table(page: str) -> str:
    start, end = page.find(TABLE_START), page.find(TABLE_END)
    if start < 0 or end < start:
        raise CommandError(f"docs/CONFIGURATION.md has no settings table between {TABLE_START!r} and {TABLE_END!r}")
    return page[: start + len(TABLE_START)] + "\n" + settings_table() + "\n" + page[end:]


class Command(SmoothCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="write nothing: fail when either file disagrees with the settings")

    def handle(self, *args, check: bool = False, **options) -> None:
        root = Path(settings.BASE_DIR)
        wanted = {
            root / ".env.example": env_example(),
            root / "docs" / "CONFIGURATION.md": page_with_table((root / "docs" / "CONFIGURATION.md").read_text()),
        }
        stale = [path.name for path, text in wanted.items() if path.read_text() != text]
        if check:
            if stale:
                raise CommandError(f"{' and '.join(stale)} disagree with smooth/settings.py: run `manage.py settings_doc`")
            self.stdout.write("docs/CONFIGURATION.md and .env.example agree with smooth/settings.py")
            return
        for path, text in wanted.items():
            path.write_text(text)
        self.stdout.write(f"wrote {', '.join(path.name for path in wanted)}")
