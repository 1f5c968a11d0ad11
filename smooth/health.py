"""Load-balancer probes: /healthz (the process is up) and /readyz (it can reach
its database and its channel layer, and is not shutting down). Each check has a deadline; a failure names
the part, never a host, URL or password."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
CHECK_SECONDS = 2.0


async def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _channel_layer() -> None:
    # A group send to a group nobody joins: it reaches Redis (or the in-memory store) and delivers nothing.
    await get_channel_layer().group_send("smooth.readyz", {"type": "readyz.probe"})


async def _check(name: str, probe) -> str:
    try:
        await asyncio.wait_for(probe(), CHECK_SECONDS)
        return "ok"
    except Exception as exc:  # any failure is "not ready"; the log keeps only the class
        logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
        return "unavailable"


async def readyz(request):
    from chat import lifecycle

    if lifecycle.draining():  # shutting down: send new visitors elsewhere
        return JsonResponse({"status": "shutting down", "checks": {}}, status=503)
    checks = {
        "database": await _check("database", sync_to_async(_database)),
        "channelLayer": await _check("channelLayer", _channel_layer),
    }
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
