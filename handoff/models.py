"""A conversation that asked for a person: the AI escalated it (a tool call, or the
visitor's own words), and the organisation's operators are told."""

from __future__ import annotations

from django.db import models


class Handoff(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "waiting for a person"

    class Source(models.TextChoices):
        TOOL = "tool", "the agent called escalate_to_human"
        PHRASE = "phrase", "the visitor asked for a person"

    conversation = models.OneToOneField("chat.Conversation", primary_key=True, on_delete=models.CASCADE, related_name="handoff")
    organization_id = models.CharField(max_length=128, db_index=True)
    # The session whose turn escalated last (its visitor, its agent).
    session = models.ForeignKey("chat.Session", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    source = models.CharField(max_length=16, choices=Source.choices)
    reason = models.CharField(max_length=500)
    requested_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at"]  # the longest wait first

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.state}"
