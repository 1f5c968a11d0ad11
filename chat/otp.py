"""One-time codes that let a visitor prove who they are, for tools an agent runs only
for a verified visitor (Agent.end_user_tools).

An OTP service has two methods, both synchronous (they run in a worker thread):
`send_code(session_id, contact) -> Delivery` and `verify(session_id, code) ->
Verified | Invalid`. SMOOTH_OTP_SERVICE names the class; Smooth's own is
EmailOtpService: a 6-digit code, kept only as a salted HMAC, alive
SMOOTH_OTP_TTL_MINUTES (10), SMOOTH_OTP_MAX_ATTEMPTS (5) tries and then locked, sent
by Django's email framework. A code never reaches a log, an event or an exception.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from chat.models import OtpChallenge

CODE_DIGITS = 6
RESEND_AFTER_SECONDS = 60  # a code sent less than this ago is not sent again (each refused call would)
MAX_CODE_LENGTH = 32


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None

    def channels(self) -> list[str]:
        """Where a code could go ("sms" only with a service that sends texts: Smooth's own sends email)."""
        return [channel for channel, known in (("email", self.email), ("sms", self.phone)) if known]


@dataclass(frozen=True)
class Delivery:
    channel: str
    masked_destination: str


@dataclass(frozen=True)
class Verified:
    channel: str


@dataclass(frozen=True)
class Invalid:
    error: str  # INVALID_CODE, MAX_ATTEMPTS, EXPIRED, NOT_FOUND
    attempts_remaining: int
    message: str


NOT_FOUND = Invalid("NOT_FOUND", 0, "No verification is in progress for this session.")


class CannotSend(Exception):
    """The service has no way to reach this contact."""


@lru_cache(maxsize=4)
def _service(path: str):
    return import_string(path)()


def service():
    return _service(settings.SMOOTH_OTP_SERVICE)


def masked_email(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}"


def masked_phone(number: str) -> str:
    return f"***{number[-4:]}"


class EmailOtpService:
    """Smooth's own: codes by email."""

    channels = ("email",)

    def send_code(self, session_id, contact: Contact) -> Delivery:
        if not contact.email:
            raise CannotSend("the visitor has no email address")
        now = timezone.now()
        current = OtpChallenge.objects.filter(session_id=session_id).first()
        fresh = current is not None and current.expires_at > now and current.attempts < settings.SMOOTH_OTP_MAX_ATTEMPTS
        if current is not None and fresh and (now - current.sent_at).total_seconds() < RESEND_AFTER_SECONDS:
            return Delivery("email", masked_email(contact.email))
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        OtpChallenge.objects.update_or_create(
            session_id=session_id,
            defaults={
                "channel": "email",
                "salt": salt,
                "code_hash": _digest(salt, code),
                "attempts": 0,
                "sent_at": now,
                "expires_at": now + datetime.timedelta(minutes=settings.SMOOTH_OTP_TTL_MINUTES),
            },
        )
        try:
            send_mail(
                "Your verification code",
                f"Your verification code is {code}. It is valid for {settings.SMOOTH_OTP_TTL_MINUTES} minutes.\n\n"
                "If you did not ask for it, ignore this email.",
                None,
                [contact.email],
            )
        except Exception:
            OtpChallenge.objects.filter(session_id=session_id, salt=salt).delete()  # no half-sent code stays valid
            raise
        return Delivery("email", masked_email(contact.email))

    def verify(self, session_id, code: str) -> Verified | Invalid:
        challenge = OtpChallenge.objects.filter(session_id=session_id).first()
        maximum = settings.SMOOTH_OTP_MAX_ATTEMPTS
        if challenge is None:
            return NOT_FOUND
        if challenge.expires_at <= timezone.now():
            challenge.delete()
            return Invalid("EXPIRED", 0, "This code has expired: ask for a new one.")
        # Count the attempt before comparing, atomically: parallel guesses cannot share one.
        counted = OtpChallenge.objects.filter(session_id=session_id, salt=challenge.salt, attempts__lt=maximum).update(
            attempts=F("attempts") + 1
        )
        if not counted:
            return Invalid("MAX_ATTEMPTS", 0, "Too many wrong codes: ask for a new one.")
        if hmac.compare_digest(_digest(challenge.salt, code.strip()), challenge.code_hash):
            OtpChallenge.objects.filter(session_id=session_id, salt=challenge.salt).delete()
            return Verified(challenge.channel)
        remaining = maximum - challenge.attempts - 1
        if remaining <= 0:
            return Invalid("MAX_ATTEMPTS", 0, "That code is not right, and no tries are left: ask for a new one.")
        return Invalid("INVALID_CODE", remaining, "That code is not right.")


def _digest(salt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()
