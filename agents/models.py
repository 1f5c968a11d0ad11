"""Agents: the registered objects a session talks to.

An agent belongs to exactly one organisation, for good: its sessions, their
conversations and the knowledge its turns read all live there. Blank settings
mean the server's defaults (SMOOTH_AGENT_MODEL, SMOOTH_AGENT_SYSTEM_PROMPT,
SMOOTH_AGENT_MAX_ITERATIONS).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import Timestamped
from limits.amounts import validate_cap
from limits.rates import validate_rate

MAX_ITERATIONS_LIMIT = 50
MAX_TOOL_NAMES = 100
MAX_TOOL_NAME_LENGTH = 128


def validate_tool_names(value) -> None:
    """A list of tool names (or, for confirmation, glob patterns such as "delete_*")."""
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_TOOL_NAMES:
        raise ValidationError(f"must be a list of at most {MAX_TOOL_NAMES} tool names")
    for name in value:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_TOOL_NAME_LENGTH:
            raise ValidationError(f"each tool name must be a non-empty string of at most {MAX_TOOL_NAME_LENGTH} characters")


def tool_list(help_text: str) -> models.JSONField:
    return models.JSONField(null=True, blank=True, validators=[validate_tool_names], help_text=help_text)


def limit_field(max_length: int, validator, help_text: str) -> models.CharField:
    """A rate or a budget as text; blank = the server's default."""
    return models.CharField(max_length=max_length, blank=True, validators=[validator], help_text=help_text)


class Agent(Timestamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128, db_index=True)
    name = models.CharField(max_length=255, help_text="shown to visitors (agentName in every session)")
    model = models.CharField(max_length=255, blank=True, help_text="model asked of the gateway; blank = SMOOTH_AGENT_MODEL")
    system_prompt = models.TextField(blank=True, help_text="the agent's instructions; blank = the server's default prompt")
    max_iterations = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ITERATIONS_LIMIT)],
        help_text="model calls per turn at most; blank = SMOOTH_AGENT_MAX_ITERATIONS",
    )
    # Null: the server's default; a list (even an empty one) is the agent's own.
    tools = tool_list(
        'names of the registered tools the agent may call, e.g. ["knowledge_search", "order_status"]; blank = every registered tool'
    )
    confirm_tools = tool_list(
        'tools that wait for the visitor to approve each call: names or glob patterns, e.g. ["refund_*"]; blank = SMOOTH_AGENT_CONFIRM_TOOLS'
    )
    end_user_tools = tool_list(
        "tools that run only for a verified visitor (authContext or a one-time code): names or glob patterns, "
        'e.g. ["order_*"]; blank = SMOOTH_AGENT_END_USER_TOOLS'
    )
    # Rates ("20/min"; 0 = no limit); blank = the server's SMOOTH_LIMIT_* default.
    sessions_per_ip = limit_field(32, validate_rate, "new sessions per visitor IP, e.g. 30/h; blank = SMOOTH_LIMIT_SESSIONS_PER_IP")
    messages_per_session = limit_field(32, validate_rate, "messages per session, e.g. 10/min; blank = SMOOTH_LIMIT_MESSAGES_PER_SESSION")
    messages_per_agent = limit_field(
        32, validate_rate, "messages to this agent from everyone, e.g. 300/min; blank = SMOOTH_LIMIT_MESSAGES_PER_AGENT"
    )
    # Spend caps ("50k tokens", "$2", "50k tokens, $2"; 0 = no cap); blank = SMOOTH_BUDGET_*.
    budget_per_session = limit_field(
        64, validate_cap, "model tokens and/or cost one session may spend, e.g. 100k tokens, $0.50; blank = SMOOTH_BUDGET_PER_SESSION"
    )
    budget_per_visitor_day = limit_field(
        64, validate_cap, "what one visitor may spend on this agent per day (UTC); blank = SMOOTH_BUDGET_PER_VISITOR_DAY"
    )
    budget_per_agent_day = limit_field(
        64, validate_cap, "what the agent may spend per day (UTC), everyone together; blank = SMOOTH_BUDGET_PER_AGENT_DAY"
    )

    class Enforcement(models.TextChoices):
        DEFAULT = "", "the server's (SMOOTH_ENFORCEMENT)"
        ENFORCE = "enforce", "enforce: refuse"
        REPORT = "report", "report only: refuse nothing, count what would have been refused"

    enforcement = models.CharField(
        max_length=8,
        choices=Enforcement.choices,
        blank=True,
        help_text="whether the embed policy's origin and authContext checks, the rate limits and the budgets refuse, or only report",
    )
    # A disabled agent refuses new sessions, and every action on its existing ones.
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"
