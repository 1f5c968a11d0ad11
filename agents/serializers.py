"""How an agent is shown and changed over the admin API and the `agent` command:
one description, which also documents the API (drf-spectacular reads it)."""

from __future__ import annotations

from rest_framework import serializers

from agents.config import AgentConfig
from agents.models import MAX_ITERATIONS_LIMIT
from agents.selectors import embed_policy_of


class AgentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    organizationId = serializers.CharField(source="organization_id")
    name = serializers.CharField()
    enabled = serializers.BooleanField()
    model = serializers.SerializerMethodField(help_text="the effective model (the server's default when not customised)")
    systemPrompt = serializers.SerializerMethodField()
    maxIterations = serializers.SerializerMethodField()
    customised = serializers.SerializerMethodField(help_text="which settings are the agent's own rather than the server's defaults")
    embedPolicy = serializers.SerializerMethodField(help_text="whether the agent has an embed policy")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    def get_model(self, agent) -> str:
        return AgentConfig.of(agent).model

    def get_systemPrompt(self, agent) -> str:
        return AgentConfig.of(agent).system_prompt

    def get_maxIterations(self, agent) -> int:
        return AgentConfig.of(agent).max_iterations

    def get_customised(self, agent) -> dict[str, bool]:
        return {"model": bool(agent.model), "systemPrompt": bool(agent.system_prompt), "maxIterations": agent.max_iterations is not None}

    def get_embedPolicy(self, agent) -> bool:
        return embed_policy_of(agent) is not None


class AgentInput(serializers.Serializer):
    """Every field optional on update; an empty model, prompt or null maxIterations means the server default."""

    name = serializers.CharField(max_length=255)
    model = serializers.CharField(max_length=255, allow_blank=True, required=False, allow_null=True)
    systemPrompt = serializers.CharField(max_length=20_000, allow_blank=True, required=False, allow_null=True, trim_whitespace=False)
    maxIterations = serializers.IntegerField(min_value=1, max_value=MAX_ITERATIONS_LIMIT, required=False, allow_null=True)
    enabled = serializers.BooleanField(required=False)

    def model_fields(self) -> dict:
        """The validated fields under the model's names, blanks normalised."""
        names = {"name": "name", "model": "model", "systemPrompt": "system_prompt", "maxIterations": "max_iterations", "enabled": "enabled"}
        fields = {names[key]: value for key, value in self.validated_data.items()}
        for key in ("model", "system_prompt"):
            if key in fields:
                fields[key] = fields[key] or ""
        return fields
