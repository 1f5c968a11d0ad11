"""One turn per session, across every process: a lease in the database that expires.

A lease is a chat.TurnLease row, taken with a conditional write: free, or expired.
A process that dies holding one frees the session after SMOOTH_TURN_LEASE_SECONDS;
a live holder renews it every third of that. It names its turn's requestId and the
control channel of the process running it, where a cancel from any process goes.
It lives in the database, not in Redis, so that one-turn-per-session holds through
a Redis outage too (the backplane pauses then; turns do not).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chat.models import TurnLease


@dataclass(frozen=True)
class Lease:
    request_id: str
    control_channel: str


def _until():
    return timezone.now() + timedelta(seconds=settings.SMOOTH_TURN_LEASE_SECONDS)


def _acquire(session_id: uuid.UUID, lease: Lease) -> bool:
    fields = {"request_id": lease.request_id, "control_channel": lease.control_channel, "expires_at": _until()}
    if TurnLease.objects.filter(session_id=session_id, expires_at__lt=timezone.now()).update(**fields):
        return True  # an expired lease: its holder died or stalled
    try:
        with transaction.atomic():
            TurnLease.objects.create(session_id=session_id, **fields)
    except IntegrityError:
        return False  # held, and live
    return True


async def acquire(session_id: uuid.UUID, lease: Lease) -> bool:
    """Whether the session's one turn is now this one."""
    return await database_sync_to_async(_acquire)(session_id, lease)


async def renew(session_id: uuid.UUID, lease: Lease) -> bool:
    """Extend the lease; False when it is no longer this turn's."""
    mine = TurnLease.objects.filter(session_id=session_id, request_id=lease.request_id)
    return bool(await database_sync_to_async(mine.update)(expires_at=_until()))


async def release(session_id: uuid.UUID, lease: Lease) -> None:
    await database_sync_to_async(TurnLease.objects.filter(session_id=session_id, request_id=lease.request_id).delete)()


async def current(session_id: uuid.UUID) -> Lease | None:
    """The session's running turn, if its lease is live."""
    live = TurnLease.objects.filter(session_id=session_id, expires_at__gte=timezone.now())
    row = await database_sync_to_async(live.first)()
    return Lease(row.request_id, row.control_channel) if row else None
