"""The admin API's read endpoints. Every query is scoped to the caller's
organisation; another organisation's rows do not exist (404), never 403."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema, serializers
from adminapi.permissions import IsPrincipal, at_least
from chat.models import Conversation, Message
from identity.principals import Role
from knowledge.models import DocumentSet, IndexingRun


class NewestFirst(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "limit"
    ordering = ("-created_at", "-id")


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: schema.HEALTH}, operation_id="health")
    def get(self, request):
        return Response({"status": "ok"})


class MeView(APIView):
    permission_classes = [IsPrincipal]

    @extend_schema(responses={200: schema.ME, 401: schema.ERROR}, operation_id="me")
    def get(self, request):
        principal = request.user.principal
        return Response(
            {
                "userId": principal.user_id,
                "organizationId": principal.organization_id,
                "role": principal.role.name.lower(),
                "groups": sorted(principal.groups),
                "name": principal.name,
                "email": principal.email,
            }
        )


def visible_conversations(principal):
    conversations = Conversation.objects.filter(organization_id=principal.organization_id)
    if not principal.at_least(Role.CURATOR):
        # basic: only conversations of sessions this user created
        conversations = conversations.filter(sessions__owner_id=principal.user_id).distinct()
    return conversations


class ConversationListView(ListAPIView):
    permission_classes = [IsPrincipal]
    serializer_class = serializers.ConversationOutput
    pagination_class = NewestFirst

    def get_queryset(self):
        return visible_conversations(self.request.user.principal)


class ConversationMessagesView(ListAPIView):
    permission_classes = [IsPrincipal]
    serializer_class = serializers.MessageOutput
    pagination_class = NewestFirst

    def get_queryset(self):
        conversation = get_object_or_404(visible_conversations(self.request.user.principal), id=self.kwargs["conversation_id"])
        return Message.objects.filter(conversation=conversation).select_related("from_participant", "to_participant")


class DocumentSetListView(ListAPIView):
    permission_classes = [at_least(Role.CURATOR)]
    serializer_class = serializers.DocumentSetOutput
    pagination_class = None

    def get_queryset(self):
        return (
            DocumentSet.objects.filter(organization_id=self.request.user.principal.organization_id)
            .annotate(document_count=Count("documents"))
            .order_by("name")
        )


class IndexingRunListView(ListAPIView):
    permission_classes = [at_least(Role.CURATOR)]
    serializer_class = serializers.IndexingRunOutput

    class pagination_class(NewestFirst):
        ordering = ("-started_at", "-id")

    def get_queryset(self):
        return IndexingRun.objects.filter(organization_id=self.request.user.principal.organization_id)
