"""Staff curate the knowledge base here, each in their own organisations
(identity.staff: superusers see every organisation)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from identity.staff import OrganizationScopedAdmin, OrganizationScopedRecordAdmin
from knowledge.access import apply_access, normalize_access
from knowledge.models import Chunk, Document, DocumentSet, IndexingRun
from knowledge.services import delete_documents


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
        help_text='Empty = everyone in the organisation. Else JSON: {"public": false, "users": ["u1"], "groups": ["support"]}.',
    )

    class Meta:
        model = Document
        fields: list[str] = ["title", "type", "document_sets", "access", "metadata"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.access is not None:
            self.initial["access"] = json.dumps(self.instance.access)

    def clean_access(self):
        text = (self.cleaned_data.get("access") or "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError("The access list must be JSON.") from None
        return normalize_access(value)


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
        return False  # documents arrive through ingestion (kb_ingest), which chunks and indexes them

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
