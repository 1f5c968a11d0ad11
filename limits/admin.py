"""Each organisation's monthly cap, its spend, and what report-only mode let through, in
the staff's own organisations (identity.staff). Spend and reports are records: read-only."""

from django.contrib import admin

from identity.staff import OrganizationScopedAdmin, OrganizationScopedRecordAdmin
from limits.amounts import format_usd
from limits.models import OrganizationBudget, ReportedRefusal, Spend


@admin.register(OrganizationBudget)
class OrganizationBudgetAdmin(OrganizationScopedAdmin):
    list_display = ["organization_id", "per_month", "updated_at"]
    search_fields = ["organization_id"]


@admin.register(Spend)
class SpendAdmin(OrganizationScopedRecordAdmin):
    list_display = ["scope", "key", "period", "organization_id", "tokens", "cost_usd", "updated_at"]
    list_filter = ["scope", "period", "organization_id"]
    search_fields = ["=key"]

    @admin.display(description="cost (USD)")
    def cost_usd(self, spend) -> str:
        return format_usd(spend.nano_usd)


@admin.register(ReportedRefusal)
class ReportedRefusalAdmin(OrganizationScopedRecordAdmin):
    list_display = ["hour", "agent_id", "kind", "origin", "reason", "count", "last_at"]
    list_filter = ["kind", "hour", "organization_id"]
    search_fields = ["=agent_id", "origin"]
