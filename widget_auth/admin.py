"""Site owners manage their agents' embed policies here."""
from django.contrib import admin

from widget_auth.forms import WidgetPolicyForm
from widget_auth.models import WidgetPolicy


@admin.register(WidgetPolicy)
class WidgetPolicyAdmin(admin.ModelAdmin):
    form = WidgetPolicyForm
    list_display = ["agent_id", "organization_id", "enabled", "origins", "key_scheme", "key_fingerprint", "updated_at"]
    list_filter = ["enabled", "key_scheme", "organization_id"]
    search_fields = ["=agent_id", "organization_id", "notes"]
    readonly_fields = ["key_fingerprint", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["agent_id", "organization_id", "enabled", "notes"]}),
        ("Where it may be embedded", {"fields": ["allowed_origins"]}),
        (
            "Vouching for logged-in users (authContext)",
            {"fields": ["key_scheme", "public_key", "hmac_secret", "key_fingerprint"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="allowed origins")
    def origins(self, policy: WidgetPolicy) -> str:
        return ", ".join(policy.allowed_origins) or "(none: embedding refused)"
