"""A connector's run (knowledge.connectors.ingest): what its listing and reads say becomes
documents, counts and errors; pruning only after a complete listing; the fetch state kept
on the document, never on its chunks."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest
from django.core.management import CommandError, call_command

from knowledge.connectors import Collection, ingest, known_fetch_state
from knowledge.models import Chunk, Document
from knowledge.sources import SourceDocument, SourceError, Unchanged

pytestmark = pytest.mark.django_db
ORG = "org-connectors"
KEY = "test:shelf"


def page(source: str, text: str, etag: str) -> SourceDocument:
    return SourceDocument(source=source, title=source, content=text, type="text", fetch={"etag": etag})


@dataclass
class Shelf:
    """A connector over a dict of sources: a document, Unchanged, or a SourceError."""

    pages: dict
    listing_errors: list = field(default_factory=list)
    complete: bool = True
    kind: str = "shelf"
    known: dict = field(default_factory=dict)

    def key(self, location, settings):
        return KEY

    def collect(self, location, settings, *, known, client):
        self.known = known

        def read(source, found):
            if isinstance(found, Exception):
                raise found
            return found

        items = [lambda source=source, found=found: read(source, found) for source, found in self.pages.items()]
        return Collection(KEY, items, len(items), list(self.listing_errors), self.complete, listed=list(self.pages))


def run(shelf: Shelf):
    with httpx.Client() as client:
        return ingest(shelf, "the shelf", {}, organization_id=ORG, client=client)


def test_reads_become_documents_and_counts_and_the_fetch_state_stays_off_the_chunks():
    report = run(Shelf({"a": page("a", "Returns take 30 days.", "e-a"), "b": SourceError("b: answered HTTP 500")}, ["index: timed out"]))
    assert (report.run.documents_seen, report.run.documents_added) == (2, 1)
    assert report.errors == ["index: timed out", "b: answered HTTP 500"]
    stored = Document.objects.get(organization_id=ORG, source="a")
    assert (stored.ingest_root, stored.metadata["fetch"]) == (KEY, {"etag": "e-a"})
    assert all("fetch" not in chunk.metadata for chunk in Chunk.objects.filter(document=stored))
    assert known_fetch_state(ORG, KEY) == {"a": {"etag": "e-a"}}


def test_an_unchanged_source_is_kept_and_counted_and_what_a_complete_listing_lost_is_pruned():
    run(Shelf({"a": page("a", "Returns take 30 days.", "e-a"), "gone": page("gone", "Old page.", "e-g")}))
    shelf = Shelf({"a": Unchanged("a")})
    report = run(shelf)
    assert shelf.known == {"a": {"etag": "e-a"}, "gone": {"etag": "e-g"}}  # what the connector asks with
    assert (report.run.documents_unchanged, report.run.documents_deleted) == (1, 1)
    assert list(Document.objects.filter(organization_id=ORG).values_list("source", flat=True)) == ["a"]


def test_a_listed_source_whose_read_fails_is_kept():
    run(Shelf({"a": page("a", "Returns take 30 days.", "e-a")}))
    report = run(Shelf({"a": SourceError("a: answered HTTP 500")}))
    assert (report.run.documents_deleted, report.errors) == (0, ["a: answered HTTP 500"])
    assert Document.objects.filter(organization_id=ORG, source="a").exists()


def test_an_incomplete_listing_prunes_nothing():
    run(Shelf({"a": page("a", "Returns take 30 days.", "e-a"), "b": page("b", "Shipping is free.", "e-b")}))
    report = run(Shelf({"a": Unchanged("a")}, ["sitemap-2.xml: answered HTTP 500"], complete=False))
    assert report.run.documents_deleted == 0 and report.errors == ["sitemap-2.xml: answered HTTP 500"]
    assert Document.objects.filter(organization_id=ORG).count() == 2


def test_a_new_fetch_state_with_the_same_content_is_kept():
    run(Shelf({"a": page("a", "Returns take 30 days.", "e-1")}))
    report = run(Shelf({"a": page("a", "Returns take 30 days.", "e-2")}))
    assert report.run.documents_unchanged == 1
    assert Document.objects.get(organization_id=ORG, source="a").metadata["fetch"] == {"etag": "e-2"}


def test_kb_ingest_with_nothing_to_read_says_so():
    with pytest.raises(CommandError, match="name at least one source"):
        call_command("kb_ingest")
