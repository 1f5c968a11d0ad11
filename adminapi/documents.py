"""Documents over the API (curator and up): list, upload (JSON text or a file),
delete. Uploads go through the same ingestion as kb_ingest: idempotent by
source and content, chunked and indexed, with document sets and an access list.
A file is read as kb_ingest reads one (knowledge.sources.read_document): text,
HTML, JSON, PDF or Word."""

from __future__ import annotations

import dataclasses
import json
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema
from adminapi.permissions import at_least
from adminapi.views import NewestFirst
from identity.principals import Role
from knowledge.access import normalize_access
from knowledge.models import Document
from knowledge.services import KEEP, Outcome, delete_documents, ingest_document
from knowledge.sources import EXTENSIONS, FILE_FORMATS, MAX_BYTES, SourceError, parse, read_document

CURATORS = [at_least(Role.CURATOR)]


class DocumentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    source = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    access = serializers.JSONField(allow_null=True)
    documentSets = serializers.SerializerMethodField()
    chunkCount = serializers.IntegerField(source="chunk_count")
    updatedAt = serializers.DateTimeField(source="updated_at")

    def get_documentSets(self, document) -> list[str]:
        return sorted(document_set.name for document_set in document.document_sets.all())


class UploadInput(serializers.Serializer):
    source = serializers.CharField(max_length=2048, required=False)
    title = serializers.CharField(max_length=512, required=False)
    content = serializers.CharField(required=False, trim_whitespace=False, max_length=MAX_BYTES)
    type = serializers.ChoiceField(choices=sorted(set(EXTENSIONS.values())), required=False)
    file = serializers.FileField(required=False)
    documentSets = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=50)
    access = serializers.JSONField(required=False, allow_null=True)

    def validate_access(self, value):
        try:
            return normalize_access(json.loads(value) if isinstance(value, str) else value)
        except (DjangoValidationError, ValueError) as exc:
            raise ValidationError(getattr(exc, "messages", ["the access list must be JSON"])) from None

    def validate(self, data):
        if ("file" in data) == ("content" in data):
            raise ValidationError("send either content (text) or file, not both and not neither")
        if "content" in data and data.get("type") in FILE_FORMATS:
            raise ValidationError({"type": [f"{data['type']} is a file format: send the document as a file, not as content"]})
        return data


def _source_document(data):
    if "file" in data:
        upload = data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError({"file": [f"larger than {MAX_BYTES // (1024 * 1024)} MiB"]})
        name = PurePosixPath(upload.name).name
        kind = data.get("type") or EXTENSIONS.get(PurePosixPath(name).suffix.lower())
        if kind is None:
            raise ValidationError({"file": [f"unsupported file type; supported: {', '.join(sorted(EXTENSIONS))}"]})
        source = data.get("source") or f"upload/{name}"
        try:
            document = read_document(source, upload.read(), kind, PurePosixPath(name).stem)
        except SourceError as exc:
            raise ValidationError({"file": [str(exc)]}) from None
    else:
        if "source" not in data:
            raise ValidationError({"source": ["a text upload needs a source (an identifier such as faq/returns.md)"]})
        try:
            document = parse(data["source"], data["content"], data.get("type", "text"), data["source"])
        except SourceError as exc:
            raise ValidationError({"content": [str(exc)]}) from None
    if data.get("title"):
        document = dataclasses.replace(document, title=data["title"])
    return document


def organisation_documents(principal):
    return (
        Document.objects.filter(organization_id=principal.organization_id)
        .annotate(chunk_count=Count("chunks"))
        .prefetch_related("document_sets")
    )


class DocumentListView(ListAPIView):
    permission_classes = CURATORS
    serializer_class = DocumentOutput
    pagination_class = NewestFirst
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return organisation_documents(self.request.user.principal)

    @extend_schema(
        request={"application/json": UploadInput, "multipart/form-data": UploadInput},
        responses={
            200: inline_serializer("DocumentUpdated", {"outcome": serializers.CharField(), "document": DocumentOutput()}),
            201: inline_serializer("DocumentAdded", {"outcome": serializers.CharField(), "document": DocumentOutput()}),
            400: schema.ERROR,
        },
        operation_id="documents_upload",
    )
    def post(self, request):
        fields = UploadInput(data=request.data)
        fields.is_valid(raise_exception=True)
        data = fields.validated_data
        organization_id = request.user.principal.organization_id
        document = _source_document(data)
        outcome = ingest_document(
            organization_id=organization_id,
            document=document,
            document_sets=data.get("documentSets", []),
            access=data.get("access", KEEP),
        )
        stored = organisation_documents(request.user.principal).get(source=document.source)
        body = {"outcome": outcome.value, "document": DocumentOutput(stored).data}
        return Response(body, status=status.HTTP_201_CREATED if outcome == Outcome.ADDED else status.HTTP_200_OK)


class DocumentDetailView(APIView):
    permission_classes = CURATORS

    @extend_schema(responses={204: None, 404: schema.ERROR}, operation_id="document_delete")
    def delete(self, request, document_id):
        document = get_object_or_404(Document.objects.filter(organization_id=request.user.principal.organization_id), id=document_id)
        delete_documents(Document.objects.filter(pk=document.pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
