"""Knowledge sources over the API: the organisation's own, and no other's (another
organisation's source answers 404, exactly as a missing one).

Curators and up read them and their runs, and ask for a run (`sync`: due at once, run by
the next `kb_sync`); admins create, change and delete them. Validation is the Django
admin's, word for word (knowledge.sync). A folder on the server, or an option naming a
server file, environment variable or endpoint, is an operator's to set (a superuser in
the Django admin): refused here."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema
from adminapi.agents import Conflict
from adminapi.permissions import at_least
from adminapi.serializers import IndexingRunOutput
from adminapi.views import NewestFirst
from core.names import camel_keys, snake
from identity.principals import Role
from knowledge.models import KnowledgeSource
from knowledge.sync import create_source, delete_source, describe_schedule, is_running, request_run, update_source


class KnowledgeSourceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    organizationId = serializers.CharField(source="organization_id")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=KnowledgeSource.Kind.values)
    location = serializers.CharField()
    options = serializers.JSONField(help_text="the connector's settings; never a secret")
    access = serializers.JSONField(allow_null=True, help_text="applied to every document of the source; null = the whole organisation")
    documentSets = serializers.ListField(child=serializers.CharField(), source="document_sets")
    everyMinutes = serializers.IntegerField(source="every_minutes", allow_null=True, help_text="null: only when asked")
    at = serializers.TimeField(format="%H:%M", allow_null=True, help_text="with whole days: the time of day (server time zone)")
    schedule = serializers.SerializerMethodField(help_text='"every 6 h", "every 1 d at 02:00", "when asked"')
    enabled = serializers.BooleanField()
    running = serializers.SerializerMethodField(help_text="a kb_sync holds it now")
    nextRunAt = serializers.DateTimeField(source="next_run_at", allow_null=True)
    lastRun = IndexingRunOutput(source="last_run", allow_null=True)
    lastError = serializers.CharField(source="last_error")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    def get_schedule(self, source) -> str:
        return describe_schedule(source)

    def get_running(self, source) -> bool:
        return is_running(source)


class KnowledgeSourceInput(serializers.Serializer):
    """Every field optional on update."""

    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=KnowledgeSource.Kind.values)
    location = serializers.CharField(max_length=2048)
    options = serializers.JSONField(required=False, help_text="the connector's settings (a JSON object); never a secret")
    access = serializers.JSONField(required=False, allow_null=True, help_text='null, or {"public", "users", "groups"}')
    documentSets = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=50)
    everyMinutes = serializers.IntegerField(required=False, allow_null=True, help_text="1440 = daily; null: only when asked")
    at = serializers.TimeField(required=False, allow_null=True, format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    enabled = serializers.BooleanField(required=False)

    def model_fields(self) -> dict:
        return {snake(name): value for name, value in self.validated_data.items()}


def organisation_sources(request):
    return KnowledgeSource.objects.filter(organization_id=request.user.principal.organization_id).select_related("last_run")


def _validation(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(camel_keys(exc.message_dict))
    return ValidationError(exc.messages)


class KnowledgeSourceListView(APIView):
    def get_permissions(self):
        return [at_least(Role.ADMIN if self.request.method == "POST" else Role.CURATOR)()]

    @extend_schema(responses={200: KnowledgeSourceOutput(many=True), 403: schema.ERROR}, operation_id="knowledge_sources_list")
    def get(self, request):
        return Response(KnowledgeSourceOutput(organisation_sources(request).order_by("name", "id"), many=True).data)

    @extend_schema(
        request=KnowledgeSourceInput,
        responses={201: KnowledgeSourceOutput, 400: schema.ERROR, 403: schema.ERROR},
        operation_id="knowledge_sources_create",
    )
    def post(self, request):
        fields = KnowledgeSourceInput(data=request.data)
        fields.is_valid(raise_exception=True)
        try:
            source = create_source(organization_id=request.user.principal.organization_id, operator=False, **fields.model_fields())
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(KnowledgeSourceOutput(source).data, status=status.HTTP_201_CREATED)


class KnowledgeSourceDetailView(APIView):
    def get_permissions(self):
        return [at_least(Role.CURATOR if self.request.method == "GET" else Role.ADMIN)()]

    @extend_schema(responses={200: KnowledgeSourceOutput, 404: schema.ERROR}, operation_id="knowledge_source_get")
    def get(self, request, source_id):
        return Response(KnowledgeSourceOutput(get_object_or_404(organisation_sources(request), id=source_id)).data)

    @extend_schema(
        request=KnowledgeSourceInput,
        responses={200: KnowledgeSourceOutput, 400: schema.ERROR, 404: schema.ERROR},
        operation_id="knowledge_source_update",
    )
    def patch(self, request, source_id):
        source = get_object_or_404(organisation_sources(request), id=source_id)
        fields = KnowledgeSourceInput(data=request.data, partial=True)
        fields.is_valid(raise_exception=True)
        try:
            source = update_source(source, operator=False, **fields.model_fields())
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(KnowledgeSourceOutput(source).data)

    @extend_schema(responses={204: None, 404: schema.ERROR}, operation_id="knowledge_source_delete")
    def delete(self, request, source_id):
        delete_source(get_object_or_404(organisation_sources(request), id=source_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class KnowledgeSourceSyncView(APIView):
    permission_classes = [at_least(Role.CURATOR)]

    @extend_schema(
        request=None, responses={202: KnowledgeSourceOutput, 404: schema.ERROR, 409: schema.ERROR}, operation_id="knowledge_source_sync"
    )
    def post(self, request, source_id):
        source = get_object_or_404(organisation_sources(request), id=source_id)
        if not source.enabled:
            raise Conflict("the source is disabled: enable it to sync it")
        request_run(source)
        return Response(KnowledgeSourceOutput(source).data, status=status.HTTP_202_ACCEPTED)


class KnowledgeSourceRunsView(ListAPIView):
    permission_classes = [at_least(Role.CURATOR)]
    serializer_class = IndexingRunOutput

    class pagination_class(NewestFirst):
        ordering = ("-started_at", "-id")

    def get_queryset(self):
        source = get_object_or_404(organisation_sources(self.request), id=self.kwargs["source_id"])
        return source.runs.all()
