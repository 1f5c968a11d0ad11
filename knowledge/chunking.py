"""Splitting documents into retrievable chunks.

Sections follow markdown headings; inside a section, chunks pack whole
paragraphs up to `max_chars`. A paragraph longer than that is cut at sentence
ends, then at spaces, never inside a word (Python strings are code points, so a
multi-byte character is never cut either). A chunk that continues its section
starts with the last ~`overlap` characters of the one before, from a word
boundary. Each chunk's text starts with its heading path, which is what a
reader (and the ranking) needs to place it, and carries the document's
metadata plus that path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Measured with bench/chunk_sizes.py (answers buried in long documents, 3 seeds):
# 400/50 gave recall@3 0.90 every time; 800/100 gave 0.75 to 0.90.
MAX_CHARS = 400
OVERLAP = 50
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…。])\s+")


@dataclass(frozen=True)
class ChunkDraft:
    position: int
    text: str
    metadata: dict = field(default_factory=dict)


@dataclass
class _Section:
    headings: list[str]
    paragraphs: list[str]


def _sections(text: str) -> list[_Section]:
    sections = [_Section([], [])]
    path: list[tuple[int, str]] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            # Lines stay lines: a list or a table must still read as one when quoted.
            sections[-1].paragraphs.append("\n".join(line.strip() for line in paragraph))
            paragraph.clear()

    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            end_paragraph()
            level = len(heading.group(1))
            path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, heading.group(2))]
            sections.append(_Section([title for _, title in path], []))
        elif line.strip():
            paragraph.append(line)
        else:
            end_paragraph()
    end_paragraph()
    return [section for section in sections if section.paragraphs]


def _cut_at_space(text: str, limit: int) -> tuple[str, str]:
    """Split `text` at the last space at or before `limit`; a word longer than
    `limit` is kept whole rather than cut."""
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        cut = text.find(" ", limit)
        if cut < 0:
            return text, ""
    return text[:cut].rstrip(), text[cut:].lstrip()


def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph as pieces no longer than `limit`, cut at sentence ends, else at spaces."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces, current = [], ""
    for sentence in _SENTENCE_END.split(paragraph):
        while len(sentence) > limit:
            head, sentence = _cut_at_space(sentence, limit)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
            if not sentence:
                break
        if not sentence:
            continue
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def _tail(text: str, size: int) -> str:
    """The last ~`size` characters of `text`, starting at a word."""
    if len(text) <= size:
        return text
    start = text.find(" ", len(text) - size)
    return text[start + 1 :] if start >= 0 else ""


def chunk_text(text: str, *, metadata: dict | None = None, max_chars: int = MAX_CHARS, overlap: int = OVERLAP) -> list[ChunkDraft]:
    metadata = metadata or {}
    drafts: list[ChunkDraft] = []
    for section in _sections(text):
        header = " > ".join(section.headings)
        budget = max(max_chars - (len(header) + 1 if header else 0), max_chars // 2)
        bodies: list[str] = []
        current = ""
        # Pieces leave room for the carried overlap, so every continuation has one.
        piece_limit = max(budget - overlap - 1, budget // 2)
        for paragraph in section.paragraphs:
            for piece in _pieces(paragraph, piece_limit):
                if current and len(current) + 2 + len(piece) > budget:
                    bodies.append(current)
                    carried = _tail(current, overlap)
                    current = f"{carried} {piece}" if carried and len(carried) + 1 + len(piece) <= budget else piece
                else:
                    current = f"{current}\n\n{piece}" if current else piece
        if current:
            bodies.append(current)
        for body in bodies:
            chunk_metadata = {**metadata, "headings": section.headings} if section.headings else dict(metadata)
            drafts.append(ChunkDraft(len(drafts), f"{header}\n{body}" if header else body, chunk_metadata))
    return drafts
