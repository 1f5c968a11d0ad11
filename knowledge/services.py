"""Writes of the knowledge base: ingesting and deleting documents, and indexing runs.

Ingestion is idempotent by organisation + source + content hash: unchanged
content is skipped, changed content replaces its chunks. Every change to an
organisation's chunks bumps its IndexVersion in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from knowledge.access import apply_access, normalize_access
from knowledge.chunking import chunk_text
from knowledge.embeddings import Embedder, get_embedder, to_bytes
from knowledge.models import Chunk, Document, DocumentSet, IndexingRun, IndexVersion
from knowledge.sources import SourceDocument, SourceError, Unchanged
from knowledge.text import passage_for_embedding

KEEP = object()  # "leave the stored access list as it is"


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def bump_index_version(organization_id: str) -> None:
    IndexVersion.objects.get_or_create(organization_id=organization_id)
    IndexVersion.objects.filter(organization_id=organization_id).update(version=F("version") + 1)


def document_sets_named(organization_id: str, names: Iterable[str]) -> list[DocumentSet]:
    return [DocumentSet.objects.get_or_create(organization_id=organization_id, name=name)[0] for name in names]


def ingest_document(
    *,
    organization_id: str,
    document: SourceDocument,
    document_sets: Sequence[str] = (),
    access=KEEP,
    embedder: Embedder | None = None,
    ingest_root: str = "",
) -> Outcome:
    """Store one document and its chunks (all or nothing); returns what happened.
    `ingest_root` is the server folder a file came from (for --prune), blank otherwise."""
    if access is not KEEP:
        access = normalize_access(access)
    digest = content_hash(document.content)
    existing = Document.objects.filter(organization_id=organization_id, source=document.source).first()
    prepared = None
    if existing is None or existing.content_hash != digest or existing.title != document.title:
        # Embedding may call the gateway: do it before the transaction opens.
        prepared = _prepare_chunks(document, embedder)

    with transaction.atomic():
        stored = Document.objects.select_for_update().filter(organization_id=organization_id, source=document.source).first()
        if stored is not None and stored.content_hash == digest and stored.title == document.title:
            outcome = Outcome.UNCHANGED
        else:
            outcome = Outcome.ADDED if stored is None else Outcome.UPDATED
            if stored is None:
                stored = Document(organization_id=organization_id, source=document.source)
            stored.title, stored.content, stored.content_hash = document.title, document.content, digest
            stored.type, stored.metadata = document.type, _with_fetch(document.metadata, document)
            stored.save()
            stored.chunks.all().delete()
            # Another writer may have changed the document since the check above.
            drafts, vectors, model_name = prepared or _prepare_chunks(document, embedder)
            Chunk.objects.bulk_create(
                [
                    Chunk(
                        document=stored,
                        organization_id=organization_id,
                        position=draft.position,
                        text=draft.text,
                        embedding=to_bytes(vector),
                        embedding_model=model_name,
                        embedding_dimensions=len(vector),
                        metadata=draft.metadata,
                    )
                    for draft, vector in zip(drafts, vectors)
                ]
            )
            bump_index_version(organization_id)
        # Unchanged content may still come from another folder, or with a new ETag.
        kept = {"ingest_root": ingest_root, "metadata": _with_fetch(stored.metadata, document)}
        changed = [name for name, value in kept.items() if getattr(stored, name) != value]
        if changed:
            for name in changed:
                setattr(stored, name, kept[name])
            stored.save(update_fields=changed)
        if document_sets:
            stored.document_sets.add(*document_sets_named(organization_id, document_sets))
        if access is not KEEP and (outcome != Outcome.UNCHANGED or stored.access != access):
            apply_access(stored, access)
    return outcome


def _with_fetch(metadata: dict, document: SourceDocument) -> dict:
    """The document's metadata with what its connector asks next time (`fetch`) beside it."""
    kept = {key: value for key, value in (metadata or {}).items() if key != "fetch"}
    return {**kept, "fetch": document.fetch} if document.fetch else kept


def _prepare_chunks(document: SourceDocument, embedder: Embedder | None):
    """The document's chunks and their vectors, embedded in one batch, and the model's name."""
    embedder = embedder or get_embedder()
    drafts = chunk_text(document.content, metadata={**document.metadata, "source": document.source, "title": document.title})
    vectors: Any = embedder.embed_passages([passage_for_embedding(draft.text, draft.metadata) for draft in drafts]) if drafts else []
    return drafts, vectors, embedder.name


@dataclass
class ReembedProgress:
    done: int
    total: int


def stale_chunks(organization_id: str | None = None):
    """Chunks whose vector another model made (or none did)."""
    chunks = Chunk.objects.exclude(embedding_model=get_embedder().name)
    return chunks.filter(organization_id=organization_id) if organization_id else chunks


def reembed(*, organization_id: str | None = None, batch_size: int = 64, progress: Callable[[ReembedProgress], None] | None = None) -> int:
    """Embed again, with the current model, every chunk another model embedded; returns
    how many. Each batch is committed on its own with its organisations' index versions
    bumped, so a run stopped half-way keeps what it did and the next one resumes."""
    embedder = get_embedder()
    total, done = stale_chunks(organization_id).count(), 0
    while True:
        batch = list(stale_chunks(organization_id).select_related("document").order_by("id")[:batch_size])
        if not batch:
            return done
        vectors = embedder.embed_passages(
            [passage_for_embedding(chunk.text, {**chunk.metadata, "title": chunk.document.title}) for chunk in batch]
        )
        with transaction.atomic():
            for chunk, vector in zip(batch, vectors):
                # Only if the chunk is still as read: a re-ingestion meanwhile replaced it.
                Chunk.objects.filter(id=chunk.id, text=chunk.text).update(
                    embedding=to_bytes(vector), embedding_model=embedder.name, embedding_dimensions=len(vector)
                )
            for organization in {chunk.organization_id for chunk in batch}:
                bump_index_version(organization)
        done += len(batch)
        if progress:
            progress(ReembedProgress(done, max(total, done)))


@transaction.atomic
def delete_documents(documents) -> int:
    """Delete documents (a queryset) with their chunks; returns how many."""
    organizations = set(documents.values_list("organization_id", flat=True))
    count = documents.count()
    documents.delete()
    for organization_id in organizations:
        bump_index_version(organization_id)
    return count


@dataclass
class RunReport:
    run: IndexingRun
    errors: list[str] = field(default_factory=list)


def run_ingestion(
    *,
    organization_id: str,
    label: str,
    items: Iterable[Callable[[], SourceDocument]],
    total: int | None = None,
    document_sets: Sequence[str] = (),
    access=KEEP,
    ingest_root: str = "",
    prune: bool = False,
    seen_sources: Iterable[str] = (),
    progress: Callable[[int, int | None], None] | None = None,
    errors: Iterable[str] = (),
    knowledge_source=None,
) -> RunReport:
    """Ingest each item (a callable that reads one source), recording an IndexingRun.

    A source that fails is reported and the run goes on: what was ingested
    before (and after) it stays; one whose read raises Unchanged is kept as stored.
    With `prune`, documents of the organisation ingested from the same `ingest_root`
    (a folder, or a connector's collection) that this run did not see are deleted;
    `seen_sources` are the ones to keep even if reading them failed. `errors` are
    failures found before the run (a connector's listing), reported with its own.
    `knowledge_source`: the KnowledgeSource the run is of (kb_sync's), if any.
    """
    run = IndexingRun.objects.create(organization_id=organization_id, source=label, knowledge_source=knowledge_source)
    report = RunReport(run, list(errors))
    embedder = get_embedder()
    seen = set(seen_sources)
    try:
        for index, read in enumerate(items):
            run.documents_seen += 1
            try:
                document = read()
                seen.add(document.source)
                outcome = ingest_document(
                    organization_id=organization_id,
                    document=document,
                    document_sets=document_sets,
                    access=access,
                    embedder=embedder,
                    ingest_root=ingest_root,
                )
                field_name = f"documents_{outcome.value}"
                setattr(run, field_name, getattr(run, field_name) + 1)
            except Unchanged as unchanged:
                seen.add(unchanged.source)
                run.documents_unchanged += 1
            except SourceError as exc:
                report.errors.append(str(exc))
            run.cursor = str(index + 1)
            if progress:
                progress(index + 1, total)
        if prune and ingest_root:
            stale = Document.objects.filter(organization_id=organization_id, ingest_root=ingest_root).exclude(source__in=seen)
            run.documents_deleted = delete_documents(stale)
    except Exception as exc:
        report.errors.append(f"ingestion stopped: {type(exc).__name__}: {exc}")
        raise
    finally:
        run.status = IndexingRun.Status.FAILED if report.errors else IndexingRun.Status.SUCCEEDED
        run.error = "\n".join(report.errors)[:10_000]
        run.finished_at = timezone.now()
        run.save()
    return report
