"""Telling the organisation's operators that a conversation waits for a person: live on the
organisation's inbox group, and, when configured, by email (SMOOTH_ESCALATION_EMAIL,
through Django's email framework) and by a signed HTTP POST (SMOOTH_ESCALATION_WEBHOOK_URL).

The inbox group is not the protocol's `org.<id>` group: visitors' sockets of signed-in
principals join that one, and every protocol event schema is closed. Email and webhook
run as background tasks, each with a timeout and retries, so neither holds up the turn;
what they could not deliver is logged (never the webhook's secret).

The webhook's body is JSON; its signature is `X-Smooth-Signature: sha256=<hex>`, the
HMAC-SHA256 of `<X-Smooth-Timestamp>.<body>` with SMOOTH_ESCALATION_WEBHOOK_SECRET, so a
receiver can refuse a forged or replayed call (check the timestamp is recent).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time

import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.mail import send_mail

from chat import backplane
from core.logfilters import Throttle
from handoff import inbox_protocol as wire

logger = logging.getLogger(__name__)
MESSAGE_TYPE = "inbox.event"  # handled by the inbox's consumer as inbox_event
_background: set[asyncio.Task] = set()  # held until done, so none is collected mid-flight
_layer_away = Throttle(60.0)


def inbox_group(organization_id: str) -> str:
    return f"inbox.{hashlib.sha256(organization_id.encode('utf-8')).hexdigest()[:40]}"


def escalation_event(handoff, *, agent_name: str, visitor: str, last_message: str) -> dict:
    return wire.escalation(
        conversation_id=str(handoff.conversation_id),
        session_id=str(handoff.session_id) if handoff.session_id else None,
        organization_id=handoff.organization_id,
        agent_name=agent_name,
        visitor=visitor,
        reason=handoff.reason,
        source=handoff.source,
        last_message=last_message[:500],
        requested_at=handoff.requested_at.isoformat(),
    )


async def to_inbox(organization_id: str, event: dict) -> None:
    """To the organisation's operators, live. A channel layer that is away costs the inbox this
    event (its list is read again on the next change), never the visitor's turn."""
    try:
        await backplane.send_to_group(inbox_group(organization_id), event, message_type=MESSAGE_TYPE)
    except backplane.NotJsonNative:
        raise
    except Exception as exc:
        if _layer_away.ready():
            logger.warning("the inbox missed an event: the channel layer could not be reached (%s)", type(exc).__name__)


async def announce(event: dict) -> None:
    """Live to the organisation's inbox now; email and webhook in the background."""
    await to_inbox(event["organizationId"], event)
    if settings.SMOOTH_ESCALATION_EMAIL:
        _in_background(_with_retries("email", lambda: _send_email(event)))
    if settings.SMOOTH_ESCALATION_WEBHOOK_URL:
        _in_background(_with_retries("webhook", lambda: _post_webhook(event)))


def _in_background(coroutine) -> None:
    task = asyncio.get_running_loop().create_task(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def drain() -> None:
    """For tests: wait for the notifications under way."""
    while _background:
        await asyncio.gather(*list(_background), return_exceptions=True)


class Undeliverable(Exception):
    """Worth trying again (a timeout, a refused connection, a 5xx)."""


async def _with_retries(channel: str, attempt) -> None:
    tries = settings.SMOOTH_ESCALATION_ATTEMPTS
    for number in range(1, tries + 1):
        try:
            await attempt()
            return
        except Undeliverable as exc:
            if number == tries:
                logger.warning("escalation %s not delivered after %d attempts: %s", channel, tries, exc)
                return
            await asyncio.sleep(settings.SMOOTH_ESCALATION_RETRY_SECONDS * 2 ** (number - 1))
        except Exception:
            logger.exception("escalation %s failed", channel)
            return


async def _send_email(event: dict) -> None:
    subject = f"A visitor is waiting for a person ({event['agentName']})"
    body = (
        f"{event['visitor']} is waiting for a person in a conversation with {event['agentName']}.\n\n"
        f"Why: {event['reason']}\n"
        f"Their last message: {event['lastMessage']}\n\n"
        f"Conversation {event['conversationId']}, since {event['requestedAt']}.\n"
    )
    recipients = [address.strip() for address in settings.SMOOTH_ESCALATION_EMAIL if address.strip()]
    try:
        await sync_to_async(send_mail, thread_sensitive=False)(subject, body, None, recipients)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise Undeliverable(type(exc).__name__) from None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


async def _post_webhook(event: dict) -> None:
    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {"content-type": "application/json", "x-smooth-timestamp": timestamp}
    if settings.SMOOTH_ESCALATION_WEBHOOK_SECRET:
        headers["x-smooth-signature"] = signature(settings.SMOOTH_ESCALATION_WEBHOOK_SECRET, timestamp, body)
    try:
        async with httpx.AsyncClient(timeout=settings.SMOOTH_ESCALATION_TIMEOUT_SECONDS) as client:
            answer = await client.post(str(settings.SMOOTH_ESCALATION_WEBHOOK_URL), content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise Undeliverable(type(exc).__name__) from None
    if answer.status_code >= 500 or answer.status_code == 429:
        raise Undeliverable(f"HTTP {answer.status_code}")
    if answer.status_code >= 400:
        logger.warning("escalation webhook refused with HTTP %d; not retried", answer.status_code)
