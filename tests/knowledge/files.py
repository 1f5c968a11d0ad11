"""PDF and Word files made from Markdown, for the tests and bench/retrieval_quality.py --as:
nothing is downloaded. A PDF is laid out by reportlab as a word processor's export
would be (an embedded TrueType font, wrapped paragraphs, bullets, tables, page numbers in
the footer) with, unless asked not to, an outline: a bookmark per heading, nested by
level. A Word file is written by python-docx with the styles Title, Heading N, List
Bullet and List Number, and real tables.

Markdown read: "#" headings, paragraphs, "- " and "1. " list items, "|" tables, code
fences, **bold** and `code`; a form feed ("\\f") on a line of its own breaks the page.
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

import docx
import pypdf
import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, Preformatted, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

_FONTS = Path(reportlab.__file__).parent / "fonts"
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def register_fonts() -> None:
    """Bitstream Vera (shipped with reportlab) as the font family "Vera"."""
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        for name, file in (
            ("Vera", "Vera.ttf"),
            ("Vera-Bold", "VeraBd.ttf"),
            ("Vera-Italic", "VeraIt.ttf"),
            ("Vera-BoldItalic", "VeraBI.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(_FONTS / file)))
        pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic")


def blocks(markdown: str) -> list[tuple[str, object]]:
    """The Markdown as (kind, value): ("heading", (level, text)), ("paragraph", text),
    ("bullet", text), ("number", (n, text)), ("table", rows), ("code", text), ("page", None)."""
    found: list[tuple[str, object]] = []
    lines = markdown.split("\n")
    paragraph: list[str] = []

    def end() -> None:
        if paragraph:
            found.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if line == "\f":
            end()
            found.append(("page", None))
        elif stripped.startswith("```"):
            end()
            code = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                code.append(lines[index])
                index += 1
            found.append(("code", "\n".join(code)))
        elif stripped.startswith("|"):
            end()
            rows = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                cells = [cell.strip() for cell in lines[index].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
                    rows.append(cells)
                index += 1
            found.append(("table", rows))
            continue
        elif heading := _HEADING.match(stripped):
            end()
            found.append(("heading", (len(heading.group(1)), heading.group(2))))
        elif bullet := _BULLET.match(line):
            end()
            found.append(("bullet", bullet.group(1)))
        elif numbered := _NUMBERED.match(line):
            end()
            found.append(("number", (int(numbered.group(1)), numbered.group(2))))
        elif not stripped:
            end()
        else:
            paragraph.append(stripped)
        index += 1
    end()
    return found


def _plain(text: str) -> str:
    return _LINK.sub(r"\1", text).replace("**", "").replace("`", "")


def _inline(text: str) -> str:
    """Markdown inline marks as reportlab's paragraph markup."""
    text = escape(_LINK.sub(r"\1", text), quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"`([^`]+)`", r'<font face="Courier">\1</font>', text)


class _Bookmark(Flowable):
    """An outline entry pointing at where it is drawn (as "create bookmarks from headings" does)."""

    def __init__(self, title: str, level: int):
        super().__init__()
        self.title, self.level = title, level

    def wrap(self, *args):
        return (0, 0)

    def draw(self):
        key = f"b{id(self)}"
        self.canv.bookmarkHorizontal(key, 0, 0)
        self.canv.addOutlineEntry(self.title, key, self.level)


def _footer(canvas, document) -> None:
    canvas.setFont("Vera", 8)
    canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {document.page}")


def markdown_to_pdf(markdown: str, *, title: str | None = None, outline: bool = True) -> bytes:
    """A PDF of the Markdown; `title` goes into its Info dictionary (None: reportlab's "untitled")."""
    register_fonts()
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontName="Vera", fontSize=10, leading=13, spaceAfter=6)
    item = ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2, bulletFontName="Vera")
    styles = {level: ParagraphStyle(f"h{level}", parent=sheet[f"Heading{min(level, 6)}"], fontName="Vera-Bold") for level in range(1, 7)}
    story: list[Flowable] = []
    outline_level = -1
    for kind, value in blocks(markdown):
        if kind == "heading":
            level, text = value  # type: ignore[misc]
            if outline:
                # reportlab refuses an outline that skips a level (# then ###)
                outline_level = min(level - 1, outline_level + 1)
                story.append(_Bookmark(_plain(text), outline_level))
            story.append(Paragraph(_inline(text), styles[level]))
        elif kind == "paragraph":
            story.append(Paragraph(_inline(str(value)), body))
        elif kind == "bullet":
            story.append(Paragraph(_inline(str(value)), item, bulletText="\u2022"))
        elif kind == "number":
            number, text = value  # type: ignore[misc]
            story.append(Paragraph(_inline(text), item, bulletText=f"{number}."))
        elif kind == "table":
            rows = [[Paragraph(_inline(cell), body) for cell in row] for row in value]  # type: ignore[attr-defined]
            table = Table(rows, hAlign="LEFT")
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [table, Spacer(1, 6)]
        elif kind == "code":
            story.append(Preformatted(str(value), ParagraphStyle("code", parent=body, fontName="Courier", fontSize=9)))
        elif kind == "page":
            story.append(PageBreak())
    out = io.BytesIO()
    options = {"title": title} if title is not None else {}
    SimpleDocTemplate(out, pagesize=A4, **options).build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def markdown_to_docx(markdown: str, *, title: str | None = None, title_style: bool = False) -> bytes:
    """A Word file of the Markdown; with `title_style` its first "#" heading is a Title paragraph."""
    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    first = True
    for kind, value in blocks(markdown):
        if kind == "heading":
            level, text = value  # type: ignore[misc]
            if title_style and first and level == 1:
                document.add_paragraph(_plain(text), style="Title")
            else:
                document.add_heading(_plain(text), level=max(level - 1, 1) if title_style else level)
            first = False
        elif kind == "paragraph":
            document.add_paragraph(_plain(str(value)))
        elif kind == "bullet":
            document.add_paragraph(_plain(str(value)), style="List Bullet")
        elif kind == "number":
            document.add_paragraph(_plain(value[1]), style="List Number")  # type: ignore[index]
        elif kind == "table":
            rows = value
            table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))  # type: ignore[arg-type]
            for row, cells in zip(table.rows, rows):  # type: ignore[call-overload]
                for cell, text in zip(row.cells, cells):
                    cell.text = _plain(text)
        elif kind == "code":
            document.add_paragraph(str(value))
        elif kind == "page":
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted(pdf: bytes, *, user_password: str) -> bytes:
    """The PDF encrypted (AES-256); with user_password "" it opens without one (an owner password only)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan's shape: pages with a picture and lines drawn, and not one character of text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    picture = Image.new("RGB", (120, 40), "white")
    picture.paste((30, 30, 30), (10, 10, 110, 30))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for _ in range(pages):
        canvas.drawImage(ImageReader(picture), 2 * cm, 20 * cm, width=12 * cm, height=4 * cm)
        canvas.rect(2 * cm, 2 * cm, 10 * cm, 5 * cm)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
