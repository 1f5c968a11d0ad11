"""Small real images for avatar tests (made with Pillow), and an SVG that must be refused."""

from __future__ import annotations

import io

from PIL import Image


def image(kind: str, color: str = "#1f5fbf") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(out, format=kind)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
WEBP = image("WEBP")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
