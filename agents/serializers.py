"""How an agent is shown and changed over the admin API and the `agent` command:
one description, which also documents the API (drf-spectacular reads it)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from agents.config import AgentConfig
from agents.models import MAX_ITERATIONS_LIMIT, MAX_TOOL_NAME_LENGTH, MAX_TOOL_NAMES
from agents.selectors import embed_policy_of


class AgentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    organizationId = serializers.CharField(source="organization_id")
    name = serializers.CharField()
    enabled = serializers.BooleanField()
    model = serializers.SerializerMethodField(help_text="the effective model (the server's default when not customised)")
    systemPrompt = serializers.SerializerMethodField()
    maxIterations = serializers.SerializerMethodField()
    tools = serializers.SerializerMethodField(help_text="the tools the agent may call; null = every registered tool")
    confirmTools = serializers.SerializerMethodField(help_text="names or glob patterns of the tools whose calls wait for approval")
    endUserTools = serializers.SerializerMethodField(help_text="names or glob patterns of the tools only a verified visitor may run")
    rateLimits = serializers.SerializerMethodField(
        help_text='the effective rates (count/period; "0" = no limit), the server\'s where the agent sets none'
    )
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

    def get_tools(self, agent) -> list[str] | None:
        tools = AgentConfig.of(agent).tools
        return None if tools is None else list(tools)

    def get_confirmTools(self, agent) -> list[str]:
        return list(AgentConfig.of(agent).confirm_tools)

    def get_endUserTools(self, agent) -> list[str]:
        return list(AgentConfig.of(agent).end_user_tools)

    def get_rateLimits(self, agent) -> dict[str, str]:
        return {
            "sessionsPerIp": agent.sessions_per_ip or settings.SMOOTH_LIMIT_SESSIONS_PER_IP,
            "messagesPerSession": agent.messages_per_session or settings.SMOOTH_LIMIT_MESSAGES_PER_SESSION,
            "messagesPerAgent": agent.messages_per_agent or settings.SMOOTH_LIMIT_MESSAGES_PER_AGENT,
        }

    def get_customised(self, agent) -> dict[str, bool]:
        return {
            "model": bool(agent.model),
            "systemPrompt": bool(agent.system_prompt),
            "maxIterations": agent.max_iterations is not None,
            "tools": agent.tools is not None,
            "confirmTools": agent.confirm_tools is not None,
            "endUserTools": agent.end_user_tools is not None,
        }

    def get_embedPolicy(self, agent) -> bool:
        return embed_policy_of(agent) is not None


class _ToolName(serializers.CharField):
    """A string, as sent: DRF's CharField would take 7 for "7"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _tool_names(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=_ToolName(max_length=MAX_TOOL_NAME_LENGTH),
        max_length=MAX_TOOL_NAMES,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _rate_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=32, allow_blank=True, required=False, allow_null=True, help_text=help_text)


class AgentInput(serializers.Serializer):
    """Every field optional on update; an empty model or prompt, or a null maxIterations, tools or
    confirmTools, means the server default."""

    name = serializers.CharField(max_length=255)
    model = serializers.CharField(max_length=255, allow_blank=True, required=False, allow_null=True)
    systemPrompt = serializers.CharField(max_length=20_000, allow_blank=True, required=False, allow_null=True, trim_whitespace=False)
    maxIterations = serializers.IntegerField(min_value=1, max_value=MAX_ITERATIONS_LIMIT, required=False, allow_null=True)
    enabled = serializers.BooleanField(required=False)
    tools = _tool_names("names of the registered tools the agent may call; null = every registered tool")
    confirmTools = _tool_names(
        "names or glob patterns (refund_*) of tools whose calls wait for approval; null = SMOOTH_AGENT_CONFIRM_TOOLS"
    )
    endUserTools = _tool_names("names or glob patterns of tools only a verified visitor may run; null = SMOOTH_AGENT_END_USER_TOOLS")
    sessionsPerIp = _rate_field("new sessions per visitor address, e.g. 30/h; empty = SMOOTH_LIMIT_SESSIONS_PER_IP")
    messagesPerSession = _rate_field("messages per session, e.g. 10/min; empty = SMOOTH_LIMIT_MESSAGES_PER_SESSION")
    messagesPerAgent = _rate_field("messages to this agent from everyone, e.g. 300/min; empty = SMOOTH_LIMIT_MESSAGES_PER_AGENT")

    def model_fields(self) -> dict:
        """The validated fields under the model's names, blanks normalised."""
        names = {
            "name": "name",
            "model": "model",
            "systemPrompt": "system_prompt",
            "maxIterations": "max_iterations",
            "enabled": "enabled",
            "tools": "tools",
            "confirmTools": "confirm_tools",
            "endUserTools": "end_user_tools",
            "sessionsPerIp": "sessions_per_ip",
            "messagesPerSession": "messages_per_session",
            "messagesPerAgent": "messages_per_agent",
        }
        fields = {names[key]: value for key, value in self.validated_data.items()}
        for key in ("model", "system_prompt", "sessions_per_ip", "messages_per_session", "messages_per_agent"):
            if key in fields:
                fields[key] = fields[key] or ""
        return fields
