"""Agents: the registered objects a session talks to.

An agent belongs to exactly one organisation, for good: its sessions, their
conversations and the knowledge its turns read all live there. Blank settings
mean the server's defaults (SMOOTH_AGENT_MODEL, SMOOTH_AGENT_SYSTEM_PROMPT,
SMOOTH_AGENT_MAX_ITERATIONS).
"""

from __future__ import annotations

import re
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


BRAND_COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
MAX_SUGGESTED_QUESTIONS = 4
MAX_SUGGESTED_QUESTION_LENGTH = 120


def validate_brand_color(value: str) -> None:
    if value and not BRAND_COLOR_PATTERN.fullmatch(value):
        raise ValidationError("a colour as #RRGGBB, e.g. #0b5fff")


def validate_suggested_questions(value) -> None:
    if not isinstance(value, list) or len(value) > MAX_SUGGESTED_QUESTIONS:
        raise ValidationError(f"a list of at most {MAX_SUGGESTED_QUESTIONS} questions")
    for question in value:
        if not isinstance(question, str) or not question.strip() or len(question) > MAX_SUGGESTED_QUESTION_LENGTH:
            raise ValidationError(f"each question must be a non-empty string of at most {MAX_SUGGESTED_QUESTION_LENGTH} characters")


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

    # The widget's look and words (the public config endpoint serves them; blank = Smooth's own).
    class Position(models.TextChoices):
        BOTTOM_RIGHT = "bottom-right", "bottom right"
        BOTTOM_LEFT = "bottom-left", "bottom left"

    class Theme(models.TextChoices):
        AUTO = "auto", "follow the visitor's system"
        LIGHT = "light", "light"
        DARK = "dark", "dark"

    brand_color = models.CharField(
        max_length=7,
        blank=True,
        validators=[validate_brand_color],
        help_text="the launcher's and buttons' colour, #RRGGBB; blank = Smooth's blue",
    )
    launcher_label = models.CharField(
        max_length=40, blank=True, help_text='the button that opens the chat; blank = "Chat with us" in the visitor\'s language'
    )
    panel_title = models.CharField(max_length=80, blank=True, help_text="the chat panel's title; blank = the agent's name")
    position = models.CharField(max_length=12, choices=Position.choices, default=Position.BOTTOM_RIGHT)
    theme = models.CharField(max_length=5, choices=Theme.choices, default=Theme.AUTO)
    greeting = models.TextField(max_length=500, blank=True, help_text="shown before the visitor's first message; blank = none")
    suggested_questions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_suggested_questions],
        help_text=f"up to {MAX_SUGGESTED_QUESTIONS} questions shown as buttons before the first message",
    )
    # A small image the server stores and serves itself (the widget fetches from no other host).
    avatar = models.BinaryField(null=True, blank=True, editable=False)
    avatar_type = models.CharField(max_length=16, blank=True, editable=False)  # image/png, image/jpeg or image/webp
    avatar_digest = models.CharField(max_length=64, blank=True, editable=False)  # its SHA-256: the address's version

    class VisitorErasure(models.TextChoices):
        ERASE = "erase", "the visitor may delete their conversation"
        ERASE_AUDITED = "audited", "the visitor may delete it; an erasure record without content is kept"
        OFF = "off", "the visitor may not delete it"

    visitor_erasure = models.CharField(
        max_length=8,
        choices=VisitorErasure.choices,
        default=VisitorErasure.ERASE,
        help_text='whether the widget\'s "Delete conversation" erases the conversation',
    )

    class Meta:
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"
