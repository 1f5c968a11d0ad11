"""Put the widget's strings into each language's catalogue, beside the pages' own.

`makemessages` reads Python and templates only; the widget's JavaScript marks its
strings as `t("...")`, which chat.i18n finds. This command adds each of them to
`locale/<lang>/LC_MESSAGES/django.po` (a translation already there is kept, one that
`makemessages` set aside as obsolete comes back), and sets aside the ones the
JavaScript no longer uses. The translator's round: makemessages, widget_messages,
translate, compilemessages (docs/DEVELOPING.md, "Translations").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from chat.i18n import scan_widget_messages
from core.commands import SmoothCommand

# How the catalogue names the widget's files: relative to the project, as makemessages does.
WIDGET_REFERENCE_PREFIX = "chat/static/smooth/"
_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def po_unquote(text: str) -> str:
    """The value of the quoted strings on one PO line (or its continuation lines)."""
    value = "".join(match.group(1) for match in _PO_STRING.finditer(text))
    return re.sub(r"\\(.)", lambda match: _PO_ESCAPES.get(match.group(1), match.group(1)), value)


def po_quote(keyword: str, value: str) -> list[str]:
    """`keyword "value"` as gettext writes it: a multi-line value one line per line."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = escaped.split("\n")
    pieces = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(pieces) <= 1:
        return [f'{keyword} "{pieces[0] if pieces else ""}"']
    return [f'{keyword} ""'] + [f'"{piece}"' for piece in pieces]


@dataclass
class PoEntry:
    """One entry of a PO file, its lines kept as written so an untouched entry stays byte for byte."""

    lines: list[str]
    msgid: str | None = None
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr is 0; msgstr[n] is n
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        """Whether msgfmt would compile it: a translation in every form and not fuzzy."""
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags

    @property
    def catalogue_key(self) -> str:
        """The key gettext looks it up by (msgctxt, then EOT, then msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else (self.msgid or "")


def _split_entries(text: str) -> list[list[str]]:
    """The PO text's entries, each its lines. An entry ends at a blank line, or where a
    comment or msgctxt/msgid follows a msgstr (makemessages may leave no blank line after
    the header)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    seen_msgstr = False
    for line in text.split("\n"):
        bare = line[2:].lstrip() if line.startswith("#~") else line
        starts_entry = line.startswith("#") and not line.startswith("#~ ") or bare.startswith(("msgctxt", "msgid "))
        if not line.strip() or (seen_msgstr and starts_entry):
            if current:
                blocks.append(current)
            current, seen_msgstr = ([] if not line.strip() else [line]), False
            continue
        current.append(line)
        seen_msgstr = seen_msgstr or bare.startswith("msgstr")
    if current:
        blocks.append(current)
    return blocks


def parse_po(text: str) -> list[PoEntry]:
    """The entries of a PO file in order, the header first; a block with no msgid (a lone
    comment) is kept as an entry whose msgid is None."""
    entries = []
    for lines in _split_entries(text):
        entry = PoEntry(lines=lines)
        body = [line for line in lines if not line.startswith("#") or line.startswith("#~ ") or line == "#~"]
        entry.obsolete = bool(body) and all(line.startswith("#~") for line in body)
        current: str | None = None
        values: dict[str, str] = {}
        for line in lines:
            if line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~|") or (line.startswith("#") and not line.startswith("#~")):
                continue  # a comment, a previous msgid
            else:
                line = line[2:].lstrip() if line.startswith("#~") else line
                if line.startswith('"') and current is not None:
                    values[current] += po_unquote(line)
                elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)", line):
                    current = match.group(1)
                    values[current] = po_unquote(match.group(2))
        entry.msgid = values.get("msgid")
        entry.msgctxt = values.get("msgctxt")
        entry.msgid_plural = values.get("msgid_plural")
        for keyword, value in values.items():
            if keyword == "msgstr":
                entry.msgstr[0] = value
            elif keyword.startswith("msgstr["):
                entry.msgstr[int(keyword[7:-1])] = value
        entries.append(entry)
    return entries


def _with_references(entry: PoEntry, widget_files: list[str]) -> list[str]:
    """The entry's lines, live (no `#~`), its widget references those of the JavaScript now."""
    lines = [line for line in entry.lines if not line.startswith("#~|")]
    if entry.obsolete:
        lines = [line[2:].lstrip(" ") if line.startswith("#~") else line for line in lines]
    kept = [ref for ref in entry.references if not ref.startswith(WIDGET_REFERENCE_PREFIX)]
    references = kept + [WIDGET_REFERENCE_PREFIX + name for name in widget_files]
    body = [line for line in lines if not line.startswith("#:")]
    insert_at = next((index for index, line in enumerate(body) if not line.startswith("#") or line.startswith("#,")), len(body))
    return body[:insert_at] + [f"#: {reference}" for reference in references] + body[insert_at:]


def _set_aside(entry: PoEntry) -> list[str]:
    """The entry's lines as obsolete (`#~`), as msgmerge writes an entry no source uses."""
    return [
        line if line.startswith("#") and not line.startswith("#:") else f"#~ {line}" for line in entry.lines if not line.startswith("#:")
    ]


@dataclass
class Merge:
    text: str
    added: list[str]
    revived: list[str]
    retired: list[str]
    untranslated: list[str]


def merge_widget_messages(po_text: str, widget_files: dict[str, list[str]]) -> Merge:
    """The PO text with every widget msgid live (keeping its translation) and the ones the
    JavaScript dropped set aside. `widget_files` maps each msgid to the files using it."""
    entries = parse_po(po_text)
    live: list[list[str]] = []
    obsolete: list[list[str]] = []
    added, revived, retired, untranslated = [], [], [], []
    placed: set[str] = set()
    for entry in entries:
        is_widget = entry.msgctxt is None and entry.msgid in widget_files
        only_widget = bool(entry.references) and all(ref.startswith(WIDGET_REFERENCE_PREFIX) for ref in entry.references)
        if is_widget and entry.msgid not in placed:
            assert entry.msgid is not None
            placed.add(entry.msgid)
            if entry.obsolete:
                revived.append(entry.msgid)
            live.append(_with_references(entry, widget_files[entry.msgid]))
            if not entry.translated:
                untranslated.append(entry.msgid)
        elif is_widget:
            continue  # an obsolete twin of an entry already live
        elif entry.obsolete:
            obsolete.append(entry.lines)
        elif only_widget and not entry.is_header:
            assert entry.msgid is not None
            retired.append(entry.msgid)
            obsolete.append(_set_aside(entry))
        else:
            live.append(entry.lines)
    for msgid, files in widget_files.items():
        if msgid not in placed:
            added.append(msgid)
            untranslated.append(msgid)
            references = [f"#: {WIDGET_REFERENCE_PREFIX}{name}" for name in files]
            live.append(references + po_quote("msgid", msgid) + ['msgstr ""'])
    text = "\n\n".join("\n".join(lines) for lines in live + obsolete) + "\n"
    return Merge(text, added, revived, retired, untranslated)


def widget_files_by_msgid() -> dict[str, list[str]]:
    """Each widget msgid, in the order the JavaScript first uses it, with the files using it."""
    files: dict[str, list[str]] = {}
    for message in scan_widget_messages():
        names = files.setdefault(message.msgid, [])
        if message.file not in names:
            names.append(message.file)
    return files


def catalogue_path(lang: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"


class Command(SmoothCommand):
    help = (
        "Add the widget's strings (its JavaScript's t(\"...\") calls) to each language's "
        "locale/<lang>/LC_MESSAGES/django.po, keeping translations. Run after makemessages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-l",
            "--locale",
            action="append",
            default=[],
            help="a language to update (repeatable; default: every one in LANGUAGES but English)",
        )
        parser.add_argument("--check", action="store_true", help="change nothing; fail if a catalogue would change or lacks a translation")

    def handle(self, *args, locale, check, **options):
        shipped = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        unknown = sorted(set(locale) - set(shipped))
        if unknown:
            raise CommandError(f"not a translated language in LANGUAGES: {', '.join(unknown)}")
        widget_files = widget_files_by_msgid()
        problems = []
        for lang in locale or shipped:
            path = catalogue_path(lang)
            if not path.exists():
                raise CommandError(f"{path} does not exist: run `manage.py makemessages -l {lang}` first")
            before = path.read_text(encoding="utf-8")
            merge = merge_widget_messages(before, widget_files)
            changed = merge.text != before
            if check:
                if changed:
                    problems.append(f"{lang}: the catalogue is not up to date with the widget (run manage.py widget_messages)")
                if merge.untranslated:
                    problems.append(f"{lang}: {len(merge.untranslated)} widget strings without a translation")
                continue
            if changed:
                path.write_text(merge.text, encoding="utf-8")
            self.stdout.write(
                f"{lang}: {len(widget_files)} widget strings; {len(merge.added)} added, {len(merge.revived)} brought back, "
                f"{len(merge.retired)} set aside, {len(merge.untranslated)} to translate"
            )
            for msgid in merge.untranslated:
                self.stdout.write(f"  to translate: {msgid!r}")
        if problems:
            raise CommandError("; ".join(problems))
        if not check:
            self.stdout.write(self.style.SUCCESS("Done. Translate the new strings, then run manage.py compilemessages."))
