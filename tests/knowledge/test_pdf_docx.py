"""PDF and Word files: their text, headings and pages, read from files, folders, URLs, the
admin API and the Django admin; the page in a citation; unreadable files named while the
rest of a run is ingested; and retrieval on a labelled set that arrives as PDFs. Every file
is made here (tests/knowledge/files.py), none downloaded."""

import io
import json

import docx
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from chat.turns.citations import citation_from_result
from identity.access import AccessContext
from knowledge.chunking import chunk_text
from knowledge.models import Chunk, Document, IndexingRun
from knowledge.retrieval import SearchResult, search_blocking
from knowledge.services import ingest_document
from knowledge.sources import SourceError, read_document
from tests.httpserver import Reply
from tests.knowledge import files, quality
from tests.knowledge.labelled_set import DOCUMENTS, QUERIES
from tests.knowledge.sets import telecom

pytestmark = pytest.mark.django_db

RETURNS = """# Returns policy

Unused items can be returned within 17 days of delivery for a full refund. Start the return from your order page, print the label we email you and drop the parcel at any post office.

## Refund timing

Refunds are issued to the original payment method within 5 business days of the parcel reaching our warehouse.
\f
## Exchanges

To swap a size or colour, request an exchange from your order page; the replacement ships once the original is scanned by the carrier.

- Exchanges are free within the country.
- Sale items can be exchanged once.
\f
## Damaged items

Report an item that arrived damaged within 48 hours, with a photo of the damage, and we send a replacement at no cost.
"""
# What a reader keeps of RETURNS: the outline's headings, paragraphs whole (their wrapped
# lines joined), bullets as "- " items, pages apart, and not the footers' "Page N".
RETURNS_TEXT = (
    "# Returns policy\n\n"
    "Unused items can be returned within 17 days of delivery for a full refund. Start the return from your order page, "
    "print the label we email you and drop the parcel at any post office.\n\n"
    "## Refund timing\n\n"
    "Refunds are issued to the original payment method within 5 business days of the parcel reaching our warehouse.\n"
    "\f\n"
    "## Exchanges\n\n"
    "To swap a size or colour, request an exchange from your order page; the replacement ships once the original is "
    "scanned by the carrier.\n\n"
    "- Exchanges are free within the country.\n\n"
    "- Sale items can be exchanged once.\n"
    "\f\n"
    "## Damaged items\n\n"
    "Report an item that arrived damaged within 48 hours, with a photo of the damage, and we send a replacement at no cost."
)


def returns_pdf(**options) -> bytes:
    return files.markdown_to_pdf(RETURNS, **({"title": "Returns policy"} | options))


def ingest(*args) -> str:
    out = io.StringIO()
    call_command("kb_ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- reading -------------------------------------------------------------------------


def test_a_pdf_keeps_its_text_its_outline_headings_and_its_pages():
    document = read_document("returns.pdf", returns_pdf(), "pdf", "returns.pdf")
    assert (document.source, document.title, document.type) == ("returns.pdf", "Returns policy", "pdf")
    assert document.content == RETURNS_TEXT
    chunks = chunk_text(document.content)
    assert [(chunk.metadata["page"], chunk.metadata["headings"]) for chunk in chunks] == [
        (1, ["Returns policy"]),
        (1, ["Returns policy", "Refund timing"]),
        (2, ["Returns policy", "Exchanges"]),
        (3, ["Returns policy", "Damaged items"]),
    ]
    assert chunks[3].text == f"Returns policy > Damaged items\n{RETURNS_TEXT.rsplit(chr(10), 1)[1]}"


def test_a_pdf_without_an_outline_gets_no_headings_and_is_titled_by_its_name():
    document = read_document("returns.pdf", returns_pdf(title=None, outline=False), "pdf", "returns.pdf")
    # reportlab's default Info title, "untitled", says nothing: the name given is the title
    assert document.title == "returns.pdf"
    assert document.content == RETURNS_TEXT.replace("## ", "").replace("# ", "")
    # one section, packed to size: page 3's paragraph joins the chunk that starts on page 2
    assert [chunk.metadata for chunk in chunk_text(document.content)] == [{"page": 1}, {"page": 2}]


def test_an_outline_entry_takes_the_line_that_says_it_or_opens_its_page():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number, (bookmark, lines) in enumerate(
        [
            ("Delivery", ["1. Delivery", "Parcels ship within two days.", "Tracking links arrive by email."]),
            ("Customs", ["Duties are paid by the recipient on arrival."]),
        ]
    ):
        for row, line in enumerate(lines):
            canvas.drawString(72, 760 - 20 * row, line)
        canvas.bookmarkPage(f"p{number}")
        canvas.addOutlineEntry(bookmark, f"p{number}", 0)
        canvas.showPage()
    canvas.save()
    document = read_document("shipping.pdf", out.getvalue(), "pdf", "shipping.pdf")
    # "1. Delivery" is the line of "Delivery" (its numbering aside); no line says "Customs": it opens page 2
    assert document.content == (
        "# Delivery\n\nParcels ship within two days.\n\nTracking links arrive by email.\n\f\n"
        "# Customs\n\nDuties are paid by the recipient on arrival."
    )
    assert document.title == "Delivery"


def test_running_headers_footers_and_page_numbers_are_left_out_and_chapters_are_not():
    files.register_fonts()  # Vera has the ligature's glyph
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, 5):
        canvas.setFont("Vera", 11)
        lines = ["Acme returns guide", f"Chapter {number + 1}", f"The \ufb01rst rule of chapter {number + 1}.", f"- {number} -"]
        for row, line in enumerate(lines):
            canvas.drawString(72, 760 - 20 * row, line)
        canvas.showPage()
    canvas.save()
    document = read_document("guide.pdf", out.getvalue(), "pdf", "guide.pdf")
    # the ligature "\ufb01" is read as "fi", so "first" is found as typed
    assert document.content.split("\n\f\n") == [f"Chapter {n}\n\nThe first rule of chapter {n}." for n in range(2, 6)]


def test_a_word_file_keeps_its_headings_lists_and_tables():
    markdown = RETURNS.replace("\f\n", "") + "\n| Item | Window |\n| --- | --- |\n| Shoes | 30 days |\n| Tents | 17 days |\n"
    document = read_document("returns.docx", files.markdown_to_docx(markdown, title_style=True), "docx", "returns")
    assert (document.title, document.type) == ("Returns policy", "docx")
    assert [line for line in document.content.splitlines() if line.startswith("#")] == [
        "# Returns policy",  # the Title paragraph
        "## Refund timing",  # Heading 1, one level under the title
        "## Exchanges",
        "## Damaged items",
    ]
    assert "\n\n- Exchanges are free within the country.\n\n- Sale items can be exchanged once.\n\n" in document.content
    assert document.content.endswith("\n\n| Item | Window |\n| --- | --- |\n| Shoes | 30 days |\n| Tents | 17 days |")
    assert "\f" not in document.content  # a Word file has no pages until it is laid out
    assert all("page" not in chunk.metadata for chunk in chunk_text(document.content))


def test_a_word_files_own_title_and_plain_heading_levels():
    document = read_document("r.docx", files.markdown_to_docx("# Returns\n\nWithin 17 days.", title="Returns policy"), "docx", "r")
    assert (document.title, document.content) == ("Returns policy", "# Returns\n\nWithin 17 days.")


def test_a_word_files_content_controls_are_read_and_its_table_of_contents_is_not():
    word = docx.Document()
    word.add_paragraph("Returns", style="Title")
    contents = f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
    control = f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Policy"/></w:sdtPr>'
    paragraph = "<w:sdtContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    word.element.body.insert(1, parse_xml(contents + paragraph.format("Refund timing ........ 2")))
    word.element.body.insert(2, parse_xml(control + paragraph.format("Returns are accepted within 17 days.")))
    word.add_heading("Refund timing", 1)
    word.add_paragraph("Refunds take 5 days.")
    out = io.BytesIO()
    word.save(out)
    document = read_document("r.docx", out.getvalue(), "docx", "r")
    assert document.content == "# Returns\n\nReturns are accepted within 17 days.\n\n## Refund timing\n\nRefunds take 5 days."


def test_body_text_that_looks_like_markdown_stays_body_text():
    word = docx.Document()
    word.add_paragraph("Rated by our customers:")
    word.add_paragraph("# 1 in customer service")
    out = io.BytesIO()
    word.save(out)
    document = read_document("n.docx", out.getvalue(), "docx", "n")
    assert (document.title, document.content) == ("n", "Rated by our customers:\n\n\\# 1 in customer service")
    assert [chunk.metadata for chunk in chunk_text(document.content)] == [{}]  # no heading


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("locked.pdf", lambda: files.encrypted(returns_pdf(), user_password="secret"), "encrypted: it needs a password to open"),
        ("scan.pdf", files.image_only_pdf, "no extractable text (a scanned or image-only PDF needs OCR first)"),
        ("broken.pdf", lambda: returns_pdf()[:400], "not a readable PDF (PdfStreamError)"),
        ("empty.pdf", lambda: b"", "not a readable PDF (EmptyFileError)"),
        ("broken.docx", lambda: b"PK\x03\x04 not really a zip", "not a readable Word file (BadZipFile)"),
        (
            "locked.docx",
            lambda: b"\xd0\xcf\x11\xe0" + bytes(60),
            "encrypted, or an old Word (.doc) file: save it as .docx without a password",
        ),
        ("empty.docx", lambda: files.markdown_to_docx(""), "no extractable text"),
    ],
)
def test_an_unreadable_file_is_a_source_error_naming_it_and_why(name, data, reason):
    with pytest.raises(SourceError) as raised:
        read_document(f"help/{name}", data(), name.rsplit(".", 1)[1], name)
    assert str(raised.value) == f"help/{name}: {reason}"


def test_a_pdf_with_only_an_owner_password_is_read():
    document = read_document("returns.pdf", files.encrypted(returns_pdf(), user_password=""), "pdf", "returns.pdf")
    assert document.content == RETURNS_TEXT


# --- pages: the chunker and the citation --------------------------------------------


def test_a_chunk_knows_the_page_its_own_text_starts_on():
    page_one = " ".join(f"Sentence {n} is about the refund window." for n in range(12))
    page_two = " ".join(f"Page two line {n} tells of exchanges." for n in range(12))
    chunks = chunk_text(f"# Refunds\n\n{page_one}\n\f\n{page_two}\n\f\n\f\nPage four.")
    assert [(chunk.metadata["page"], chunk.text.split("\n")[1][:40]) for chunk in chunks] == [
        (1, "Sentence 0 is about the refund window. S"),
        (1, "window. Sentence 7 is about the refund w"),
        # the words carried over from page 1 repeat the chunk before: this one's own text is on page 2
        (2, "window. Sentence 11 is about the refund "),
        (2, "of exchanges. Page two line 8 tells of e"),
    ]
    assert chunks[-1].text.endswith("\n\nPage four.")  # page 4 (3 is blank) joins a chunk that starts on page 2
    assert all(chunk.metadata["headings"] == ["Refunds"] for chunk in chunks)
    assert "page" not in chunk_text(f"# Refunds\n\n{page_one}")[0].metadata  # no form feed, no pages


def result(metadata: dict, url: str | None = None) -> SearchResult:
    return SearchResult("d", 1, "Returns policy > Exchanges\nSwap a size.", 0.8, "returns.pdf", "Returns policy", url, metadata)


def test_a_citation_of_a_paged_passage_names_its_page_in_the_title_and_the_url():
    headings = {"headings": ["Returns policy", "Exchanges"]}
    assert citation_from_result(result({**headings, "page": 4})).as_event() == {
        "id": "returns.pdf",
        "title": "Returns policy, page 4",
        "snippet": "Swap a size.",
        "score": 0.8,
    }
    with_url = citation_from_result(result({**headings, "page": 4}, "https://help.example.com/returns.pdf")).as_event()
    assert (with_url["title"], with_url["url"]) == ("Returns policy, page 4", "https://help.example.com/returns.pdf#page=4")
    # a URL with a fragment of its own keeps it; a passage without a page is cited as before
    assert citation_from_result(result({"page": 2}, "https://x.test/a.pdf#view=fit")).url == "https://x.test/a.pdf#view=fit"
    assert citation_from_result(result(headings, "https://x.test/a.html")).as_event()["title"] == "Returns policy"
    assert citation_from_result(result(headings, "https://x.test/a.html")).url == "https://x.test/a.html"


# --- through kb_ingest, URLs, the admin API and the Django admin -------------------------


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "returns.pdf").write_bytes(returns_pdf())
    (tmp_path / "policies" / "warranty.docx").write_bytes(
        files.markdown_to_docx("# Warranty\n\nAll gear has a two-year warranty against manufacturing defects.")
    )
    (tmp_path / "hours.md").write_text("# Opening hours\n\nThe shop opens at nine.")
    (tmp_path / "locked.pdf").write_bytes(files.encrypted(returns_pdf(), user_password="secret"))
    (tmp_path / "scan.pdf").write_bytes(files.image_only_pdf())
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return tmp_path


def test_a_folder_run_names_each_unreadable_file_and_ingests_the_rest(folder):
    with pytest.raises(CommandError) as raised:
        ingest(str(folder), "--org", "acme")
    failures = [
        f"{folder / 'broken.docx'}: not a readable Word file (BadZipFile)",
        f"{folder / 'locked.pdf'}: encrypted: it needs a password to open",
        f"{folder / 'scan.pdf'}: no extractable text (a scanned or image-only PDF needs OCR first)",
    ]
    assert str(raised.value) == "3 source(s) failed (the rest were ingested):\n" + "\n".join(failures)
    documents = {document.source: document for document in Document.objects.filter(organization_id="acme")}
    assert set(documents) == {"policies/returns.pdf", "policies/warranty.docx", "hours.md"}
    assert (documents["policies/returns.pdf"].type, documents["policies/returns.pdf"].title) == ("pdf", "Returns policy")
    assert (documents["policies/warranty.docx"].type, documents["policies/warranty.docx"].title) == ("docx", "Warranty")
    run = IndexingRun.objects.get(organization_id="acme")
    assert (run.status, run.documents_seen, run.documents_added, run.error) == ("failed", 6, 3, "\n".join(failures))
    pages = Chunk.objects.filter(document=documents["policies/returns.pdf"]).order_by("position").values_list("metadata", flat=True)
    assert [metadata["page"] for metadata in pages] == [1, 1, 2, 3]
    found = search_blocking("how soon must I report a damaged item", AccessContext.anonymous("acme"), limit=1)
    assert [(hit.source, hit.metadata["page"]) for hit in found] == [("policies/returns.pdf", 3)]
    assert citation_from_result(found[0]).title == "Returns policy, page 3"


def test_pdf_and_word_urls_are_read_by_their_content_type_and_cited_with_their_page(http_server):
    http_server.routes["/files/returns"] = Reply(200, returns_pdf(), "application/pdf")
    http_server.routes["/files/warranty"] = Reply(
        200,
        files.markdown_to_docx("# Warranty\n\nTwo years against manufacturing defects."),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    ingest(f"{http_server.url}/files/returns", f"{http_server.url}/files/warranty")
    assert dict(Document.objects.values_list("source", "type")) == {
        f"{http_server.url}/files/returns": "pdf",
        f"{http_server.url}/files/warranty": "docx",
    }
    (hit,) = search_blocking("exchange a sale item", AccessContext.anonymous("default"), limit=1)
    citation = citation_from_result(hit)
    assert (citation.title, citation.url) == ("Returns policy, page 2", f"{http_server.url}/files/returns#page=2")


@pytest.fixture
def api(client, jwt_hs256):
    from tests.adminapi.test_read_endpoints import token

    def upload(name: str, data: bytes, **fields):
        body = {"file": SimpleUploadedFile(name, data), **fields}
        return client.post("/api/v1/documents", body, HTTP_AUTHORIZATION=f"Bearer {token(role='curator')}")

    return upload


def test_the_admin_api_takes_pdf_and_word_uploads(api):
    response = api("returns.pdf", returns_pdf(), documentSets=["policies"])
    assert response.status_code == 201, response.json()
    document = response.json()["document"]
    assert (document["source"], document["type"], document["title"], document["chunkCount"]) == (
        "upload/returns.pdf",
        "pdf",
        "Returns policy",
        4,
    )
    stored = Document.objects.get(source="upload/returns.pdf")
    assert [chunk.metadata["page"] for chunk in stored.chunks.order_by("position")] == [1, 1, 2, 3]
    word = api("warranty.docx", files.markdown_to_docx("# Warranty\n\nTwo years."), title="Our warranty").json()["document"]
    assert (word["type"], word["title"]) == ("docx", "Our warranty")
    assert api("returns.pdf", returns_pdf()).json()["outcome"] == "unchanged"


def test_the_admin_api_refuses_an_encrypted_pdf_by_name(api):
    response = api("locked.pdf", files.encrypted(returns_pdf(), user_password="secret"))
    assert response.status_code == 400
    assert response.json()["details"] == {"file": ["upload/locked.pdf: encrypted: it needs a password to open"]}
    assert not Document.objects.exists()


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_the_django_admin_uploads_a_pdf_with_its_sets_and_access(superuser_client):
    changelist = superuser_client.get(reverse("admin:knowledge_document_changelist"))
    assert reverse("admin:knowledge_document_upload") in changelist.text
    response = superuser_client.post(
        reverse("admin:knowledge_document_upload"),
        {
            "file": SimpleUploadedFile("returns.pdf", returns_pdf()),
            "organization_id": "acme",
            "source": "policies/returns.pdf",
            "document_sets": "policies, staff",
            "access": json.dumps({"groups": ["support"]}),
        },
    )
    document = Document.objects.get(organization_id="acme", source="policies/returns.pdf")
    assert response.status_code == 302 and response.url == reverse("admin:knowledge_document_change", args=[document.pk])
    assert (document.type, document.title, document.access["groups"]) == ("pdf", "Returns policy", ["support"])
    assert sorted(document.document_sets.values_list("name", flat=True)) == ["policies", "staff"]
    assert [chunk.metadata["page"] for chunk in document.chunks.order_by("position")] == [1, 1, 2, 3]
    assert search_blocking("damaged item", AccessContext.anonymous("acme")) == []
    assert search_blocking("damaged item", AccessContext("acme", groups=frozenset({"support"})), limit=1)[0].metadata["page"] == 3
    assert "Document policies/returns.pdf: added, 4 passage(s)." in superuser_client.get(response.url).text


def test_the_django_admin_shows_why_a_file_was_refused(superuser_client):
    response = superuser_client.post(
        reverse("admin:knowledge_document_upload"),
        {"file": SimpleUploadedFile("scan.pdf", files.image_only_pdf()), "organization_id": "acme"},
    )
    assert response.status_code == 200
    assert "upload/scan.pdf: no extractable text (a scanned or image-only PDF needs OCR first)" in response.text
    response = superuser_client.post(
        reverse("admin:knowledge_document_upload"), {"file": SimpleUploadedFile("diagram.png", b"\x89PNG"), "organization_id": "acme"}
    )
    assert "Unsupported file type; supported: .docx, .htm, .html, .json, .markdown, .md, .pdf, .txt." in response.text
    assert not Document.objects.exists()


def test_the_django_admin_upload_is_for_staff_who_may_add_documents_in_their_own_organisations(client, django_user_model):
    staff = django_user_model.objects.create_user("kim", "kim@example.com", "pw", is_staff=True)
    staff.groups.add(Group.objects.create(name="org:acme"))
    client.force_login(staff)
    assert client.get(reverse("admin:knowledge_document_upload")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_document"), Permission.objects.get(codename="view_document"))
    assert "Upload a file" in client.get(reverse("admin:knowledge_document_changelist")).text
    upload = reverse("admin:knowledge_document_upload")
    refused = client.post(upload, {"file": SimpleUploadedFile("returns.pdf", returns_pdf()), "organization_id": "globex"})
    assert "Select a valid choice. globex is not one of the available choices." in refused.text
    assert not Document.objects.exists()
    client.post(upload, {"file": SimpleUploadedFile("returns.pdf", returns_pdf()), "organization_id": "acme"})
    assert list(Document.objects.values_list("organization_id", "source")) == [("acme", "upload/returns.pdf")]


# --- retrieval quality ---------------------------------------------------------------


def test_the_small_labelled_set_as_pdfs_keeps_recall_at_3_of_at_least_0_9(capsys):
    for name, content in DOCUMENTS.items():
        document = read_document(f"help/{name}.pdf", files.markdown_to_pdf(content), "pdf", f"{name}.pdf")
        ingest_document(organization_id="shop", document=document, document_sets=[], access=None)
    hits, misses = 0, []
    for query, expected in QUERIES:
        ranked = [hit.source for hit in search_blocking(query, AccessContext.anonymous("shop"), limit=3, min_score=0.0)]
        hits += f"help/{expected}.pdf" in ranked
        if f"help/{expected}.pdf" not in ranked:
            misses.append(f"{query!r} -> {ranked}")
    with capsys.disabled():
        print(f"\n[retrieval, documents as PDF] recall@3={hits / len(QUERIES):.2f} misses={misses}")
    assert hits / len(QUERIES) >= 0.9, misses


def test_a_labelled_help_centre_as_pdfs_keeps_the_figures_it_has_as_text(capsys):
    # Measured (bench/retrieval_quality.py --set telecom [--as pdf]): recall@3 0.96 as text
    # and as PDF; held at the text's floors (tests/knowledge/test_retrieval_quality.py).
    quality.load(telecom, "quality-telecom-pdf", "pdf")
    rates = quality.evaluate(telecom, "quality-telecom-pdf")["all"].rates()
    with capsys.disabled():
        print("\n[telecom as PDF] " + " ".join(f"{key}={value:.2f}" for key, value in rates.items()))
    assert rates["recall@1"] >= 0.77 and rates["recall@3"] >= 0.92 and rates["MRR"] >= 0.84 and rates["fact"] >= 0.8


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_pdf_or_word_document_is_a_type_the_admin_can_save(kind):
    Document._meta.get_field("type").clean(kind, None)  # a choice: its admin page saves
