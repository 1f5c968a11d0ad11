"""Staff curate the knowledge base here, each in their own organisations
(identity.staff: superusers see every organisation). Documents arrive by ingestion:
kb_ingest, the admin API, or a file uploaded on the document list's "Upload a file"
page, which reads it as kb_ingest does (Markdown, text, HTML, JSON, PDF, Word)."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from identity.staff import OrganizationScopedAdmin, OrganizationScopedRecordAdmin, check_organization, organizations_of
from knowledge.access import apply_access, normalize_access
from knowledge.models import Chunk, Document, DocumentSet, IndexingRun, KnowledgeSource
from knowledge.services import KEEP, delete_documents, ingest_document
from knowledge.sources import EXTENSIONS, MAX_BYTES, SourceDocument, SourceError, read_document
from knowledge.sync import (
    EDITABLE,
    check_operator,
    clean_document_sets,
    clean_fields,
    create_source,
    describe_schedule,
    is_running,
    request_run,
    update_source,
)

ACCESS_FORMAT = 'JSON: {"public": false, "users": ["u1"], "groups": ["support"]}'


def access_from_text(text: str | None):
    """An access list as the admin's forms take it (JSON), normalised; None when blank."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationError("The access list must be JSON.") from None
    return normalize_access(value)


class ChunkInline(admin.TabularInline):
    model = Chunk
    fields = readonly_fields = ("position", "text")
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):
        return False


class DocumentForm(forms.ModelForm):
    access = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Empty = everyone in the organisation. Else {ACCESS_FORMAT}.",
    )

    class Meta:
        model = Document
        fields: list[str] = ["title", "type", "document_sets", "access", "metadata"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.access is not None:
            self.initial["access"] = json.dumps(self.instance.access)

    def clean_access(self):
        return access_from_text(self.cleaned_data.get("access"))


class DocumentUploadForm(forms.Form):
    """A file to ingest, read as kb_ingest reads one, with the document's sets and access."""

    file = forms.FileField(help_text=f"{', '.join(sorted(EXTENSIONS))}; up to {MAX_BYTES // (1024 * 1024)} MiB.")
    organization_id = forms.CharField(label="Organisation", max_length=128)
    source = forms.CharField(
        required=False,
        max_length=2048,
        help_text="What citations call it; default upload/<file name>. Uploading the same source again replaces that document.",
    )
    document_sets = forms.CharField(required=False, help_text="Comma-separated names; a new name makes a new set.")
    access = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Empty: a new document is visible to the whole organisation, a replaced one keeps its list. Else {ACCESS_FORMAT}.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.document: SourceDocument | None = None
        organizations = organizations_of(user)
        if organizations is None:
            self.fields["organization_id"].initial = settings.SMOOTH_DEFAULT_ORG_ID
        else:
            self.fields["organization_id"] = forms.ChoiceField(
                label="Organisation", choices=[(each, each) for each in sorted(organizations)]
            )

    def clean_organization_id(self):
        organization_id = self.cleaned_data["organization_id"].strip()
        check_organization(self.user, organization_id)
        return organization_id

    def clean_document_sets(self):
        return [name.strip() for name in self.cleaned_data["document_sets"].split(",") if name.strip()]

    def clean_access(self):
        text = self.cleaned_data.get("access") or ""
        return access_from_text(text) if text.strip() else KEEP

    def clean(self):
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        name = PurePosixPath(upload.name).name
        kind = EXTENSIONS.get(PurePosixPath(name).suffix.lower())
        if kind is None:
            self.add_error("file", f"Unsupported file type; supported: {', '.join(sorted(EXTENSIONS))}.")
        elif upload.size > MAX_BYTES:
            self.add_error("file", f"Larger than {MAX_BYTES // (1024 * 1024)} MiB.")
        else:
            try:
                self.document = read_document(cleaned.get("source") or f"upload/{name}", upload.read(), kind, PurePosixPath(name).stem)
            except SourceError as exc:
                self.add_error("file", str(exc))
        return cleaned


@admin.register(Document)
class DocumentAdmin(OrganizationScopedAdmin):
    form = DocumentForm
    list_display = ["title", "organization_id", "type", "source", "access_summary", "updated_at"]
    # RelatedOnly: the plain filter would list every organisation's document sets.
    list_filter = ["organization_id", "type", "access_restricted", "access_public", ("document_sets", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "source", "=id"]
    # Organisation and source are the document's identity (ingestion keys on them).
    readonly_fields = ["organization_id", "source", "content_hash", "created_at", "updated_at"]
    inlines = [ChunkInline]
    actions = ["delete_with_index"]

    @admin.display(description="access")
    def access_summary(self, document: Document) -> str:
        if document.access is None:
            return "organisation"
        parts = ["public"] if document.access["public"] else []
        parts += [f"users: {', '.join(document.access['users'])}"] if document.access["users"] else []
        parts += [f"groups: {', '.join(document.access['groups'])}"] if document.access["groups"] else []
        return "; ".join(parts) or "nobody"

    def has_add_permission(self, request):
        return False  # documents arrive through ingestion (kb_ingest, the API, upload_view), which chunks and indexes them

    def get_urls(self):
        # Before the change page's catch-all "<object_id>/".
        return [path("upload/", self.admin_site.admin_view(self.upload_view), name="knowledge_document_upload"), *super().get_urls()]

    def upload_view(self, request):
        """Upload a file and ingest it (chunked and indexed, as kb_ingest does), for staff who
        may add documents, into one of their organisations."""
        if not request.user.has_perm("knowledge.add_document"):
            raise PermissionDenied
        form = DocumentUploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid() and form.document is not None:
            organization_id = form.cleaned_data["organization_id"]
            outcome = ingest_document(
                organization_id=organization_id,
                document=form.document,
                document_sets=form.cleaned_data["document_sets"],
                access=form.cleaned_data["access"],
            )
            stored = Document.objects.get(organization_id=organization_id, source=form.document.source)
            self.message_user(request, f"Document {stored.source}: {outcome.value}, {stored.chunks.count()} passage(s).", messages.SUCCESS)
            return redirect("admin:knowledge_document_change", stored.pk)
        context = {**self.admin_site.each_context(request), "title": "Upload a document", "opts": self.opts, "form": form}
        return TemplateResponse(request, "admin/knowledge/document/upload.html", context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        document_sets = form.base_fields.get("document_sets")
        if obj is not None and isinstance(document_sets, forms.ModelMultipleChoiceField):
            # Only the document's own organisation's sets, never another's.
            document_sets.queryset = DocumentSet.objects.filter(organization_id=obj.organization_id)
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        apply_access(obj, form.cleaned_data["access"])

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the bulk delete below also invalidates the search index
        return actions

    @admin.action(description="Delete selected documents (and their chunks)")
    def delete_with_index(self, request, queryset):
        count = delete_documents(queryset)
        self.message_user(request, f"Deleted {count} document(s).")

    def delete_model(self, request, obj):
        delete_documents(Document.objects.filter(pk=obj.pk))


@admin.register(DocumentSet)
class DocumentSetAdmin(OrganizationScopedAdmin):
    list_display = ["name", "organization_id", "description"]
    list_filter = ["organization_id"]
    search_fields = ["name"]


@admin.register(IndexingRun)
class IndexingRunAdmin(OrganizationScopedRecordAdmin):
    list_display = [
        "started_at",
        "organization_id",
        "source",
        "status",
        "documents_seen",
        "documents_added",
        "documents_updated",
        "documents_unchanged",
        "documents_deleted",
    ]
    list_filter = ["status", "organization_id"]
    readonly_fields = [f.name for f in IndexingRun._meta.fields]


@admin.register(Chunk)
class ChunkAdmin(OrganizationScopedRecordAdmin):
    list_display = ["document", "position", "organization_id", "updated_at"]
    list_filter = ["organization_id"]
    search_fields = ["text", "=document__id"]
    readonly_fields = ["document", "organization_id", "position", "text", "metadata", "created_at", "updated_at"]
    exclude = ["embedding"]
    list_select_related = ["document"]


# --- Knowledge sources (kb_sync) -------------------------------------------------------


class KnowledgeSourceForm(forms.ModelForm):
    """A source's settings, checked by knowledge.sync with the API's words. Only an operator
    (a superuser) sets a folder on the server, or options naming a server file, variable or
    endpoint; `operator` is set per request (KnowledgeSourceAdmin.get_form)."""

    operator = False
    access = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Applied to every document of the source at each run. Empty = everyone in the organisation. Else {ACCESS_FORMAT}.",
    )
    document_sets = forms.CharField(required=False, help_text="Comma-separated names of the document sets its documents join.")

    class Meta:
        model = KnowledgeSource
        fields: list[str] = [
            "organization_id",
            "name",
            "kind",
            "location",
            "options",
            "access",
            "document_sets",
            "every_minutes",
            "at",
            "enabled",
        ]
        help_texts = {
            "options": 'The connector\'s settings as JSON, e.g. {"prune": true} for a folder. Never a secret: a token is named '
            'by the file that holds it ({"token_file": "/etc/smooth/github-token"}).',
            "every_minutes": "Run every this many minutes (1440 = daily); empty = only when asked (Sync now, kb_sync --source).",
            "at": "With whole days: the time of day of the run (server time zone); kb_sync runs it at its first call after.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["access"] = json.dumps(self.instance.access) if self.instance.access is not None else ""
            self.initial["document_sets"] = ", ".join(self.instance.document_sets or [])

    def clean_access(self):
        return access_from_text(self.cleaned_data.get("access"))

    def clean_options(self):
        return self.cleaned_data.get("options") or {}  # checked with the rest in clean()

    def clean_document_sets(self):
        return clean_document_sets([name for name in self.cleaned_data["document_sets"].split(",") if name.strip()])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        given = {name: cleaned[name] for name in EDITABLE if name in cleaned}
        changed = given if self.instance.pk is None else {name: value for name, value in given.items() if name in self.changed_data}
        try:
            check_operator(self.instance if self.instance.pk else None, changed, operator=self.operator)
            clean_fields(given)
        except ValidationError as exc:
            for name, messages_of in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages_of)
        return cleaned


@admin.register(KnowledgeSource)
class KnowledgeSourceAdmin(OrganizationScopedAdmin):
    form = KnowledgeSourceForm
    list_display = ["name", "organization_id", "kind", "location", "schedule", "enabled", "next_run_at", "last_run_status", "running"]
    list_filter = ["organization_id", "kind", "enabled"]
    search_fields = ["name", "location", "=id"]
    readonly_fields = ["state", "last_error", "recent_runs", "created_at", "updated_at"]
    actions = ["sync_now"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form):  # type: ignore[valid-type,misc]  # a class made at run time
            operator = request.user.is_superuser

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        # A source stays in its organisation (its documents and runs are that organisation's).
        return [*self.readonly_fields, "organization_id"] if obj is not None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        organizations = organizations_of(request.user)
        only = sorted(organizations)[0] if organizations and len(organizations) == 1 else settings.SMOOTH_DEFAULT_ORG_ID
        return {"organization_id": only, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        # Through knowledge.sync, which never writes the lease a running kb_sync holds.
        fields = {name: form.cleaned_data[name] for name in EDITABLE if name in form.cleaned_data}
        if change:
            update_source(
                KnowledgeSource.objects.get(pk=obj.pk),
                operator=request.user.is_superuser,
                **{name: fields[name] for name in form.changed_data if name in fields},
            )
        else:
            obj.pk = create_source(organization_id=obj.organization_id, operator=request.user.is_superuser, **fields).pk

    @admin.display(description="schedule")
    def schedule(self, source: KnowledgeSource) -> str:
        return describe_schedule(source)

    @admin.display(description="last run")
    def last_run_status(self, source: KnowledgeSource) -> str:
        return source.last_run.status if source.last_run else "never"

    @admin.display(description="running", boolean=True)
    def running(self, source: KnowledgeSource) -> bool:
        return is_running(source)

    @admin.display(description="now")
    def state(self, source: KnowledgeSource) -> str:
        if is_running(source):
            return f"running since {source.running_since:%Y-%m-%d %H:%M %Z} (its lease ends {source.running_until:%H:%M %Z})"
        if not source.enabled:
            return "disabled"
        return f"next run {source.next_run_at:%Y-%m-%d %H:%M %Z}" if source.next_run_at else "runs when asked (Sync now)"

    @admin.display(description="runs")
    def recent_runs(self, source: KnowledgeSource):
        if source.pk is None:
            return "-"
        runs = source.runs.order_by("-started_at")[:10]
        rows = format_html_join(
            "",
            "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:knowledge_indexingrun_change", args=[run.pk]),
                    f"{run.started_at:%Y-%m-%d %H:%M}",
                    run.status,
                    f"{run.documents_seen} seen, {run.documents_added} added, {run.documents_updated} updated, "
                    f"{run.documents_unchanged} unchanged, {run.documents_deleted} deleted",
                    run.error.splitlines()[0] if run.error else "",
                )
                for run in runs
            ),
        )
        every = reverse("admin:knowledge_indexingrun_changelist") + f"?knowledge_source={source.pk}"
        return format_html("<table>{}</table><a href='{}'>All runs of this source</a>", rows, every) if runs else "none yet"

    @admin.action(description="Sync now (at the next kb_sync)")
    def sync_now(self, request, queryset):
        sources = list(queryset)
        for source in sources:
            request_run(source)
        self.message_user(request, f"{len(sources)} source(s) will sync at the next kb_sync.", messages.SUCCESS)
