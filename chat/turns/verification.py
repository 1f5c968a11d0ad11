"""The turn's side of visitor verification: a tool only a verified visitor may run is
refused to the model, and the visitor is offered a one-time code (chat.otp).

The offer, once per turn, when the session's visitor has a contact the OTP service can
reach: `otp_verification_required`, the code sent, `otp_sent`. After `verify_otp`
succeeds the visitor asks again, and the tool runs."""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from chat import otp, protocol
from chat.models import Session
from chat.turns.events import TurnEvents
from limits import counters
from limits.rates import parse_rate

logger = logging.getLogger(__name__)
VERIFY_FIRST = (
    "Refused: this tool runs only for a visitor who has verified their identity. "
    "Tell the visitor we are sending them a one-time code; once they have entered it, they can ask again."
)
NO_WAY_TO_VERIFY = "Refused: this tool runs only for a visitor who has verified their identity, and this visitor cannot be sent a code."


def _contact(session_id) -> otp.Contact | None:
    session = Session.objects.select_related("user_participant").filter(session_id=session_id).first()
    if session is None:
        return None
    participant = session.user_participant
    return otp.Contact(email=participant.email or None, phone=participant.phone or None)


def _in_worker(function, *args):
    """Run an OTP service call off the event loop and off the ORM thread (it may wait on SMTP)."""

    def call():
        try:
            return function(*args)
        finally:
            close_old_connections()

    return sync_to_async(call, thread_sensitive=False)()


async def offer(events: TurnEvents, session_id, tool_name: str) -> bool:
    """Offer the visitor a code; whether one is on its way."""
    contact = await _in_worker(_contact, session_id)
    service = otp.service()
    reachable = getattr(service, "channels", ("email", "sms"))
    channels = [channel for channel in (contact.channels() if contact else []) if channel in reachable]
    if not channels:
        return False
    await events.send(
        protocol.otp_verification_required(
            events.request_id,
            tool_id=tool_name,
            action_description=f"Verify your identity so that the assistant can use {tool_name}.",
            channels=channels,
        )
    )
    destination = contact.email if channels[0] == "email" else contact.phone
    rate = parse_rate(settings.SMOOTH_OTP_SENDS_PER_ADDRESS)
    if await counters.hit([(f"otp:{destination.lower()}", rate)] if rate else []) is not None:
        # Anyone can name any address: codes to one address are capped, whoever asks.
        logger.warning("one-time code not sent for session %s: its address had its codes for now", session_id)
        return False
    try:
        delivery = await _in_worker(service.send_code, session_id, contact)
    except Exception as exc:  # its message may hold an address or a server's reply: only the kind is logged
        logger.warning("could not send a one-time code for session %s (%s)", session_id, type(exc).__name__)
        return False
    await events.send(protocol.otp_sent(events.request_id, channel=delivery.channel, masked_destination=delivery.masked_destination))
    return True


async def verify(session_id, code: str) -> otp.Verified | otp.Invalid:
    return await _in_worker(otp.service().verify, session_id, code)
