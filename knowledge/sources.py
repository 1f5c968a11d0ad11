"""Reading sources into plain documents: files, directories (recursively) and http(s) URLs.

Supported: Markdown (.md, .markdown), text (.txt), HTML (.html, .htm; tags
stripped, headings kept as markdown headings, scripts and styles dropped),
JSON (.json; `title` plus `content`/`body`/`text` when present, else every
value flattened to "key: value" lines), PDF (.pdf) and Word (.docx): their text,
headings and a PDF's pages (knowledge/pdf_docx.py).

`read_document` is the one place where the bytes of a kind become a document:
files, URLs, uploads and connectors all go through it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

from knowledge import pdf_docx

EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".pdf": "pdf",
    ".docx": "docx",
}
CONTENT_TYPES = {
    "text/html": "html",
    "application/json": "json",
    "text/markdown": "markdown",
    "text/plain": "text",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Kinds whose bytes are a file format, not text: read by their own reader, never decoded.
FILE_FORMATS = {"pdf": pdf_docx.pdf_text, "docx": pdf_docx.docx_text}
TEXT_KINDS = sorted(set(EXTENSIONS.values()) - set(FILE_FORMATS))
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    source: str
    title: str
    content: str
    type: str
    metadata: dict = field(default_factory=dict)  # kept on the document and each of its chunks (a citation's url)
    # What a connector needs to ask next time whether the source changed (an ETag, a blob
    # SHA): kept on the document only (Document.metadata["fetch"]), never on its chunks.
    fetch: dict = field(default_factory=dict)


class SourceError(Exception):
    """A source that could not be read; the message names it and says why."""


class Unchanged(Exception):  # noqa: N818 (not an error: the answer to "has it changed?")
    """Raised by a read when its source has not changed since the last run (an HTTP 304,
    the same blob SHA): the document is kept as stored, counted unchanged, never pruned."""

    def __init__(self, source: str):
        super().__init__(source)
        self.source = source


class _HtmlText(HTMLParser):
    _BLOCKS = {"p", "div", "li", "br", "tr", "section", "article", "ul", "ol", "table", "blockquote", "pre"}
    _SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456") or tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")

    def text(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        return "\n".join(lines).strip()


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML page."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.title.split()), parser.text()


def _flatten(value, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _flatten(item, f"{prefix}{key}: ")]
    if isinstance(value, list):
        return [line for item in value for line in _flatten(item, prefix)]
    return [f"{prefix}{value}"]


def _first_heading(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def parse(source: str, raw: str, kind: str, fallback_title: str) -> SourceDocument:
    """A document from already-read text of the given kind (a page's main content, without
    its navigation: knowledge.webpages)."""
    title = ""
    if kind == "html":
        from knowledge.webpages import main_content  # it reads pages with html_to_text's help

        title, content = main_content(raw)
    elif kind == "json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if (
            isinstance(data, dict)
            and isinstance(data.get("title"), str)
            and any(isinstance(data.get(k), str) for k in ("content", "body", "text"))
        ):
            title = data["title"]
            content = next(data[k] for k in ("content", "body", "text") if isinstance(data.get(k), str))
        else:
            content = "\n".join(_flatten(data))
    else:
        content = raw
        title = _first_heading(raw) if kind == "markdown" else ""
    return SourceDocument(source=source, title=(title or fallback_title)[:512], content=content, type=kind)


def read_document(
    source: str, data: bytes, kind: str, fallback_title: str, *, encoding: str | None = None, name: str | None = None
) -> SourceDocument:
    """A document from the bytes of a source of the given kind: a PDF or Word file read
    by its reader, any other kind decoded as text (UTF-8, or the `encoding` an HTTP
    response declared) and parsed. Whatever cannot be read is a SourceError naming the
    source, or `name` (a file's path as the operator gave it)."""
    name = name or source
    if len(data) > MAX_BYTES:
        raise SourceError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    reader = FILE_FORMATS.get(kind)
    if reader is not None:
        try:
            extracted = reader(data)
        except pdf_docx.Unreadable as exc:
            raise SourceError(f"{name}: {exc}") from None
        title = extracted.title or _first_heading(extracted.content) or fallback_title
        return SourceDocument(source=source, title=title[:512], content=extracted.content, type=kind)
    try:
        # A declared charset is decoded as browsers do (bad bytes replaced); a file must be UTF-8.
        text = data.decode(encoding, errors="replace") if encoding else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{name}: not UTF-8 text") from None
    except LookupError:
        raise SourceError(f"{name}: unknown text encoding {encoding!r}") from None
    return parse(source, text, kind, fallback_title)


def relative_source(path: Path, root: Path, prefix: str = "") -> str:
    """A file's source: its path under the folder it was ingested from, e.g.
    "policies/returns.md". The server's own paths never reach a citation."""
    return prefix + path.resolve().relative_to(root).as_posix()


def read_file(path: Path, *, root: Path, prefix: str = "") -> SourceDocument:
    """`path`, read as a document whose source is relative to `root` (a resolved folder
    holding it). A document with no title of its own is titled by that source."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(f"{path}: unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(EXTENSIONS))}")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    source = relative_source(path, root, prefix)
    return read_document(source, data, kind, source, name=str(path))


def walk_directory(root: Path) -> tuple[list[Path], list[Path]]:
    """The supported files under `root`, recursively, in a stable order, and the other files
    there, which are skipped (hidden folders and files are not looked at)."""
    files = sorted(
        path for path in root.rglob("*") if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )
    return [path for path in files if path.suffix.lower() in EXTENSIONS], [path for path in files if path.suffix.lower() not in EXTENSIONS]


def fetch_url(url: str, *, client: httpx.Client) -> SourceDocument:
    try:
        response = client.get(url, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: could not be fetched ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise SourceError(f"{url}: answered HTTP {response.status_code}")
    if len(response.content) > MAX_BYTES:
        raise SourceError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = CONTENT_TYPES.get(content_type)
    if kind is None:
        kind = EXTENSIONS.get(Path(httpx.URL(url).path).suffix.lower())
    if kind is None:
        raise SourceError(f"{url}: unsupported content type {content_type or '(none)'}")
    # httpx's encoding: the declared charset, else UTF-8 (what response.text decoded with).
    return read_document(url, response.content, kind, httpx.URL(url).host + httpx.URL(url).path, encoding=response.encoding)
