"""Embed policies over the API (admin only), one per agent of the caller's
organisation. The HMAC secret is write-only: no answer ever carries it.
Validation is the admin's and the CLI's, word for word. An agent id that is not
one of the organisation's agents gets the same answer whether it exists
elsewhere or not at all."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema
from adminapi.permissions import at_least
from agents.selectors import agents_of, embed_policy_of
from core.names import camel_keys, snake
from identity.principals import Role
from widget_auth.models import WidgetPolicy
from widget_auth.selectors import SCHEME_BY_NAME, describe_policy, policies_of
from widget_auth.services import save_policy
from widget_auth.validators import clean_origin_patterns


class PolicyInput(serializers.Serializer):
    allowedOrigins = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=500)
    keyScheme = serializers.ChoiceField(choices=sorted(SCHEME_BY_NAME), required=False)
    publicKey = serializers.CharField(required=False, allow_blank=True, max_length=64)
    hmacSecret = serializers.CharField(required=False, write_only=True, max_length=512, trim_whitespace=False)
    acceptLegacyAuthContext = serializers.BooleanField(required=False)
    enabled = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate_allowedOrigins(self, value):
        try:
            return clean_origin_patterns(value)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from None


class PolicyCreateInput(PolicyInput):
    agentId = serializers.UUIDField()


NOT_THIS_ORGANISATIONS = "no agent of your organisation has this id"


def _save(agent, fields: dict) -> WidgetPolicy:
    if "keyScheme" in fields:
        fields = {**fields, "keyScheme": SCHEME_BY_NAME[fields["keyScheme"]]}
    translated = {snake(key): value for key, value in fields.items() if key != "agentId" and value is not None}
    try:
        policy, _ = save_policy(agent=agent, **translated)
    except DjangoValidationError as exc:
        detail = camel_keys(exc.message_dict) if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError(detail) from None
    return policy


class PolicyListView(APIView):
    permission_classes = [at_least(Role.ADMIN)]

    @extend_schema(responses={200: schema.EmbedPolicyOutput(many=True), 403: schema.ERROR}, operation_id="embed_policies_list")
    def get(self, request):
        return Response([describe_policy(policy) for policy in policies_of(request.user.principal.organization_id).order_by("agent_id")])

    @extend_schema(request=PolicyCreateInput, responses={201: schema.POLICY, 400: schema.ERROR}, operation_id="embed_policies_create")
    def post(self, request):
        try:
            agent = serializers.UUIDField().run_validation(request.data.get("agentId") if isinstance(request.data, dict) else None)
        except ValidationError:
            agent = None
        if agent is None:
            raise ValidationError({"agentId": ["agentId is required (a UUID)"]})
        agent = agents_of(request.user.principal.organization_id).select_related("embed_policy").filter(id=agent).first()
        if agent is None:
            raise ValidationError({"agentId": [NOT_THIS_ORGANISATIONS]})
        if embed_policy_of(agent) is not None:
            raise ValidationError({"agentId": ["this agent already has a policy"]})
        fields = PolicyInput(data=request.data)
        fields.is_valid(raise_exception=True)
        policy = _save(agent, fields.validated_data)
        return Response(describe_policy(policy), status=status.HTTP_201_CREATED)


class PolicyDetailView(APIView):
    permission_classes = [at_least(Role.ADMIN)]

    def _policy(self, request, agent_id) -> WidgetPolicy:
        return get_object_or_404(policies_of(request.user.principal.organization_id), agent_id=agent_id)

    @extend_schema(responses={200: schema.POLICY, 404: schema.ERROR}, operation_id="embed_policy_get")
    def get(self, request, agent_id):
        return Response(describe_policy(self._policy(request, agent_id)))

    @extend_schema(
        request=PolicyInput, responses={200: schema.POLICY, 400: schema.ERROR, 404: schema.ERROR}, operation_id="embed_policy_update"
    )
    def patch(self, request, agent_id):
        policy = self._policy(request, agent_id)
        fields = PolicyInput(data=request.data, partial=True)
        fields.is_valid(raise_exception=True)
        return Response(describe_policy(_save(policy.agent, fields.validated_data)))

    @extend_schema(responses={204: None, 404: schema.ERROR}, operation_id="embed_policy_delete")
    def delete(self, request, agent_id):
        self._policy(request, agent_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
