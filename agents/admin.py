"""Site owners register and tune their agents here, in their own organisations."""

from __future__ import annotations

from django.contrib import admin

from agents.models import Agent
from identity.staff import OrganizationScopedAdmin, check_organization


@admin.register(Agent)
class AgentAdmin(OrganizationScopedAdmin):
    list_display = ["name", "id", "organization_id", "enabled", "model", "updated_at"]
    list_filter = ["enabled", "organization_id"]
    search_fields = ["=id", "name"]
    readonly_fields = ["id", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "name", "organization_id", "enabled"]}),
        ("Turns (blank = the server's defaults)", {"fields": ["model", "system_prompt", "max_iterations"]}),
        ("Tools (blank = the server's defaults)", {"fields": ["tools", "confirm_tools", "end_user_tools"]}),
        ("Rate limits (blank = the server's defaults)", {"fields": ["sessions_per_ip", "messages_per_session", "messages_per_agent"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Moving an existing agent to another organisation is an operator's act
        # (manage.py agent set --org): its sessions would stay behind.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "organization_id"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class StaffAgentForm(form):
            def clean_organization_id(self):
                organization_id = self.cleaned_data["organization_id"]
                check_organization(request.user, organization_id)
                return organization_id

        return StaffAgentForm
