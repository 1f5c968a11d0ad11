"""/metrics: Smooth's Prometheus metrics (core.metrics) in the text format (OpenMetrics when
asked), behind a bearer token when SMOOTH_METRICS_TOKEN is set, with what is read at the
moment of the scrape: the conversations waiting for a person (every organisation's, from
the database) and whether the channel layer and Redis answer.

Those readings are taken by the process that serves the scrape, once, so in multiprocess
mode they are never summed across processes. Each has READING_SECONDS, all at once: a
scrape is never held much longer than that by a database, layer or Redis that is away. A
reading that does not come in time is left out (waiting conversations) or reads 0
(reachability)."""

from __future__ import annotations

import asyncio
import hmac
import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse

from core import metrics as recorded
from core.redis import redis_client

logger = logging.getLogger(__name__)
READING_SECONDS = 1.0


def _authorised(request) -> bool:
    expected = settings.SMOOTH_METRICS_TOKEN
    if not expected:
        return True
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken says nothing of how much of the token was right.
    return scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), expected.encode())


async def metrics(request):
    if not _authorised(request):
        response = HttpResponse("a bearer token is required (SMOOTH_METRICS_TOKEN)\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    readings = await read_now()
    body, content_type = await asyncio.to_thread(recorded.exposition, readings, request.headers.get("Accept"))  # reads files
    return HttpResponse(body, content_type=content_type)


async def read_now() -> recorded.Readings:
    layer = get_channel_layer()
    waiting, layer_answered, redis_answered = await asyncio.gather(_waiting_for_a_person(), _answers(_probe_layer(layer)), _redis_answers())
    return recorded.Readings(
        waiting_for_a_person=waiting,
        channel_layer=type(layer).__name__,
        channel_layer_reachable=layer_answered,
        redis_reachable=redis_answered,
    )


async def _waiting_for_a_person() -> int | None:
    if not apps.is_installed("handoff"):
        return None
    from handoff.selectors import waiting_count

    try:
        return await asyncio.wait_for(database_sync_to_async(waiting_count)(), READING_SECONDS)
    except Exception as exc:  # left out of this scrape; the log keeps only the class (a URL may hold a password)
        logger.warning("metrics: conversations waiting for a person not read: %s", type(exc).__name__)
        return None


async def _probe_layer(layer) -> None:
    # A group send to a group nobody joins: it reaches Redis (or the in-memory store) and delivers nothing.
    await layer.group_send("smooth.metrics", {"type": "metrics.probe"})


async def _redis_answers() -> bool | None:
    client = redis_client()
    if client is None:
        return None
    return await _answers(client.ping())


async def _answers(probe) -> bool:
    try:
        await asyncio.wait_for(probe, READING_SECONDS)
        return True
    except Exception:  # the gauge says it; a log line a scrape would only repeat it
        return False
