"""A conversation that asked for a person, and the person who holds it.

Waiting: the AI escalated it (a tool call, or the visitor's own words) and the
organisation's operators were told. Held: an operator (Django staff of the organisation)
took it over as a human-agent participant; the AI does not answer. Returned: the operator
handed it back; the AI answers again."""

from __future__ import annotations

from django.db import models


class Handoff(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "waiting for a person"
        HELD = "held", "held by a person"
        RETURNED = "returned", "handed back to the AI"

    class Source(models.TextChoices):
        TOOL = "tool", "the agent called escalate_to_human"
        PHRASE = "phrase", "the visitor asked for a person"
        OPERATOR = "operator", "an operator took it over unasked"

    conversation = models.OneToOneField("chat.Conversation", primary_key=True, on_delete=models.CASCADE, related_name="handoff")
    organization_id = models.CharField(max_length=128, db_index=True)
    # The session whose turn escalated last (its visitor, its agent).
    session = models.ForeignKey("chat.Session", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    source = models.CharField(max_length=16, choices=Source.choices)
    reason = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    # While held: the operator (their Django user id and the name visitors read) and their
    # human-agent participant in the conversation.
    holder_user_id = models.CharField(max_length=64, blank=True)
    holder_name = models.CharField(max_length=255, blank=True)
    holder_participant = models.ForeignKey("chat.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    held_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at"]  # the longest wait first

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.state}"
