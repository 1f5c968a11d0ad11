"""The visitor's own words asking for a person ("talk to a human", "agent please"): they
escalate without asking the model, in offline mode too. SMOOTH_ESCALATION_PHRASES adds to
the built-in list, or replaces it."""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings

BUILT_IN = (
    "talk to a human",
    "speak to a human",
    "talk to a person",
    "speak to a person",
    "talk to a real person",
    "speak to a real person",
    "talk to someone",
    "speak to someone",
    "talk to an agent",
    "speak to an agent",
    "talk to a representative",
    "speak to a representative",
    "human please",
    "agent please",
    "a real person",
    "live agent",
    "live person",
    "human agent",
    "customer service representative",
)
MAX_MESSAGE = 300  # a long message is a question with a story, not a request for a person


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


@lru_cache(maxsize=8)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern:
    alternatives = sorted({_words(phrase) for phrase in phrases if _words(phrase)}, key=len, reverse=True)
    return re.compile(r"(?:^| )(?:" + "|".join(re.escape(phrase) for phrase in alternatives) + r")(?: |$)")


def phrases() -> tuple[str, ...]:
    own = tuple(settings.SMOOTH_ESCALATION_PHRASES)
    return own if settings.SMOOTH_ESCALATION_PHRASES_REPLACE else BUILT_IN + own


def asks_for_a_person(message: str) -> bool:
    """Whether the visitor's message asks for a person, as a whole phrase (not "humane")."""
    if len(message) > MAX_MESSAGE:
        return False
    words = _words(message)
    return bool(words) and bool(_pattern(phrases()).search(words))
