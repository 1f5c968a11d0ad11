"""The organisation's agent settings: GET for curators, PUT for admins. Turns read
them (chat.turns.loop.AgentConfig); an empty value means the server's default."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from drf_spectacular.utils import extend_schema

from adminapi import schema

from adminapi.permissions import at_least
from chat.models import AgentSettings
from chat.turns.loop import AgentConfig
from identity.principals import Role


class SettingsInput(serializers.Serializer):
    model = serializers.CharField(max_length=255, allow_blank=True, required=False, allow_null=True)
    systemPrompt = serializers.CharField(max_length=20_000, allow_blank=True, required=False, allow_null=True, trim_whitespace=False)
    maxIterations = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)


def describe(organization_id: str) -> dict:
    effective = AgentConfig.for_organization(organization_id)
    stored = AgentSettings.objects.filter(organization_id=organization_id).first()
    return {
        "model": effective.model,
        "systemPrompt": effective.system_prompt,
        "maxIterations": effective.max_iterations,
        "customised": {
            "model": bool(stored and stored.model),
            "systemPrompt": bool(stored and stored.system_prompt),
            "maxIterations": bool(stored and stored.max_iterations),
        },
        "updatedAt": stored.updated_at.isoformat() if stored else None,
    }


class AgentSettingsView(APIView):
    def get_permissions(self):
        return [at_least(Role.ADMIN if self.request.method == "PUT" else Role.CURATOR)()]

    @extend_schema(responses={200: schema.AGENT_SETTINGS, 403: schema.ERROR}, operation_id="agent_settings_get")
    def get(self, request):
        return Response(describe(request.user.principal.organization_id))

    @extend_schema(request=SettingsInput, responses={200: schema.AGENT_SETTINGS, 400: schema.ERROR, 403: schema.ERROR}, operation_id="agent_settings_put")
    def put(self, request):
        fields = SettingsInput(data=request.data)
        fields.is_valid(raise_exception=True)
        data = fields.validated_data
        stored, _ = AgentSettings.objects.get_or_create(organization_id=request.user.principal.organization_id)
        if "model" in data:
            stored.model = data["model"] or ""
        if "systemPrompt" in data:
            stored.system_prompt = data["systemPrompt"] or ""
        if "maxIterations" in data:
            stored.max_iterations = data["maxIterations"]
        stored.save()
        return Response(describe(stored.organization_id))
