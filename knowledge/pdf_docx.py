"""The text of PDF and Word (.docx) files, as the chunker reads it: Markdown headings
where the file has them, and a PDF's pages separated by form feeds.

- PDF (pypdf): each page's text in the order it is drawn, its wrapped lines joined back
  into paragraphs (a line clearly shorter than the document's longest ends one, a bullet
  starts one), without its page number or the running header and footer that open or
  close most pages. A table's cells come out a line each. Headings
  come from the outline (bookmarks) only, its nesting giving their levels: an entry's
  heading replaces the line of its page that says its title, or opens the page when no
  line does. A PDF without an outline gets no headings, rather than ones guessed from
  font sizes. A PDF that opens without a password (an owner password only) is read; one
  that needs a password, or has no text on any page (scanned, image-only), is refused.
- DOCX (python-docx): paragraphs and tables in document order, those inside content
  controls too, the table of contents left out. The styles Heading 1..9
  (and a style with an outline level) are headings, capped at level 6, one level
  lower when the document has a Title paragraph, which is level 1. List paragraphs are
  "- " items; a table is a Markdown table. Headers, footers and comments are left out.

The title is the file's own (PDF Info /Title, DOCX core properties), else empty: the
caller then takes the first heading, else a name of its own.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
import pypdf
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from knowledge.chunking import PAGE_BREAK  # a chunk knows the page it starts on

# A .docx is a zip of XML: refuse one that would expand past this before parsing it.
MAX_DOCX_EXPANDED_BYTES = 200 * 1024 * 1024
# A title that says nothing (reportlab's and some converters' default).
_EMPTY_TITLES = {"", "untitled", "(untitled)", "(anonymous)"}
# A bullet glyph (Word's Symbol-font ones among them), or a dash or star and a space.
_BULLET = re.compile(r"^(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2043\uf0b7\uf0a7]\s*|[-*\u2013]\s+)(?=\S)")
_NUMBERED = re.compile(r"^\(?\d{1,3}[.)]\s+")
_NUMBERING = re.compile(r"^(?:\d+[.)]?)+\s+")  # "1.2 " before a heading's words
# Lines the chunker or the offline answer would take for Markdown structure.
_LOOKS_LIKE_MARKDOWN = re.compile(r"^(?:#{1,6}(?:\s|$)|```|\|)")
_SHORT_LINE = 0.7  # of a full line of the document: a shorter line ends its paragraph
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*(\d{1,4})\s*[-\u2013]$", re.IGNORECASE)
# A line that opens (or closes) at least this share of the pages, and 3 of them, runs on every page.
_RUNNING_SHARE = 0.6
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted .docx, or an old .doc, is an OLE file
# Typographic ligatures ("ﬁnd" is not a word anyone searches for), soft hyphens, and control
# characters no database stores (NUL) or that mean something here (a form feed is a page).
_CLEAN = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": None}
    | {code: None for code in range(32) if chr(code) not in "\t\n"}
    | {0x7F: None}
)


class Unreadable(Exception):
    """The file has no text to give; the message says why (without naming the file)."""


@dataclass(frozen=True)
class Extracted:
    title: str  # the file's own title, "" when it has none
    content: str  # Markdown-ish text: "#" headings, paragraphs apart, a PDF's pages split by PAGE_BREAK


def _title(value: object) -> str:
    title = " ".join(str(value or "").split())
    return "" if title.lower() in _EMPTY_TITLES else title


def _escaped(line: str) -> str:
    """A line of the file's text that must not read as a heading, a fence or a table row."""
    return "\\" + line if _LOOKS_LIKE_MARKDOWN.match(line) else line


def _clean(text: str) -> str:
    """Text as stored: no ligatures, soft hyphens or control characters, valid UTF-8."""
    return text.translate(_CLEAN).encode("utf-8", "replace").decode("utf-8")


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- PDF ----------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    heading: int = 0  # its level when an outline entry made it a heading


def pdf_text(data: bytes) -> Extracted:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise Unreadable("encrypted: it needs a password to open")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _title(reader.metadata.title if reader.metadata else "")
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; none may stop a run
        raise Unreadable(f"not a readable PDF ({type(exc).__name__})") from None
    if not any(page.strip() for page in pages):
        raise Unreadable("no extractable text (a scanned or image-only PDF needs OCR first)")
    headings = _outline(reader)
    texts = _without_running_lines([[line.strip() for line in _clean(page).splitlines() if line.strip()] for page in pages])
    lines = [[_Line(_escaped(line)) for line in page_lines] for page_lines in texts]
    for index, page_lines in enumerate(lines):
        _place_headings(page_lines, headings.get(index, []))
    full = _full_line([line.text for page_lines in lines for line in page_lines if not line.heading])
    content = f"\n{PAGE_BREAK}\n".join(_page_text(page_lines, full) for page_lines in lines)
    return Extracted(_clean(title), content)


def _full_line(lines: list[str]) -> int:
    """How long a full line of the document's text is: the longest, or, with 20 lines or
    more, the 95th percentile (one wide table row or URL does not make every line short)."""
    lengths = sorted(len(line) for line in lines)
    if not lengths:
        return 0
    return lengths[int(0.95 * (len(lengths) - 1))] if len(lengths) >= 20 else lengths[-1]


def _is_page_number(line: str, page: int) -> bool:
    match = _PAGE_NUMBER.match(line)
    return match is not None and int(match.group(1) or match.group(2)) == page


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages' lines without what a page's layout adds: its own number when it opens or
    closes the page ("4", "Page 4", "4 of 12", "- 4 -"), and a header or footer line that
    opens or closes most pages, the same but for the page's number ("Returns policy, 4").
    Only the page's own number is set aside: "Chapter 2", "Chapter 3" are not running."""
    pages = [list(lines) for lines in pages]
    for number, lines in enumerate(pages, start=1):
        for end in (0, -1):
            if lines and _is_page_number(lines[end], number):
                del lines[end]

    def mask(line: str, number: int) -> str:
        return re.sub(rf"(?<!\d){number}(?!\d)", "#", line)

    for end in (0, -1):
        counts: dict[str, int] = {}
        for number, lines in enumerate(pages, start=1):
            if lines:
                counts[mask(lines[end], number)] = counts.get(mask(lines[end], number), 0) + 1
        running = {line for line, count in counts.items() if count >= 3 and count >= _RUNNING_SHARE * len(pages)}
        for number, lines in enumerate(pages, start=1):
            if lines and mask(lines[end], number) in running:
                del lines[end]
    return pages


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    try:
        return reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except Exception:  # an encryption pypdf cannot undo: as good as a password
        return False


def _outline(reader: pypdf.PdfReader) -> dict[int, list[tuple[int, str]]]:
    """The outline's entries by page index: (level, title), in outline order. An outline
    that cannot be read is no outline (it is optional; the text is what counts)."""
    found: dict[int, list[tuple[int, str]]] = {}

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            if title and page is not None and page >= 0:
                found.setdefault(page, []).append((min(depth + 1, 6), title))

    try:
        walk(reader.outline, 0)
    except Exception:
        return {}
    return found


def _place_headings(lines: list[_Line], headings: list[tuple[int, str]]) -> None:
    """Make each heading of the page the line that says its title (or two lines, when it
    wraps), searching after the previous one; a title no line says opens the page (or
    follows the previous heading)."""
    cursor = 0
    for level, title in headings:
        wanted = _comparable(title)
        at, span = None, 1
        for index in range(cursor, len(lines)):
            if lines[index].heading:
                continue
            said = _comparable(lines[index].text)
            if wanted in (said, _NUMBERING.sub("", said)):
                at = index
                break
            if index + 1 < len(lines) and _comparable(f"{lines[index].text} {lines[index + 1].text}") == wanted:
                at, span = index, 2
                break
        if at is None:
            lines.insert(cursor, _Line(title, level))
            cursor += 1
        else:
            lines[at : at + span] = [_Line(title, level)]
            cursor = at + 1


def _page_text(lines: list[_Line], full: int) -> str:
    """A page's lines as Markdown: headings, and paragraphs with their wrapped lines joined."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(paragraph[0] + "".join(_joined(before, line) for before, line in zip(paragraph, paragraph[1:])))
            paragraph.clear()

    for line in lines:
        if line.heading:
            end_paragraph()
            blocks.append(f"{'#' * line.heading} {line.text}")
            continue
        text = line.text
        if _BULLET.match(text) or _NUMBERED.match(text):
            end_paragraph()
            text = _BULLET.sub("- ", text)
        paragraph.append(text)
        if len(text) < _SHORT_LINE * full:
            end_paragraph()
    end_paragraph()
    return "\n\n".join(blocks)


def _joined(before: str, line: str) -> str:
    """How a wrapped line continues the one before: a word hyphenated at the line's end
    is joined back ("inter-" + "national"), anything else after a space."""
    if before.endswith("-") and before[-2:-1].isalpha() and line[:1].islower():
        return line
    return " " + line


# --- DOCX ---------------------------------------------------------------------------


def docx_text(data: bytes) -> Extracted:
    if data[:4] == _OLE_MAGIC:
        raise Unreadable("encrypted, or an old Word (.doc) file: save it as .docx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
        if expanded > MAX_DOCX_EXPANDED_BYTES:
            raise Unreadable(f"expands to more than {MAX_DOCX_EXPANDED_BYTES // (1024 * 1024)} MiB")
        document = docx.Document(io.BytesIO(data))
        body = document._body  # the container python-docx gives a body's paragraphs and tables
        blocks = list(_docx_blocks(body._element, body))
        title = _title(document.core_properties.title)
        shift = 1 if any(isinstance(block, Paragraph) and _style_name(block) == "Title" for block in blocks) else 0
        parts = [part for block in blocks if (part := _docx_block(block, shift))]
    except Unreadable:
        raise
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds on a damaged file
        raise Unreadable(f"not a readable Word file ({type(exc).__name__})") from None
    if not parts:
        raise Unreadable("no extractable text")
    return Extracted(_clean(title), _clean("\n\n".join(parts)))


def _docx_blocks(element, parent) -> Iterator[Paragraph | Table]:
    """The paragraphs and tables under `element` in document order, including those in a
    content control (python-docx's iter_inner_content skips them), not a table of contents."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, parent)
            if not _style_name(paragraph).lower().startswith("toc "):
                yield paragraph
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            gallery = child.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
            if gallery is not None and (gallery.get(qn("w:val")) or "").startswith("Table of Contents"):
                continue
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, parent)


def _style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    return style.name if style is not None and style.name else ""


def _heading_level(paragraph: Paragraph, shift: int) -> int:
    name = _style_name(paragraph)
    if name == "Title":
        return 1
    match = re.fullmatch(r"Heading ([1-9])", name)
    if match:
        return min(int(match.group(1)) + shift, 6)
    level = _outline_level(paragraph)
    return min(level + 1 + shift, 6) if level is not None else 0


def _outline_level(paragraph: Paragraph) -> int | None:
    """The paragraph's outline level (0-based; 9 is body text), set on it or on its
    style or a style that one is based on: custom heading styles carry one."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for properties in candidates:
        found = properties.find(qn("w:outlineLvl")) if properties is not None else None
        if found is not None:
            value = found.get(qn("w:val"))
            return int(value) if value and value.isdigit() and int(value) < 9 else None
    return None


def _is_list_item(paragraph: Paragraph) -> bool:
    properties = paragraph._p.pPr
    return _style_name(paragraph).startswith("List") or (properties is not None and properties.find(qn("w:numPr")) is not None)


def _docx_block(block: Paragraph | Table, shift: int) -> str:
    if isinstance(block, Table):
        return _docx_table(block)
    text = block.text.strip()
    if not text:
        return ""
    level = _heading_level(block, shift)
    if level:
        return f"{'#' * level} {' '.join(text.split())}"
    lines = [_escaped(line.strip()) for line in text.splitlines() if line.strip()]
    if _is_list_item(block):
        lines[0] = "- " + lines[0]
    return "\n".join(lines)


def _docx_table(table: Table) -> str:
    """A Markdown table, its first row the header (as the offline answer reads one)."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is listed once per column it spans
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.replace("|", "/").split()))
        if any(cells):
            rows.append(cells)
    lines = ["| " + " | ".join(cells) + " |" for cells in rows]
    if len(lines) > 1:
        lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
    return "\n".join(lines)
