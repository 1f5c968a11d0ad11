"""Staff browse conversations with their participants, sessions and messages,
each in their own organisations (identity.staff).

What the protocol wrote is evidence, so it is read-only here; staff may only
change a session's status (for example, end it).
"""

from django.apps import apps
from django.contrib import admin

from chat.models import Conversation, Message, Participant, Session
from identity.staff import OrganizationScopedAdmin, OrganizationScopedRecordAdmin

LIMITS = apps.is_installed("limits")  # spend is its record
if LIMITS:
    from limits import budgets
    from limits.amounts import describe_standing


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = readonly_fields = ("id", "type", "name", "email", "external_id", "internal_id", "created_at")


class SessionInline(ReadOnlyInline):
    model = Session
    fk_name = "conversation"
    fields = readonly_fields = ("session_id", "agent", "agent_name", "origin", "status", "message_count", "token_count", "last_activity_at")


class MessageInline(ReadOnlyInline):
    model = Message
    fields = readonly_fields = ("created_at", "direction", "text", "from_participant")
    ordering = ["created_at"]


@admin.register(Conversation)
class ConversationAdmin(OrganizationScopedAdmin):
    list_display = ["name", "id", "organization_id", "platform", "created_at"]
    list_filter = ["platform", "organization_id", "created_at"]
    search_fields = ["=id", "name", "participants__email", "=sessions__session_id"]
    readonly_fields = [f.name for f in Conversation._meta.fields]
    inlines = [ParticipantInline, SessionInline, MessageInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(Session)
class SessionAdmin(OrganizationScopedAdmin):
    list_display = ["session_id", "agent_name", "agent", "organization_id", "origin", "status", "message_count", "created_at"]
    list_filter = ["status", "organization_id", "created_at"]
    search_fields = ["=session_id", "=conversation__id", "user_participant__email", "=agent__id"]
    readonly_fields = [*(f.name for f in Session._meta.fields if f.name != "status"), "spend"]
    list_select_related = ["conversation"]

    @admin.display(description="spend against the session's budget")
    def spend(self, session) -> str:
        if not LIMITS:
            return "-"
        return describe_standing(budgets.session_standing(session))

    def has_add_permission(self, request):
        return False


@admin.register(Participant)
class ParticipantAdmin(OrganizationScopedRecordAdmin):
    list_display = ["name", "type", "email", "external_id", "organization_id", "created_at"]
    list_filter = ["type", "organization_id"]
    search_fields = ["email", "name", "external_id", "=conversation__id"]
    readonly_fields = [f.name for f in Participant._meta.fields]


@admin.register(Message)
class MessageAdmin(OrganizationScopedRecordAdmin):
    list_display = ["created_at", "direction", "text", "conversation"]
    list_filter = ["direction", "organization_id"]
    search_fields = ["=conversation__id", "=session__session_id"]
    readonly_fields = [f.name for f in Message._meta.fields]
    list_select_related = ["conversation"]
