"""Site owners register and tune their agents here, in their own organisations."""

from __future__ import annotations

import base64

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from agents import appearance
from agents.models import MAX_SUGGESTED_QUESTION_LENGTH, MAX_SUGGESTED_QUESTIONS, Agent, validate_suggested_questions
from identity.staff import OrganizationScopedAdmin

LIMITS = apps.is_installed("limits")  # spend and would-be refusals are its records
if LIMITS:
    from limits import budgets, enforcement
    from limits.amounts import describe_standing


# Choices a form posted without them (a script's) keeps as they are.
KEPT_WHEN_ABSENT = ("position", "theme", "visitor_erasure")


class AgentForm(forms.ModelForm):
    """The agent's settings, with its suggested questions one per line and its avatar as an upload."""

    suggested_questions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": MAX_SUGGESTED_QUESTIONS, "cols": 60}),
        help_text=f"one per line, at most {MAX_SUGGESTED_QUESTIONS}, each at most {MAX_SUGGESTED_QUESTION_LENGTH} characters; "
        "shown as buttons before the first message",
    )
    avatar_upload = forms.FileField(
        required=False,
        label="avatar",
        widget=forms.FileInput(attrs={"accept": ",".join(appearance.AVATAR_TYPES)}),
        help_text=f"a PNG, JPEG or WebP image of at most {appearance.AVATAR_MAX_BYTES // 1024} KB, shown square and small",
    )
    remove_avatar = forms.BooleanField(required=False, label="remove the avatar")

    class Meta:
        model = Agent
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "suggested_questions" in self.fields:
            self.initial["suggested_questions"] = "\n".join(self.instance.suggested_questions or [])
        for name in KEPT_WHEN_ABSENT:
            if name in self.fields:
                self.fields[name].required = False

    def clean_suggested_questions(self) -> list[str]:
        questions = [line.strip() for line in self.cleaned_data["suggested_questions"].splitlines() if line.strip()]
        validate_suggested_questions(questions)  # the model's words, as the API gives them
        return questions

    def clean_brand_color(self) -> str:
        return self.cleaned_data["brand_color"].strip().lower()

    def clean_avatar_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("avatar_upload")
        if not upload:
            return None
        if upload.size > appearance.AVATAR_MAX_BYTES:  # refused before it is read
            raise ValidationError(f"the avatar is {upload.size // 1024} KB; at most {appearance.AVATAR_MAX_BYTES // 1024} KB")
        image = upload.read()
        appearance.avatar_type(image)
        return image

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in KEPT_WHEN_ABSENT:
            if name in self.fields and not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        if cleaned.get("avatar_upload") and cleaned.get("remove_avatar"):
            raise ValidationError("upload an avatar or remove it, not both")
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("avatar_upload") is not None:
            fields = appearance.avatar_fields(self.cleaned_data["avatar_upload"])
        elif self.cleaned_data.get("remove_avatar"):
            fields = appearance.avatar_fields(None)
        else:
            fields = {}
        for name, value in fields.items():
            setattr(self.instance, name, value)
        return super().save(commit)


@admin.register(Agent)
class AgentAdmin(OrganizationScopedAdmin):
    form = AgentForm
    list_display = ["name", "id", "organization_id", "enabled", "model", "updated_at"]
    list_filter = ["enabled", "organization_id"]
    search_fields = ["=id", "name"]
    readonly_fields = ["id", "created_at", "updated_at", "spend", "would_have_refused", "colors", "current_avatar", "preview"]
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
        (
            "Widget (blank = Smooth's own)",
            {
                "fields": [
                    "brand_color",
                    "colors",
                    "launcher_label",
                    "panel_title",
                    "position",
                    "theme",
                    "greeting",
                    "suggested_questions",
                    "current_avatar",
                    "avatar_upload",
                    "remove_avatar",
                    "visitor_erasure",
                    "preview",
                ]
            },
        ),
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

    @admin.display(description="text colour")
    def colors(self, agent) -> str:
        colors = appearance.Colors.of(agent.brand_color)
        return format_html(
            '<span style="background:{};color:{};padding:0.3em 0.8em;border-radius:0.4em;font-weight:600">{}</span> '
            "text {} on {}: contrast {}:1 (WCAG AA needs 4.5:1), for the saved brand colour",
            colors.brand,
            colors.text,
            agent.launcher_label or "Chat with us",
            colors.text,
            colors.brand,
            f"{colors.contrast:.2f}",
        )

    @admin.display(description="current avatar")
    def current_avatar(self, agent) -> str:
        if not agent.avatar_digest:
            return "none"
        # Inline, so the admin shows it whatever the embed policy lets this page fetch.
        data = base64.b64encode(bytes(agent.avatar)).decode()
        return format_html('<img src="data:{};base64,{}" alt="" width="48" height="48" style="border-radius:50%">', agent.avatar_type, data)

    @admin.display(description="preview")
    def preview(self, agent) -> str:
        if agent._state.adding:
            return "save the agent first"
        url = f"{reverse('embed')}?agent={agent.id}"
        return format_html('<a href="{}" target="_blank" rel="noopener">See the widget as visitors will, on /embed</a>', url)

    def get_queryset(self, request):
        # A list of agents leaves their avatars' bytes in the database; a change page reads its one.
        return super().get_queryset(request).defer("avatar")

    def get_readonly_fields(self, request, obj=None):
        # Moving an existing agent to another organisation is an operator's act
        # (manage.py agent set --org): its sessions would stay behind.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "organization_id"]
        return self.readonly_fields
