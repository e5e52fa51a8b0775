"""Brand palette parsing and legible colour choice (WCAG contrast)."""

from __future__ import annotations

import re

from adgenius.media.errors import MediaInputError

RGB = tuple[int, int, int]

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE: RGB = (255, 255, 255)
BLACK: RGB = (17, 17, 17)  # near-black reads softer than pure black and still passes AA


def parse_hex(value: str, field: str = "palette") -> RGB:
    match = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise MediaInputError(field, f"{value!r} is not a hex colour like '#1a73e8'")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def legible_on(background: RGB, palette: list[RGB], minimum: float = 4.5) -> RGB:
    """The first palette colour that reaches ``minimum`` contrast, else white or black."""
    for colour in palette:
        if contrast_ratio(colour, background) >= minimum:
            return colour
    return max((WHITE, BLACK), key=lambda c: contrast_ratio(c, background))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]
