"""How an agent's widget looks: its colours, chosen for contrast, and its avatar image.

Contrast follows WCAG 2.x: the relative luminance of an sRGB colour, and the ratio
(L1 + 0.05) / (L2 + 0.05) of the lighter to the darker. The launcher's and the
buttons' text is white or black, whichever contrasts more with the brand colour.
One of the two always reaches AA for normal text (4.5:1): the worse a colour is
for one, the better it is for the other, and the two ratios meet at about 4.58:1.
A lighter "near-black" would not promise that: #111111 meets white at 4.35:1.

The avatar is a small PNG, JPEG or WebP the server stores and serves itself, told
apart by its first bytes (what the upload claims to be is not trusted). SVG is
refused: it can carry script.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse

from agents.models import BRAND_COLOR_PATTERN

# Smooth's own blue, --smooth-accent in chat/static/smooth/chat.css: the colour of an agent that sets none.
DEFAULT_BRAND_COLOR = "#1f5fbf"
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#000000"
AA_NORMAL_TEXT = 4.5

AVATAR_MAX_BYTES = 256 * 1024
AVATAR_TYPES = ("image/png", "image/jpeg", "image/webp")


def relative_luminance(color: str) -> float:
    """WCAG's relative luminance of "#rrggbb": 0 for black, 1 for white."""
    if not BRAND_COLOR_PATTERN.fullmatch(color):
        raise ValueError(f"{color!r} is not a colour as #RRGGBB")
    red, green, blue = (_linear(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same luminance) to 21 (black on white), in either order."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def effective_brand_color(brand_color: str) -> str:
    """The agent's colour, lower case, or Smooth's blue when it sets none (or a row edited by
    hand holds something else: stored rows are validated)."""
    if not brand_color or not BRAND_COLOR_PATTERN.fullmatch(brand_color):
        return DEFAULT_BRAND_COLOR
    return brand_color.lower()


def text_color_for(brand_color: str) -> str:
    """White or black, whichever contrasts more with `brand_color` (at least 4.5:1 either way it falls)."""
    brand = effective_brand_color(brand_color)
    return LIGHT_TEXT if contrast_ratio(brand, LIGHT_TEXT) >= contrast_ratio(brand, DARK_TEXT) else DARK_TEXT


@dataclass(frozen=True)
class Colors:
    brand: str
    text: str
    contrast: float  # the text's ratio on the brand colour

    @classmethod
    def of(cls, brand_color: str) -> Colors:
        brand = effective_brand_color(brand_color)
        text = text_color_for(brand)
        return cls(brand=brand, text=text, contrast=contrast_ratio(brand, text))


def avatar_type(data: bytes) -> str:
    """The content type of an avatar image, judged by its first bytes; ValidationError
    (the admin's and the API's words) for anything else, or anything too large."""
    if len(data) > AVATAR_MAX_BYTES:
        raise ValidationError(f"the avatar is {len(data) // 1024} KB; at most {AVATAR_MAX_BYTES // 1024} KB")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ValidationError("the avatar must be a PNG, JPEG or WebP image (SVG is not accepted)")


def avatar_fields(data: bytes | None) -> dict:
    """The Agent's avatar, avatar_type and avatar_digest for `data` (validated), or for none."""
    if not data:
        return {"avatar": None, "avatar_type": "", "avatar_digest": ""}
    return {"avatar": bytes(data), "avatar_type": avatar_type(data), "avatar_digest": hashlib.sha256(data).hexdigest()}


def avatar_path(agent) -> str | None:
    """Where the widget fetches the agent's avatar (the digest in the address makes it cacheable
    for good), or None without one."""
    if not agent.avatar_digest:
        return None
    return f"{reverse('widget-avatar', kwargs={'agent_id': str(agent.id)})}?v={agent.avatar_digest[:16]}"
