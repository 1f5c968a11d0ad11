import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from identity.access import AccessContext
from knowledge.models import Chunk, Document, DocumentSet, IndexingRun
from tests.httpserver import Reply
from tests.knowledge.kb import found_sources

pytestmark = pytest.mark.django_db


def ingest(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("kb_ingest", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "returns.md").write_text("# Returns\n\nReturns are accepted within 17 days.")
    (tmp_path / "faq" / "hours.txt").write_text("The shop opens at nine and closes at six.")
    (tmp_path / "faq" / "page.html").write_text(
        "<html><head><title>Gift cards</title><style>p{}</style></head><body><h2>Expiry</h2><p>Gift cards never expire.</p>"
        "<script>track()</script></body></html>"
    )
    (tmp_path / "faq" / "points.json").write_text('{"title": "Loyalty points", "content": "One point per dollar spent."}')
    (tmp_path / "diagram.png").write_bytes(b"\x89PNG")  # unsupported: not picked up from a directory
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.md").write_text("hidden")
    return tmp_path


def last_run() -> IndexingRun:
    return IndexingRun.objects.order_by("-started_at").first()


def test_a_directory_is_ingested_recursively_with_each_supported_type(folder):
    ingest(str(folder), "--org", "acme", "--set", "help")
    documents = {d.source: d for d in Document.objects.filter(organization_id="acme")}
    # Sources are relative to the folder given: the server's own paths never reach a citation.
    assert set(documents) == {"returns.md", "faq/hours.txt", "faq/page.html", "faq/points.json"}
    assert {d.ingest_root for d in documents.values()} == {str(folder.resolve())}
    assert documents["faq/hours.txt"].title == "faq/hours.txt"  # no heading: titled by its source
    assert documents["faq/page.html"].title == "Gift cards"
    assert "track()" not in documents["faq/page.html"].content and "p{}" not in documents["faq/page.html"].content
    assert documents["faq/points.json"].title == "Loyalty points"
    assert documents["returns.md"].title == "Returns"
    assert DocumentSet.objects.get(organization_id="acme", name="help").documents.count() == 4
    run = last_run()
    assert (run.status, run.documents_seen, run.documents_added, run.organization_id) == ("succeeded", 4, 4, "acme")
    assert found_sources("when does the shop open", AccessContext.anonymous("acme"), limit=1) == ["faq/hours.txt"]


def test_a_second_run_finds_everything_unchanged(folder):
    ingest(str(folder))
    chunk_ids = set(Chunk.objects.values_list("id", flat=True))
    output = ingest(str(folder))
    assert "4 seen, 0 added, 0 updated, 4 unchanged, 0 deleted" in output
    assert set(Chunk.objects.values_list("id", flat=True)) == chunk_ids


def test_changed_content_replaces_its_chunks(folder):
    ingest(str(folder))
    (folder / "returns.md").write_text("# Returns\n\nReturns are accepted within 30 days now.")
    output = ingest(str(folder))
    assert "1 updated, 3 unchanged" in output
    document = Document.objects.get(source="returns.md")
    assert [chunk.text for chunk in document.chunks.all()] == ["Returns\nReturns are accepted within 30 days now."]
    assert not Chunk.objects.filter(text__contains="17 days").exists()


def test_prune_removes_documents_whose_files_are_gone_and_only_when_asked(folder):
    ingest(str(folder))
    (folder / "faq" / "hours.txt").unlink()
    assert "0 deleted" in ingest(str(folder))
    assert Document.objects.count() == 4
    assert "1 deleted" in ingest(str(folder), "--prune")
    assert Document.objects.count() == 3
    assert last_run().documents_deleted == 1
    assert found_sources("when does the shop open", AccessContext.anonymous("default"), limit=3) == [] or all(
        not source.endswith("hours.txt") for source in found_sources("when does the shop open", AccessContext.anonymous("default"))
    )


def test_prune_touches_only_documents_of_the_same_folder(folder, tmp_path_factory, http_server):
    other = tmp_path_factory.mktemp("other")
    (other / "elsewhere.md").write_text("# Elsewhere\n\nAnother folder's page.")
    http_server.routes["/page.txt"] = Reply(200, "A web page.")
    ingest(str(folder))
    ingest(str(other))
    ingest(f"{http_server.url}/page.txt")
    (folder / "returns.md").unlink()
    assert "1 deleted" in ingest(str(folder), "--prune")
    assert sorted(Document.objects.values_list("source", flat=True)) == sorted(
        ["faq/hours.txt", "faq/page.html", "faq/points.json", "elsewhere.md", f"{http_server.url}/page.txt"]
    )


def test_a_single_file_is_named_by_its_file_name_and_a_prefix_goes_before_every_source(folder):
    ingest(str(folder / "faq" / "hours.txt"))
    ingest(str(folder / "faq"), "--prefix", "help/")
    assert sorted(Document.objects.values_list("source", flat=True)) == [
        "help/hours.txt",
        "help/page.html",
        "help/points.json",
        "hours.txt",
    ]


def test_a_failure_mid_run_exits_non_zero_and_keeps_the_rest(folder):
    (folder / "faq" / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CommandError, match=r"(?s)1 source\(s\) failed .*broken.md: not UTF-8 text"):
        ingest(str(folder))
    assert Document.objects.count() == 4
    run = last_run()
    assert (run.status, run.documents_seen, run.documents_added) == ("failed", 5, 4)
    assert "broken.md: not UTF-8 text" in run.error
    assert run.finished_at is not None


def test_a_missing_path_and_an_unsupported_file_are_clear_errors(folder):
    with pytest.raises(CommandError, match="nope: no such file or directory"):
        ingest(str(folder / "nope"))
    with pytest.raises(CommandError, match="unsupported file type .png"):
        ingest(str(folder / "diagram.png"))


def test_access_options_restrict_the_documents(folder):
    ingest(str(folder / "returns.md"), "--group", "staff")
    document = Document.objects.get()
    assert document.access == {"public": False, "users": [], "groups": ["staff"]}
    assert found_sources("returns accepted", AccessContext.anonymous("default")) == []
    assert found_sources("returns accepted", AccessContext("default", groups=frozenset({"staff"}))) == [document.source]
    ingest(str(folder / "returns.md"))  # no access option: the stored list is kept
    assert Document.objects.get().access["groups"] == ["staff"]
    ingest(str(folder / "returns.md"), "--org-wide")
    assert Document.objects.get().access is None


def test_the_same_source_in_two_organisations_is_two_documents(folder):
    ingest(str(folder / "returns.md"), "--org", "a")
    ingest(str(folder / "returns.md"), "--org", "b")
    assert sorted(Document.objects.values_list("organization_id", flat=True)) == ["a", "b"]
    assert IndexingRun.objects.filter(organization_id="a").count() == 1


def test_urls_are_fetched_over_http(http_server):
    http_server.routes["/help/returns"] = Reply(
        200, "<html><title>Returns help</title><p>Send it back within 17 days.</p></html>", "text/html"
    )
    http_server.routes["/data.json"] = Reply(200, {"title": "Data", "body": "JSON body text."})
    ingest(f"{http_server.url}/help/returns", f"{http_server.url}/data.json")
    page = Document.objects.get(source=f"{http_server.url}/help/returns")
    assert (page.title, page.type, page.url) == ("Returns help", "html", page.source)
    result = found_sources("send it back", AccessContext.anonymous("default"), limit=1)
    assert result == [page.source]


@pytest.mark.parametrize("status", [404, 500])
def test_a_failing_url_exits_non_zero_and_keeps_what_was_ingested(http_server, status):
    http_server.routes["/ok.txt"] = Reply(200, "Fine content.")
    http_server.routes["/bad"] = Reply(status, "nope")
    with pytest.raises(CommandError, match=f"/bad: answered HTTP {status}"):
        ingest(f"{http_server.url}/ok.txt", f"{http_server.url}/bad")
    assert Document.objects.filter(source=f"{http_server.url}/ok.txt").exists()


def test_an_unreachable_url_is_a_clear_error():
    with pytest.raises(CommandError, match="could not be fetched"):
        ingest("http://127.0.0.1:1/page.html")


def ingest_with_warnings(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("kb_ingest", *args, stdout=out, stderr=err)
    return err.getvalue()


def test_a_skipped_file_an_empty_folder_and_a_new_organisation_are_warned_of_by_name(folder, tmp_path_factory):
    warnings = ingest_with_warnings(str(folder))
    assert f"warning: {folder / 'diagram.png'}: skipped, not a supported file type" in warnings
    assert "secret.md" not in warnings  # hidden files are not looked at
    empty = tmp_path_factory.mktemp("empty")
    warnings = ingest_with_warnings("--org", "acmee", str(empty))
    assert f"warning: {empty}: no supported files found, nothing to ingest" in warnings
    assert "warning: organisation 'acmee' has no documents yet" in warnings
    assert "organisation" not in ingest_with_warnings(str(folder))  # the default organisation, and one with documents
