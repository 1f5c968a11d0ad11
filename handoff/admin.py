"""Conversations waiting for a person, the longest wait first, in the staff's own organisations."""

from django.contrib import admin

from handoff.models import Handoff
from identity.staff import OrganizationScopedRecordAdmin


@admin.register(Handoff)
class HandoffAdmin(OrganizationScopedRecordAdmin):
    list_display = ["conversation", "state", "reason", "source", "requested_at", "organization_id"]
    list_filter = ["state", "source", "organization_id"]
    search_fields = ["=conversation__id", "=session__session_id"]
