"""A conversation's transcript as its visitor downloads it (smooth.download_transcript):
plain text, or a small complete HTML document, made by the server from the stored
messages of the session's own conversation (a person's messages during a takeover
included), oldest first, each with who said it and when (UTC, ISO 8601), and an
answer's sources.

Bounded: the last MAX_MESSAGES messages, then at most MAX_BYTES of UTF-8, older messages
dropped first; the transcript says how many earlier ones it leaves out. In HTML every word
anyone wrote is escaped, only http(s) sources become links, and the document's own
Content-Security-Policy allows no script at all: a visitor's `<script>` is text.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, ngettext

from chat import i18n
from chat.models import Message, Participant

MAX_MESSAGES = 500
MAX_BYTES = 1_000_000
_HEADER_BYTES = 4_096  # kept for the title and the lines above the messages
FORMATS = {"text": ("txt", "text/plain; charset=utf-8"), "html": ("html", "text/html; charset=utf-8")}
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
    "ol{list-style:none;padding:0}li{margin:0 0 1.25rem}.meta{color:#555;font-size:.875rem;margin:0}"
    ".text{white-space:pre-wrap;margin:.25rem 0}.sources{font-size:.875rem;margin:.25rem 0}"
)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None


@dataclass(frozen=True)
class Entry:
    """One message as the transcript shows it."""

    speaker: str
    role: str  # visitor, agent, person: the HTML's class
    at: str  # UTC, ISO 8601 to the second
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Transcript:
    filename: str
    content_type: str
    content: str
    messages: int  # how many it holds
    omitted: int  # how many earlier ones it leaves out


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def transcript(
    messages: list[Message], *, total: int, agent_name: str, started_at: datetime.datetime, format: str, lang: str | None
) -> Transcript:
    """`messages` (the conversation's last ones, oldest first, their senders loaded) of
    `total`, in `format` ("text" or "html"), its own words in `lang` (a supported one, else English)."""
    language = i18n.widget_language(lang, None)
    extension, content_type = FORMATS[format]
    with translation.override(language):
        entries = [_entry(message, agent_name) for message in messages]
        pieces = [_html_entry(entry) if format == "html" else _text_entry(entry) for entry in entries]
        kept = _fitting(pieces)
        omitted = total - len(kept)
        title = gettext("Conversation with %(agent)s") % {"agent": agent_name}
        lines = [
            gettext("Started %(started)s. Downloaded %(downloaded)s.")
            % {"started": utc(started_at), "downloaded": utc(datetime.datetime.now(datetime.UTC))}
        ]
        if omitted:
            lines.append(
                ngettext("The %(count)d earlier message is not included.", "The %(count)d earlier messages are not included.", omitted)
                % {"count": omitted}
            )
        if format == "html":
            content = _html_document(title, lines, kept, language)
        else:
            content = "\n".join([title, *lines, "", *kept])
    return Transcript(f"conversation-{started_at.astimezone(datetime.UTC):%Y-%m-%d}.{extension}", content_type, content, len(kept), omitted)


def _fitting(pieces: list[str]) -> list[str]:
    """The last of `pieces` that fit in MAX_BYTES together (the oldest dropped first)."""
    budget, start = MAX_BYTES - _HEADER_BYTES, len(pieces)
    while start > 0:
        size = len(pieces[start - 1].encode("utf-8")) + 1
        if size > budget:
            break
        budget -= size
        start -= 1
    return pieces[start:]


def _entry(message: Message, agent_name: str) -> Entry:
    sender = message.from_participant
    kind = sender.type if sender is not None else None
    if kind == Participant.Type.USER or (kind is None and message.direction == Message.Direction.INBOUND):
        role, fallback = "visitor", gettext("Visitor")
    elif kind == Participant.Type.HUMAN_AGENT:
        role, fallback = "person", gettext("Support agent")
    else:
        role, fallback = "agent", agent_name or gettext("Assistant")
    sources = tuple(
        Source(str(item.get("title") or item.get("id") or ""), _web_address(item.get("url")))
        for item in message.content.get("items", [])
        if item.get("type") == "citation"
    )
    return Entry((sender.name if sender is not None else "") or fallback, role, utc(message.created_at), message.text, sources)


def _web_address(url) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def _text_entry(entry: Entry) -> str:
    lines = [f"[{entry.at}] {entry.speaker}:", entry.text]
    if entry.sources:
        lines.append(gettext("Sources:"))
        lines += [f"- {source.title}: {source.url}" if source.url else f"- {source.title}" for source in entry.sources]
    return "\n".join(lines) + "\n"


def _html_entry(entry: Entry) -> str:
    escape = html.escape
    piece = (
        f'<li class="{entry.role}"><p class="meta"><strong>{escape(entry.speaker)}</strong> '
        f'<time datetime="{entry.at}">{entry.at}</time></p><p class="text">{escape(entry.text)}</p>'
    )
    if entry.sources:
        links = "".join(
            f'<li><a href="{escape(source.url)}" rel="noopener noreferrer">{escape(source.title)}</a></li>'
            if source.url
            else f"<li>{escape(source.title)}</li>"
            for source in entry.sources
        )
        piece += f'<div class="sources">{escape(gettext("Sources:"))}<ul>{links}</ul></div>'
    return piece + "</li>"


def _html_document(title: str, lines: list[str], pieces: list[str], language: str) -> str:
    escape = html.escape
    head = (
        '<meta charset="utf-8">\n'
        # A file opened from the disk: no script runs in it, whatever it holds.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n"
    )
    body = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    messages = "\n".join(pieces)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{i18n.text_direction(language)}">\n<head>\n{head}</head>\n'
        f"<body>\n<h1>{escape(title)}</h1>\n{body}<ol>\n{messages}\n</ol>\n</body>\n</html>\n"
    )
