"""How an agent is shown and changed over the admin API and the `agent` command:
one description, which also documents the API (drf-spectacular reads it)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agents import appearance
from agents.config import AgentConfig
from agents.models import (
    MAX_ITERATIONS_LIMIT,
    MAX_SUGGESTED_QUESTION_LENGTH,
    MAX_SUGGESTED_QUESTIONS,
    MAX_TOOL_NAME_LENGTH,
    MAX_TOOL_NAMES,
    Agent,
    validate_brand_color,
    validate_suggested_questions,
)
from agents.selectors import embed_policy_of
from agents.services import LIMIT_SETTINGS
from core.defaults import own_or_server
from core.names import snake
from limits import budgets, enforcement
from limits.amounts import format_usd


@dataclass(frozen=True)
class AgentReadings:
    """What agents' descriptions read beyond their rows, for all of them at once (a fixed
    number of queries however many there are): effective settings, caps, spend and reports."""

    configs: dict
    caps: dict
    standing: dict
    refused: dict

    @classmethod
    def of(cls, agents) -> AgentReadings:
        return cls(
            configs={agent.id: AgentConfig.of(agent) for agent in agents},
            caps=budgets.caps_of(agents),
            standing=budgets.agents_standing(agents),
            refused=enforcement.would_have_refused_of([agent.id for agent in agents]),
        )


class AgentOutputList(serializers.ListSerializer):
    def to_representation(self, data):
        agents = list(data.all() if hasattr(data, "all") else data)
        self.child.context["readings"] = AgentReadings.of(agents)
        return super().to_representation(agents)


class AvatarOutput(serializers.Serializer):
    contentType = serializers.CharField(help_text="image/png, image/jpeg or image/webp")
    url = serializers.CharField(help_text="where the widget fetches it, on this server: /widget/<agentId>/avatar?v=<version>")
    sha256 = serializers.CharField(help_text="the image's SHA-256 (hex)")


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
    budgets = serializers.SerializerMethodField(
        help_text='the effective spend caps ("50k tokens, $2"; "0" = no cap): the agent\'s own, its organisation\'s, else the server\'s'
    )
    spend = serializers.SerializerMethodField(
        help_text="what the agent spent today (UTC) and its organisation this month, against the caps"
    )
    enforcement = serializers.SerializerMethodField(help_text='"enforce", or "report": nothing refused, what would have been counted')
    wouldHaveRefused = serializers.SerializerMethodField(
        help_text="what report-only mode let through in the last 24 h: kind (origin, auth_context, rate_limit, budget), origin, count"
    )
    customised = serializers.SerializerMethodField(help_text="which settings are the agent's own rather than the server's defaults")
    embedPolicy = serializers.SerializerMethodField(help_text="whether the agent has an embed policy")
    brandColor = serializers.CharField(
        source="brand_color", help_text=f"the widget's colour, #rrggbb; \"\" = Smooth's blue ({appearance.DEFAULT_BRAND_COLOR})"
    )
    textColor = serializers.SerializerMethodField(
        help_text="the launcher's and buttons' text colour: white or black, whichever contrasts more with the (effective) brand colour"
    )
    contrastRatio = serializers.SerializerMethodField(help_text="the text colour's WCAG contrast ratio on the brand colour (at least 4.5)")
    launcherLabel = serializers.CharField(
        source="launcher_label", help_text='the button that opens the chat; "" = "Chat with us" in the visitor\'s language'
    )
    panelTitle = serializers.CharField(source="panel_title", help_text="the chat panel's title; \"\" = the agent's name")
    position = serializers.ChoiceField(choices=Agent.Position.values)
    theme = serializers.ChoiceField(choices=Agent.Theme.values, help_text='"auto" follows the visitor\'s system')
    greeting = serializers.CharField(help_text='shown before the visitor\'s first message; "" = none')
    suggestedQuestions = serializers.ListField(
        source="suggested_questions", child=serializers.CharField(), help_text="shown as buttons before the first message"
    )
    avatar = serializers.SerializerMethodField(help_text="the avatar image the widget shows; null = none")
    visitorErasure = serializers.ChoiceField(
        source="visitor_erasure",
        choices=Agent.VisitorErasure.values,
        help_text='whether the widget\'s "Delete conversation" erases ("erase"), erases and keeps a record without content ("audited"), or is off',
    )
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    class Meta:
        list_serializer_class = AgentOutputList

    def _read(self, agent) -> AgentReadings:
        readings = self.context.get("readings")
        if readings is None or agent.id not in readings.configs:  # one agent, not a list
            readings = self.context["readings"] = AgentReadings.of([agent])
        return readings

    def get_model(self, agent) -> str:
        return self._read(agent).configs[agent.id].model

    def get_systemPrompt(self, agent) -> str:
        return self._read(agent).configs[agent.id].system_prompt

    def get_maxIterations(self, agent) -> int:
        return self._read(agent).configs[agent.id].max_iterations

    def get_tools(self, agent) -> list[str] | None:
        tools = self._read(agent).configs[agent.id].tools
        return None if tools is None else list(tools)

    def get_confirmTools(self, agent) -> list[str]:
        return list(self._read(agent).configs[agent.id].confirm_tools)

    def get_endUserTools(self, agent) -> list[str]:
        return list(self._read(agent).configs[agent.id].end_user_tools)

    def get_rateLimits(self, agent) -> dict[str, str]:
        return {
            "sessionsPerIp": own_or_server(agent.sessions_per_ip, "SMOOTH_LIMIT_SESSIONS_PER_IP"),
            "messagesPerSession": own_or_server(agent.messages_per_session, "SMOOTH_LIMIT_MESSAGES_PER_SESSION"),
            "messagesPerAgent": own_or_server(agent.messages_per_agent, "SMOOTH_LIMIT_MESSAGES_PER_AGENT"),
        }

    def get_budgets(self, agent) -> dict[str, str]:
        caps = self._read(agent).caps[agent.id]
        return {
            "perSession": str(caps[budgets.Scope.SESSION] or 0),
            "perVisitorDay": str(caps[budgets.Scope.VISITOR] or 0),
            "perAgentDay": str(caps[budgets.Scope.AGENT] or 0),
            "perOrganizationMonth": str(caps[budgets.Scope.ORGANIZATION] or 0),
        }

    def get_spend(self, agent) -> dict[str, dict]:
        standing = self._read(agent).standing[agent.id]
        return {
            "agentToday": _standing(standing[budgets.Scope.AGENT]),
            "organizationMonth": _standing(standing[budgets.Scope.ORGANIZATION]),
        }

    def get_enforcement(self, agent) -> str:
        return enforcement.REPORT if enforcement.reporting(agent) else enforcement.ENFORCE

    def get_wouldHaveRefused(self, agent) -> list[dict]:
        rows = self._read(agent).refused[str(agent.id)]
        return [{"kind": kind, "origin": origin or None, "count": count} for kind, origin, count in rows]

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

    def get_textColor(self, agent) -> str:
        return appearance.text_color_for(agent.brand_color)

    def get_contrastRatio(self, agent) -> float:
        return round(appearance.Colors.of(agent.brand_color).contrast, 2)

    @extend_schema_field(AvatarOutput(allow_null=True))
    def get_avatar(self, agent) -> dict | None:
        if not agent.avatar_digest:
            return None
        return {"contentType": agent.avatar_type, "url": appearance.avatar_path(agent), "sha256": agent.avatar_digest}


def _standing(standing: budgets.Standing) -> dict:
    cap = standing.cap
    return {
        "tokens": standing.spent_tokens,
        "costUsd": format_usd(standing.spent_nano_usd),
        "capTokens": cap.tokens if cap else None,
        "capUsd": format_usd(cap.nano_usd) if cap and cap.nano_usd is not None else None,
    }


class StrictCharField(serializers.CharField):
    """A string, as sent: DRF's CharField would take 7 for "7"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _tool_names(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=MAX_TOOL_NAME_LENGTH),
        max_length=MAX_TOOL_NAMES,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _rate_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=32, allow_blank=True, required=False, allow_null=True, help_text=help_text)


def _budget_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=64, allow_blank=True, required=False, allow_null=True, help_text=help_text)


class AvatarInput(serializers.Serializer):
    """An image as base64, with its type (which must be what its first bytes say)."""

    contentType = serializers.ChoiceField(choices=appearance.AVATAR_TYPES)
    data = serializers.CharField(
        max_length=4 * (appearance.AVATAR_MAX_BYTES // 3 + 1) + 8,
        trim_whitespace=True,
        help_text=f"the image, base64-encoded: a PNG, JPEG or WebP of at most {appearance.AVATAR_MAX_BYTES // 1024} KB",
    )

    def validate(self, attrs) -> bytes:  # the image itself is what is kept
        try:
            image = base64.b64decode("".join(attrs["data"].split()), validate=True)  # line breaks allowed
        except (binascii.Error, ValueError):
            raise serializers.ValidationError({"data": ["not base64"]}) from None
        try:
            found = appearance.avatar_type(image)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"data": exc.messages}) from None
        if found != attrs["contentType"]:
            raise serializers.ValidationError({"contentType": [f"the image is {found}"]})
        return image


def _text_field(max_length: int, help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, required=False, allow_null=True, help_text=help_text)


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
    budgetPerSession = _budget_field("what one session may spend, e.g. 100k tokens, $0.50; empty = SMOOTH_BUDGET_PER_SESSION")
    budgetPerVisitorDay = _budget_field("what one visitor may spend per day (UTC); empty = SMOOTH_BUDGET_PER_VISITOR_DAY")
    budgetPerAgentDay = _budget_field("what the agent may spend per day (UTC); empty = SMOOTH_BUDGET_PER_AGENT_DAY")
    enforcement = serializers.ChoiceField(
        choices=["", "enforce", "report"],
        required=False,
        allow_null=True,
        help_text='"report": refuse nothing, count what would have been refused; empty = SMOOTH_ENFORCEMENT',
    )
    brandColor = serializers.CharField(
        max_length=7,
        allow_blank=True,
        required=False,
        allow_null=True,
        validators=[validate_brand_color],
        help_text="the widget's colour, #rrggbb; empty = Smooth's blue. The text colour follows from it",
    )
    launcherLabel = _text_field(40, 'the button that opens the chat; empty = "Chat with us" in the visitor\'s language')
    panelTitle = _text_field(80, "the chat panel's title; empty = the agent's name")
    position = serializers.ChoiceField(choices=Agent.Position.values, required=False)
    theme = serializers.ChoiceField(choices=Agent.Theme.values, required=False, help_text='"auto" follows the visitor\'s system')
    greeting = _text_field(500, "shown before the visitor's first message; empty = none")
    suggestedQuestions = serializers.ListField(
        child=StrictCharField(max_length=MAX_SUGGESTED_QUESTION_LENGTH),
        max_length=MAX_SUGGESTED_QUESTIONS,
        required=False,
        validators=[validate_suggested_questions],
        help_text=f"at most {MAX_SUGGESTED_QUESTIONS} questions shown as buttons before the first message; [] = none",
    )
    avatar = AvatarInput(required=False, allow_null=True, help_text="the avatar image; null removes it")
    visitorErasure = serializers.ChoiceField(
        choices=Agent.VisitorErasure.values,
        required=False,
        help_text='"erase", "audited" (erase, and keep a record without content) or "off" (the widget cannot delete)',
    )

    def model_fields(self) -> dict:
        """The validated fields under the model's names, blanks normalised."""
        fields = {snake(key): value for key, value in self.validated_data.items()}
        for key in ("model", "system_prompt", *LIMIT_SETTINGS, "brand_color", "launcher_label", "panel_title", "greeting"):
            if key in fields:
                fields[key] = fields[key] or ""
        return fields
