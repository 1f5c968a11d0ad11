"""Role checks: admin ≥ curator ≥ basic."""

from rest_framework.permissions import BasePermission

from identity.principals import Role


class IsPrincipal(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "is_authenticated", False) and hasattr(request.user, "principal"))


def at_least(role: Role) -> type[BasePermission]:
    class AtLeast(IsPrincipal):
        message = f"this needs the {role.name.lower()} role or higher"

        def has_permission(self, request, view) -> bool:
            return super().has_permission(request, view) and request.user.principal.at_least(role)

    AtLeast.__name__ = f"AtLeast{role.name.title()}"
    return AtLeast
