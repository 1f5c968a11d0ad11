"""Helpers that put documents into the knowledge base for tests."""

from __future__ import annotations

import uuid

from identity.access import AccessContext
from knowledge.dense import readable_documents
from knowledge.models import Document
from knowledge.retrieval import search_blocking
from knowledge.services import KEEP, ingest_document
from knowledge.sources import SourceDocument


def add(org: str, source: str, content: str, *, title: str | None = None, access=KEEP, sets=()) -> Document:
    ingest_document(
        organization_id=org,
        document=SourceDocument(source=source, title=title or source, content=content, type="markdown"),
        document_sets=list(sets),
        access=access,
    )
    return Document.objects.get(organization_id=org, source=source)


def visible_sources(access: AccessContext) -> set[str]:
    # Raw ids are hex strings on SQLite and UUIDs on PostgreSQL; both parse.
    ids = [uuid.UUID(str(key)) for key in readable_documents(access=access, document_sets=None)]
    return set(Document.objects.filter(id__in=ids).values_list("source", flat=True))


def found_sources(query: str, access: AccessContext, limit: int = 3, **kwargs) -> list[str]:
    return [result.source for result in search_blocking(query, access, limit=limit, **kwargs)]
