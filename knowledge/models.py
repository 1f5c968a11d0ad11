"""What the knowledge base stores: documents with access lists, their chunks,
document sets, a row per indexing run, and the sources kb_sync keeps in sync."""

from __future__ import annotations

import uuid

from django.db import models

from core.models import Timestamped


class DocumentSet(Timestamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["organization_id", "name"]
        constraints = [models.UniqueConstraint(fields=["organization_id", "name"], name="document_set_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class Document(Timestamped):
    class Type(models.TextChoices):
        MARKDOWN = "markdown"
        TEXT = "text"
        HTML = "html"
        JSON = "json"
        PDF = "pdf"
        DOCX = "docx"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128)
    # A path relative to the folder it was ingested from ("policies/returns.md"), an upload's
    # name, or an http(s) URL; unique per organisation (ingestion is idempotent by it).
    source = models.CharField(max_length=2048)
    # The server folder a kb_ingest run read the file from: scopes --prune. Never shown to visitors.
    ingest_root = models.CharField(max_length=2048, blank=True, default="")
    title = models.CharField(max_length=512)
    content = models.TextField()
    content_hash = models.CharField(max_length=64)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.TEXT)
    metadata = models.JSONField(default=dict, blank=True)
    document_sets = models.ManyToManyField(DocumentSet, blank=True, related_name="documents")
    # The access list as written: null = everyone in the organisation, else
    # {"public": bool, "users": [...], "groups": [...]}. The two flags and the
    # AccessGrant rows are derived from it (knowledge.access.apply_access) so
    # the filter runs inside the database query.
    access = models.JSONField(null=True, blank=True)
    access_restricted = models.BooleanField(default=False)
    access_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["organization_id", "title"]
        constraints = [models.UniqueConstraint(fields=["organization_id", "source"], name="document_unique_source_per_org")]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str | None:
        return self.source if self.source.startswith(("http://", "https://")) else None


class AccessGrant(models.Model):
    class Kind(models.TextChoices):
        USER = "user"
        GROUP = "group"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="grants")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    principal = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "kind", "principal"], name="access_grant_unique")]
        indexes = [models.Index(fields=["kind", "principal"], name="access_grant_principal_idx")]


class Chunk(Timestamped):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    organization_id = models.CharField(max_length=128)  # denormalised: every search filters on it
    position = models.PositiveIntegerField()
    text = models.TextField()
    # float32 vector, L2-normalised, packed little-endian; made by `embedding_model`
    # (knowledge.embeddings), `embedding_dimensions` wide. Search reads only the
    # current model's vectors; kb_reembed brings the others to it.
    embedding = models.BinaryField()
    embedding_model = models.CharField(max_length=200, default="", db_index=True)
    embedding_dimensions = models.PositiveIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="chunk_unique_position")]
        indexes = [models.Index(fields=["organization_id"], name="chunk_org_idx")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.position}"


class IndexingRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128)
    source = models.CharField(max_length=2048, help_text="what was ingested: a path, a URL, or a connector name")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    documents_seen = models.PositiveIntegerField(default=0)
    documents_added = models.PositiveIntegerField(default=0)
    documents_updated = models.PositiveIntegerField(default=0)
    documents_unchanged = models.PositiveIntegerField(default=0)
    documents_deleted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    cursor = models.CharField(max_length=2048, blank=True)
    knowledge_source = models.ForeignKey(
        "KnowledgeSource", null=True, blank=True, on_delete=models.SET_NULL, related_name="runs", help_text="the source it synced"
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organization_id", "-started_at"], name="indexing_run_org_idx")]


class IndexVersion(models.Model):
    """Bumped in the same transaction as any change to an organisation's chunks,
    so every process knows when its in-memory dense index is stale."""

    organization_id = models.CharField(max_length=128, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)


class KnowledgeSource(Timestamped):
    """Where an organisation's knowledge lives (a folder on the server, a web page, a
    website by its sitemap, a GitHub repository), with who may read it and when
    `kb_sync` reads it again. Its runs are IndexingRuns (`runs`).

    The lease columns (`running_until`, `running_token`, `running_since`) are written by
    `knowledge.sync` only: one run at a time per source, across machines."""

    class Kind(models.TextChoices):
        FILES = "files", "a folder or file on the server"
        URL = "url", "a web page"
        SITEMAP = "sitemap", "a website, by its sitemap"
        GITHUB = "github", "a GitHub repository"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    location = models.CharField(
        max_length=2048, help_text="a folder or file path on the server, a URL, a sitemap's URL, or owner/repo[@ref]"
    )
    # The connector's settings (what kb_ingest's options of that kind make): never a
    # secret, which is named by the file or environment variable holding it.
    options = models.JSONField(default=dict, blank=True)
    # As Document.access: null = everyone in the organisation, else {"public", "users", "groups"};
    # applied to every document of the source at each run.
    access = models.JSONField(null=True, blank=True)
    document_sets = models.JSONField(default=list, blank=True, help_text="names of the document sets its documents join")
    # The schedule: every `every_minutes` from the start of the last run, or, with `at`, at
    # that time of day (TIME_ZONE) every `every_minutes // 1440` days. None: only when asked.
    every_minutes = models.PositiveIntegerField(null=True, blank=True)
    at = models.TimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey("IndexingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_error = models.TextField(blank=True)
    running_until = models.DateTimeField(null=True, blank=True)
    running_token = models.CharField(max_length=32, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization_id", "name"]
        constraints = [models.UniqueConstraint(fields=["organization_id", "name"], name="knowledge_source_unique_name_per_org")]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="knowledge_source_due_idx")]

    def __str__(self) -> str:
        return self.name
