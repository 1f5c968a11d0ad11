"""What a turn's model calls cost: USD per million tokens from SMOOTH_AGENT_PRICES
(prompt, completion; a model not listed costs 0).

A call the gateway reported no usage for (cancelled or dropped mid-stream, or a
gateway that does not report it) is charged by estimate (`CallMeter`): its prompt and
what it streamed, at about four characters a token. Usage arrives only at the end of a
stream, so without the estimate a visitor who cancelled every answer just before its
end would get unlimited model output past every budget."""

from __future__ import annotations

import json
from dataclasses import dataclass

from chat import protocol
from core.gateway import Usage
from limits.amounts import nano_usd


def cost_usd(usage: Usage, model: str) -> float:
    return nano_usd(usage, model) / 1_000_000_000


def usage_event(usage: Usage | None, model: str) -> dict | None:
    if usage is None:
        return None
    cost = round(cost_usd(usage, model), 8)
    return protocol.usage(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens, cost_usd=cost)


def total_tokens(usage: Usage | None) -> int:
    return usage.prompt_tokens + usage.completion_tokens if usage else 0


CHARS_PER_TOKEN = 4  # the usual average of English text in the common tokenizers


def estimated_tokens(characters: int) -> int:
    return -(-characters // CHARS_PER_TOKEN)


@dataclass
class CallMeter:
    """One model call's cost by estimate: its prompt, and what it has streamed so far. The
    prompt is measured only when an estimate is asked for (the gateway's usage usually
    makes it unneeded)."""

    messages: list[dict]
    tools: list[dict] | None
    streamed_characters: int = 0

    @classmethod
    def of(cls, messages: list[dict], tools: list[dict] | None) -> CallMeter:
        return cls(messages, tools)

    @property
    def prompt_characters(self) -> int:
        return len(json.dumps(self.messages)) + (len(json.dumps(self.tools)) if self.tools else 0)

    def streamed(self, text: str) -> None:
        self.streamed_characters += len(text)

    def usage(self, extra_characters: int = 0) -> Usage:
        """The estimate; `extra_characters` is output that was not streamed as text (tool calls)."""
        return Usage(estimated_tokens(self.prompt_characters), estimated_tokens(self.streamed_characters + extra_characters))
