"""Agents: the registered objects a session talks to.

An agent belongs to exactly one organisation, for good: its sessions, their
conversations and the knowledge its turns read all live there. Blank settings
mean the server's defaults (SMOOTH_AGENT_MODEL, SMOOTH_AGENT_SYSTEM_PROMPT,
SMOOTH_AGENT_MAX_ITERATIONS).
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from smooth.models import Timestamped

MAX_ITERATIONS_LIMIT = 50


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
    # A disabled agent refuses new sessions, and every action on its existing ones.
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"
