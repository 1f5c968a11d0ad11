"""Splitting documents into retrievable chunks.

Sections follow markdown headings; inside a section, chunks pack whole
paragraphs up to `max_chars`. A paragraph longer than that is cut at sentence
ends, then at spaces, never inside a word (Python strings are code points, so a
multi-byte character is never cut either). A chunk that continues its section
starts with the last ~`overlap` characters of the one before, from a word
boundary. Each chunk's text starts with its heading path, which is what a
reader (and the ranking) needs to place it, and carries the document's
metadata plus that path.

A text with form feeds (U+000C, as a PDF's text is read: knowledge/pdf_docx.py) has
pages: each chunk also carries `page`, the 1-based page its own text starts on (the
overlap carried from the chunk before aside), so a citation can say "page 4". A page
break always ends a paragraph. A text without form feeds has no pages, and its chunks
no `page`.
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


PAGE_BREAK = "\f"  # between the pages of a paged text


@dataclass(frozen=True)
class _Paragraph:
    text: str
    page: int  # 1-based; every paragraph is on page 1 of a text without page breaks


@dataclass
class _Section:
    headings: list[str]
    paragraphs: list[_Paragraph]


def _sections(text: str) -> list[_Section]:
    sections = [_Section([], [])]
    path: list[tuple[int, str]] = []
    paragraph: list[str] = []

    def end_paragraph(page: int) -> None:
        if paragraph:
            # Lines stay lines: a list or a table must still read as one when quoted.
            sections[-1].paragraphs.append(_Paragraph("\n".join(line.strip() for line in paragraph), page))
            paragraph.clear()

    # Split on form feeds first: splitlines() would take one for a line break and lose the page.
    for page, page_text in enumerate(text.split(PAGE_BREAK), start=1):
        for line in page_text.splitlines():
            heading = _HEADING.match(line)
            if heading:
                end_paragraph(page)
                level = len(heading.group(1))
                path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, heading.group(2))]
                sections.append(_Section([title for _, title in path], []))
            elif line.strip():
                paragraph.append(line)
            else:
                end_paragraph(page)
        end_paragraph(page)
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
    paged = PAGE_BREAK in text
    drafts: list[ChunkDraft] = []
    for section in _sections(text):
        header = " > ".join(section.headings)
        budget = max(max_chars - (len(header) + 1 if header else 0), max_chars // 2)
        bodies: list[tuple[str, int]] = []  # a chunk's body and the page its own text starts on
        current, start_page = "", 0
        # Pieces leave room for the carried overlap, so every continuation has one.
        piece_limit = max(budget - overlap - 1, budget // 2)
        for paragraph in section.paragraphs:
            for piece in _pieces(paragraph.text, piece_limit):
                if current and len(current) + 2 + len(piece) > budget:
                    bodies.append((current, start_page))
                    carried = _tail(current, overlap)
                    current = f"{carried} {piece}" if carried and len(carried) + 1 + len(piece) <= budget else piece
                    # The carried words repeat the chunk before (cited with its own page): the
                    # page is where this chunk's own text starts.
                    start_page = paragraph.page
                elif current:
                    current = f"{current}\n\n{piece}"
                else:
                    current, start_page = piece, paragraph.page
        if current:
            bodies.append((current, start_page))
        for body, page in bodies:
            chunk_metadata = {**metadata, "headings": section.headings} if section.headings else dict(metadata)
            if paged:
                chunk_metadata["page"] = page
            drafts.append(ChunkDraft(len(drafts), f"{header}\n{body}" if header else body, chunk_metadata))
    return drafts
