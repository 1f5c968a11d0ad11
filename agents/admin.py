"""Site owners register and tune their agents here, in their own organisations."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils.html import format_html

from agents.models import Agent
from identity.staff import OrganizationScopedAdmin

LIMITS = apps.is_installed("limits")  # spend and would-be refusals are its records
if LIMITS:
    from limits import budgets, enforcement
    from limits.amounts import describe_standing


@admin.register(Agent)
class AgentAdmin(OrganizationScopedAdmin):
    list_display = ["name", "id", "organization_id", "enabled", "model", "updated_at"]
    list_filter = ["enabled", "organization_id"]
    search_fields = ["=id", "name"]
    readonly_fields = ["id", "created_at", "updated_at", "spend", "would_have_refused"]
    fieldsets = [
        (None, {"fields": ["id", "name", "organization_id", "enabled"]}),
        ("Turns (blank = the server's defaults)", {"fields": ["model", "system_prompt", "max_iterations"]}),
        ("Tools (blank = the server's defaults)", {"fields": ["tools", "confirm_tools", "end_user_tools"]}),
        ("Rate limits (blank = the server's defaults)", {"fields": ["sessions_per_ip", "messages_per_session", "messages_per_agent"]}),
        (
            "Spend budgets (blank = the server's defaults)",
            {"fields": ["budget_per_session", "budget_per_visitor_day", "budget_per_agent_day", "spend"]},
        ),
        ("Enforcement", {"fields": ["enforcement", "would_have_refused"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="spend")
    def spend(self, agent) -> str:
        if agent.pk is None or not LIMITS:
            return "-"
        standing = budgets.agent_standing(agent)  # both read at once
        return format_html(
            "the agent today (UTC): {}<br>its organisation this month: {}",
            describe_standing(standing[budgets.Scope.AGENT]),
            describe_standing(standing[budgets.Scope.ORGANIZATION]),
        )

    @admin.display(description="report-only")
    def would_have_refused(self, agent) -> str:
        if agent.pk is None or not LIMITS:
            return "-"
        mode = "reporting only" if enforcement.reporting(agent) else "enforcing"
        return f"{mode}; {enforcement.summary(agent.id)}"

    def get_readonly_fields(self, request, obj=None):
        # Moving an existing agent to another organisation is an operator's act
        # (manage.py agent set --org): its sessions would stay behind.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "organization_id"]
        return self.readonly_fields
