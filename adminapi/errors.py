"""Errors in the protocol's shape: {"code", "message"} (+ "details" for field errors)."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

CODES = {
    status.HTTP_400_BAD_REQUEST: "VALIDATION_ERROR",
    status.HTTP_401_UNAUTHORIZED: "UNAUTHENTICATED",
    status.HTTP_403_FORBIDDEN: "FORBIDDEN",
    status.HTTP_404_NOT_FOUND: "NOT_FOUND",
    status.HTTP_405_METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
    status.HTTP_409_CONFLICT: "CONFLICT",
}


def handle(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("not found")
    response = drf_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handling (logged, no details)
    body = {"code": CODES.get(response.status_code, "ERROR"), "message": _message(exc)}
    if isinstance(exc, exceptions.ValidationError):
        body["details"] = exc.detail
    return Response(body, status=response.status_code, headers={k: v for k, v in response.items() if k == "WWW-Authenticate"})


def _message(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "some fields are not valid"
    if isinstance(exc, exceptions.NotAuthenticated):
        return "send Authorization: Bearer <token>"
    detail = getattr(exc, "detail", "")
    return str(detail) if detail else exc.__class__.__name__
