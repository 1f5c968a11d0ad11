"""Resume tokens: what a client keeps to re-attach its session from a new connection.

Issued to clients that declare the `resume_token` capability in `supports` at
create_conversation_session, and renewed on every get_session that presents one.
A token is Django-signed (DJANGO_SECRET_KEY, a salt of its own), names one
session, and expires SMOOTH_SESSION_IDLE_TTL_HOURS after it was issued.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core import signing

CAPABILITY = "resume_token"
_SALT = "smooth.chat.session-resume"


def lifetime_seconds() -> int:
    return settings.SMOOTH_SESSION_IDLE_TTL_HOURS * 3600


def issue(session_id: uuid.UUID) -> tuple[str, int]:
    """(token, expiry in epoch milliseconds)."""
    token = signing.dumps(str(session_id), salt=_SALT)
    return token, (int(time.time()) + lifetime_seconds()) * 1000


def names(token: str, session_id: uuid.UUID) -> bool:
    """Whether `token` is a genuine, unexpired token for this session."""
    try:
        return signing.loads(token, salt=_SALT, max_age=lifetime_seconds()) == str(session_id)
    except signing.BadSignature:  # tampered, for another salt, or expired (SignatureExpired)
        return False
