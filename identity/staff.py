"""Django staff and their organisations: a superuser works for every organisation,
any other staff user for those named by their Django groups `org:<id>`.

Every model admin that holds an organisation's rows is an OrganizationScopedAdmin,
so a staff user's list, change and delete pages show their organisations' rows
only; another organisation's row answers as a missing one does.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

ORG_GROUP_PREFIX = "org:"


def organizations_of(user) -> set[str] | None:
    """None = every organisation (superusers)."""
    if user.is_superuser:
        return None
    return {name[len(ORG_GROUP_PREFIX) :] for name in user.groups.values_list("name", flat=True) if name.startswith(ORG_GROUP_PREFIX)}


def check_organization(user, organization_id: str) -> None:
    """ValidationError unless `user` works for `organization_id`."""
    organizations = organizations_of(user)
    if organizations is not None and organization_id not in organizations:
        raise ValidationError("You can only use organisations you belong to (your groups org:<id>).")


class OrganizationScopedAdmin(admin.ModelAdmin):
    # The lookup from the model to its organisation id (e.g. "agent__organization_id").
    organization_field = "organization_id"

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def scope(self, request, queryset):
        organizations = organizations_of(request.user)
        return queryset if organizations is None else queryset.filter(**{f"{self.organization_field}__in": organizations})

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The model's form, refusing an organization_id the user does not work for (where
        the form has that field)."""
        form = super().get_form(request, obj, change, **kwargs)
        if "organization_id" not in form.base_fields:
            return form

        class StaffForm(form):  # type: ignore[valid-type,misc]  # a class made at run time
            def clean_organization_id(self):
                organization_id = self.cleaned_data["organization_id"]
                check_organization(request.user, organization_id)
                return organization_id

        return StaffForm


class OrganizationScopedRecordAdmin(OrganizationScopedAdmin):
    """Records (what the protocol or an indexing run wrote): listed and read, never added or changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
