"""What the limits keep in the database: spend against the budgets (never only in a
counter that could be lost), each organisation's own monthly cap, and the refusals that
report-only mode let through."""

from __future__ import annotations

from django.db import models

from limits.amounts import validate_cap


class Spend(models.Model):
    """Model tokens and cost spent in one budget's period: a session's whole life, a
    visitor's or an agent's day (UTC), an organisation's month."""

    class Scope(models.TextChoices):
        SESSION = "session"
        VISITOR = "visitor"
        AGENT = "agent"
        ORGANIZATION = "organization"

    scope = models.CharField(max_length=16, choices=Scope.choices)
    # The session id; the agent id and visitor ("<agent>:user:<id>" or "<agent>:anon:<fingerprint>:<address>");
    # the agent id; the organisation id.
    key = models.CharField(max_length=600)
    period = models.DateField(help_text="the day or the first of the month; 1970-01-01 for a session's whole life")
    organization_id = models.CharField(max_length=128, db_index=True)
    tokens = models.BigIntegerField(default=0)
    nano_usd = models.BigIntegerField(default=0, help_text="cost in billionths of a dollar")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "period"], name="spend_one_row_per_period")]
        verbose_name_plural = "spend"

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.period}: {self.tokens} tokens"


class OrganizationBudget(models.Model):
    """An organisation's own cap on its whole month; without one, SMOOTH_BUDGET_PER_ORG_MONTH applies."""

    organization_id = models.CharField(max_length=128, unique=True)
    per_month = models.CharField(
        max_length=64,
        validators=[validate_cap],
        help_text="e.g. 5000000 tokens, $200 (0 = no cap); the month is the calendar month, UTC",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization_id"]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.per_month}"


class ReportedRefusal(models.Model):
    """How often, in one hour, report-only mode let through what enforcement would have
    refused: one row per agent, kind, origin and reason."""

    class Kind(models.TextChoices):
        ORIGIN = "origin", "origin"
        AUTH_CONTEXT = "auth_context", "authContext"
        RATE_LIMIT = "rate_limit", "rate limit"
        BUDGET = "budget", "budget"

    agent_id = models.CharField(max_length=64, blank=True, db_index=True, help_text="blank: a server-wide limit, before any agent")
    organization_id = models.CharField(max_length=128, blank=True, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    origin = models.CharField(max_length=512, blank=True)
    reason = models.CharField(max_length=200)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-hour"]
        constraints = [
            models.UniqueConstraint(fields=["agent_id", "kind", "origin", "reason", "hour"], name="reported_refusal_one_row_per_hour")
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.kind} ({self.reason})"
