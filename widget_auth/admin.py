"""Site owners manage their agents' embed policies here, in their own organisations."""

from django.contrib import admin

from agents.models import Agent
from identity.staff import OrganizationScopedAdmin, organizations_of
from widget_auth.forms import WidgetPolicyForm
from widget_auth.models import WidgetPolicy


@admin.register(WidgetPolicy)
class WidgetPolicyAdmin(OrganizationScopedAdmin):
    organization_field = "agent__organization_id"
    form = WidgetPolicyForm
    list_display = ["agent", "organization", "enabled", "origins", "key_scheme", "key_fingerprint", "updated_at"]
    list_filter = ["enabled", "key_scheme"]
    search_fields = ["=agent__id", "agent__name", "notes"]
    readonly_fields = ["key_fingerprint", "created_at", "updated_at"]
    list_select_related = ["agent"]
    fieldsets = [
        (None, {"fields": ["agent", "enabled", "notes"]}),
        ("Where it may be embedded", {"fields": ["allowed_origins"]}),
        (
            "Vouching for logged-in users (authContext)",
            {"fields": ["key_scheme", "public_key", "hmac_secret", "accept_legacy_auth_context", "key_fingerprint"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agent":  # only agents of the staff member's organisations
            organizations = organizations_of(request.user)
            agents = Agent.objects.all()
            kwargs["queryset"] = agents if organizations is None else agents.filter(organization_id__in=organizations)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="organisation", ordering="agent__organization_id")
    def organization(self, policy: WidgetPolicy) -> str:
        return policy.agent.organization_id

    @admin.display(description="allowed origins")
    def origins(self, policy: WidgetPolicy) -> str:
        return ", ".join(policy.allowed_origins) or "(none: embedding refused)"
