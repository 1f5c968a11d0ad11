"""Agents over the API: the organisation's own, and no other's.

Curators and up read them; admins create, change and delete them. Ids are
chosen by the server, so nobody can claim an id that is embedded somewhere
already; another organisation's agent answers 404, exactly as a missing one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema
from adminapi.permissions import at_least
from agents.selectors import agents_of
from agents.serializers import AgentInput, AgentOutput
from agents.services import AgentInUse, create_agent, delete_agent, update_agent
from core.names import camel_keys
from identity.principals import Role


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def organisation_agents(request):
    # The avatar's bytes stay in the database: the answer names its address, type and digest.
    return agents_of(request.user.principal.organization_id).select_related("embed_policy").defer("avatar")


def _validation(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(camel_keys(exc.message_dict))
    return ValidationError(exc.messages)


class AgentListView(APIView):
    def get_permissions(self):
        return [at_least(Role.ADMIN if self.request.method == "POST" else Role.CURATOR)()]

    @extend_schema(responses={200: AgentOutput(many=True), 403: schema.ERROR}, operation_id="agents_list")
    def get(self, request):
        return Response(AgentOutput(organisation_agents(request).order_by("name", "id"), many=True).data)

    @extend_schema(request=AgentInput, responses={201: AgentOutput, 400: schema.ERROR, 403: schema.ERROR}, operation_id="agents_create")
    def post(self, request):
        fields = AgentInput(data=request.data)
        fields.is_valid(raise_exception=True)
        try:
            agent = create_agent(organization_id=request.user.principal.organization_id, **fields.model_fields())
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(AgentOutput(agent).data, status=status.HTTP_201_CREATED)


class AgentDetailView(APIView):
    def get_permissions(self):
        return [at_least(Role.CURATOR if self.request.method == "GET" else Role.ADMIN)()]

    def _agent(self, request, agent_id):
        return get_object_or_404(organisation_agents(request), id=agent_id)

    @extend_schema(responses={200: AgentOutput, 404: schema.ERROR}, operation_id="agent_get")
    def get(self, request, agent_id):
        return Response(AgentOutput(self._agent(request, agent_id)).data)

    @extend_schema(request=AgentInput, responses={200: AgentOutput, 400: schema.ERROR, 404: schema.ERROR}, operation_id="agent_update")
    def patch(self, request, agent_id):
        agent = self._agent(request, agent_id)
        fields = AgentInput(data=request.data, partial=True)
        fields.is_valid(raise_exception=True)
        try:
            agent = update_agent(agent, **fields.model_fields())
        except DjangoValidationError as exc:
            raise _validation(exc) from None
        return Response(AgentOutput(agent).data)

    @extend_schema(responses={204: None, 404: schema.ERROR, 409: schema.ERROR}, operation_id="agent_delete")
    def delete(self, request, agent_id):
        try:
            delete_agent(self._agent(request, agent_id))
        except AgentInUse as exc:
            raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
