"""A turn's memory: the conversation's last messages as the model reads them."""

from __future__ import annotations

from chat.models import Message

MEMORY_MESSAGES = 50
_ROLES: dict[str, str] = {Message.Direction.INBOUND: "user", Message.Direction.OUTBOUND: "assistant"}


def model_messages(history: list[Message]) -> list[dict]:
    return [{"role": _ROLES[message.direction], "content": message.text} for message in history]
