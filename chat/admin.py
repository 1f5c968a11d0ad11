"""Staff browse conversations with their participants, sessions and messages,
each in their own organisations (identity.staff), with the visitors' ratings of the
answers; the operator's view of how each agent did (chat.insights); and the records of
visitors' deletions of their conversations (kept when an agent's owner asks for them).

What the protocol wrote is evidence, so it is read-only here; staff may only
change a session's status (for example, end it).
"""

import uuid

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import path

from chat import insights
from chat.models import Conversation, ConversationErasure, Message, Participant, Session
from identity.staff import OrganizationScopedAdmin, OrganizationScopedRecordAdmin, organizations_of

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
    fields = readonly_fields = ("created_at", "direction", "text", "from_participant", "feedback", "feedback_comment")
    ordering = ["created_at"]


class ConversationMessagesFilter(admin.SimpleListFilter):
    """Conversations with messages by default: a page view that opened a session and asked
    nothing is not a conversation anyone needs to read."""

    title = "messages"
    parameter_name = "messages"

    def lookups(self, request, model_admin):
        return [("any", "With messages"), ("none", "Without messages"), ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "any") == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        chosen = self.value() or "any"
        if chosen == "any":
            return queryset.filter(message_total__gt=0)
        if chosen == "none":
            return queryset.filter(message_total=0)
        return queryset


class ConversationFeedbackFilter(admin.SimpleListFilter):
    """The conversations whose answers visitors rated, 👎 first: where an answer failed."""

    title = "feedback"
    parameter_name = "feedback"

    def lookups(self, request, model_admin):
        return [("down", "With 👎"), ("up", "With 👍"), ("none", "Not rated")]

    def queryset(self, request, queryset):
        if self.value() == "down":
            return queryset.filter(not_helpful__gt=0)
        if self.value() == "up":
            return queryset.filter(helpful__gt=0)
        if self.value() == "none":
            return queryset.filter(helpful=0, not_helpful=0)
        return queryset


@admin.register(Conversation)
class ConversationAdmin(OrganizationScopedRecordAdmin):
    """What was said is a record: read here, with no Save and no Delete (a session's status
    is changed on the session)."""

    list_display = ["first_question", "status", "message_total", "feedback", "last_activity", "organization_id"]
    list_filter = [ConversationMessagesFilter, ConversationFeedbackFilter, "platform", "organization_id", "created_at"]
    search_fields = ["=id", "name", "participants__email", "=sessions__session_id"]
    readonly_fields = [f.name for f in Conversation._meta.fields]
    inlines = [ParticipantInline, SessionInline, MessageInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        first_question = Message.objects.filter(conversation=OuterRef("pk"), direction=Message.Direction.INBOUND).order_by("created_at")
        latest_session = Session.objects.filter(conversation=OuterRef("pk")).order_by("-last_activity_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                message_total=Count("messages", distinct=True),
                # The ratings in the same join as the count: one query for the page, not one a row.
                helpful=Count("messages", filter=Q(messages__feedback=Message.Feedback.UP), distinct=True),
                not_helpful=Count("messages", filter=Q(messages__feedback=Message.Feedback.DOWN), distinct=True),
                last_message_at=Max("messages__created_at"),
                first_content=Subquery(first_question.values("content")[:1]),
                session_status=Subquery(latest_session.values("status")[:1]),
            )
        )

    @admin.display(description="first question")
    def first_question(self, conversation) -> str:
        content = conversation.first_content
        text = str(content.get("text", "")) if isinstance(content, dict) else ""
        return (text[:80] + "…" if len(text) > 80 else text) or "(nothing asked)"

    @admin.display(description="status", ordering="session_status")
    def status(self, conversation) -> str:
        return conversation.session_status or "-"

    @admin.display(description="messages", ordering="message_total")
    def message_total(self, conversation) -> int:
        return conversation.message_total

    @admin.display(description="feedback", ordering="not_helpful")
    def feedback(self, conversation) -> str:
        if not conversation.helpful and not conversation.not_helpful:
            return "-"
        return f"👍 {conversation.helpful} / 👎 {conversation.not_helpful}"

    @admin.display(description="last activity", ordering="last_message_at")
    def last_activity(self, conversation):
        return conversation.last_message_at or conversation.created_at

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # Before the change page's catch-all "<object_id>/".
        return [path("insights/", self.admin_site.admin_view(self.insights_view), name="chat_insights"), *super().get_urls()]

    def insights_view(self, request):
        """How each agent did, day by day, in the staff user's organisations (chat.insights):
        for whoever may read the conversations it counts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = _agent_id(request.GET.get("agent"))
        report = insights.insights(organizations=organizations_of(request.user), agent_id=chosen)
        context = {
            **self.admin_site.each_context(request),
            "title": "How agents did",
            "opts": self.opts,
            "report": report,
            "chosen": chosen,
            "days": insights.DAYS,
            "found_nothing_shown": insights.FOUND_NOTHING_SHOWN,
        }
        return TemplateResponse(request, "admin/chat/insights.html", context)


def _agent_id(value: str | None) -> uuid.UUID | None:
    """The agent the view is narrowed to; None (every agent) for none or anything not an id."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


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
    list_display = ["created_at", "direction", "text", "feedback", "conversation"]
    list_filter = ["direction", "feedback", "organization_id"]
    search_fields = ["=conversation__id", "=session__session_id"]
    readonly_fields = [f.name for f in Message._meta.fields]
    list_select_related = ["conversation"]


@admin.register(ConversationErasure)
class ConversationErasureAdmin(OrganizationScopedRecordAdmin):
    """Visitors' deletions of their conversations, for agents whose owner keeps an audit
    record: who asked (their participant id), when, how many messages; never what was said.
    A record of what happened: read here, never changed or deleted."""

    list_display = ["erased_at", "conversation_id", "messages", "agent_id", "session_id", "requested_by", "organization_id"]
    list_filter = ["organization_id", "erased_at"]
    search_fields = ["=conversation_id", "=session_id", "=agent_id", "=requested_by"]
    readonly_fields = [f.name for f in ConversationErasure._meta.fields]
    date_hierarchy = "erased_at"

    def has_delete_permission(self, request, obj=None):
        return False
