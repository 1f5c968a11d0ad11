"""Who calls the admin API, by AUTH_MODE.

jwt: `Authorization: Bearer <JWT>` verified as on /ws. none (development only):
every caller is an admin of AUTH_DEV_ORG_ID. Unset: every call is
refused with 401.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from identity.principals import Principal, Role
from identity.tokens import InvalidToken, verify_token


@dataclass(frozen=True)
class ApiUser:
    """What DRF sees as request.user: an authenticated principal."""

    principal: Principal
    is_authenticated: bool = True


class BearerPrincipalAuthentication(BaseAuthentication):
    def authenticate(self, request):
        mode = settings.AUTH_MODE
        if mode is None:
            raise AuthenticationFailed("the admin API is disabled on this server (AUTH_MODE is not set)")
        if mode == "none":
            return ApiUser(Principal(user_id="dev", organization_id=settings.AUTH_DEV_ORG_ID, role=Role.ADMIN)), None
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None  # no credentials: 401 from the permission check
        try:
            return ApiUser(verify_token(token.strip())), None
        except InvalidToken as exc:
            raise AuthenticationFailed(str(exc)) from None

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="smooth"'  # makes DRF answer 401, not 403
