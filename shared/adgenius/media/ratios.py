"""The aspect ratios we render, their exact pixel sizes and the safe zone of each.

Sizes follow what the ad platforms take without resampling (see team notes ad-platforms.md).
A safe zone is the box where text and logos may go: for 9:16 the platforms draw their own UI
over the top ~250 px and bottom ~340 px (Stories/Reels/Shorts), elsewhere we keep a margin so
nothing touches the edge after a platform's rounding or cropping.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from adgenius.media.errors import MediaInputError


class Ratio(StrEnum):
    SQUARE = "1:1"
    PORTRAIT = "4:5"
    VERTICAL = "9:16"
    LANDSCAPE = "1.91:1"
    WIDE = "16:9"  # video (YouTube in-stream); images use 1.91:1 for landscape
    # Imagen also generates these; we accept them so the local engine is a drop-in, and
    # reframe them to the ad ratios above.
    THREE_FOUR = "3:4"
    FOUR_THREE = "4:3"


IMAGE_RATIOS: tuple[Ratio, ...] = (Ratio.SQUARE, Ratio.PORTRAIT, Ratio.VERTICAL, Ratio.LANDSCAPE)
VIDEO_RATIOS: tuple[Ratio, ...] = (Ratio.SQUARE, Ratio.PORTRAIT, Ratio.VERTICAL, Ratio.WIDE)

SIZES: dict[Ratio, tuple[int, int]] = {
    Ratio.SQUARE: (1080, 1080),
    Ratio.PORTRAIT: (1080, 1350),
    Ratio.VERTICAL: (1080, 1920),
    Ratio.LANDSCAPE: (1200, 628),
    Ratio.WIDE: (1920, 1080),
    Ratio.THREE_FOUR: (1080, 1440),
    Ratio.FOUR_THREE: (1440, 1080),
}

# Platform UI bands of 9:16 placements (profile row on top, caption/CTA bar at the bottom).
VERTICAL_TOP_BAND_PX = 250
VERTICAL_BOTTOM_BAND_PX = 340
# Elsewhere: a margin of this fraction of the shorter side.
MARGIN_FRACTION = 0.06


class Box(BaseModel):
    """An axis-aligned box in pixels; ``right``/``bottom`` are exclusive."""

    model_config = ConfigDict(frozen=True)

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)

    def contains(self, other: Box) -> bool:
        return (
            other.left >= self.left
            and other.top >= self.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def inset(self, dx: int, dy: int | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(
            left=self.left + dx, top=self.top + dy, right=self.right - dx, bottom=self.bottom - dy
        )


def parse_ratio(value: str | Ratio, field: str = "ratio") -> Ratio:
    """Accept "1:1", "9:16", "1.91:1", "16:9", "4:5" (and a few spellings of them)."""
    if isinstance(value, Ratio):
        return value
    text = str(value).strip().lower().replace("x", ":").replace("/", ":")
    aliases = {"1.91": "1.91:1", "1.9:1": "1.91:1", "191:100": "1.91:1"}
    text = aliases.get(text, text)
    try:
        return Ratio(text)
    except ValueError:
        known = ", ".join(r.value for r in Ratio)
        raise MediaInputError(
            field, f"unknown aspect ratio {value!r}; use one of {known}"
        ) from None


def size_of(ratio: str | Ratio) -> tuple[int, int]:
    return SIZES[parse_ratio(ratio)]


def safe_zone(ratio: str | Ratio, size: tuple[int, int] | None = None) -> Box:
    """The box where text and logos may be placed for ``ratio`` (at ``size`` if not standard)."""
    r = parse_ratio(ratio)
    width, height = size or SIZES[r]
    margin = round(min(width, height) * MARGIN_FRACTION)
    if r is Ratio.VERTICAL:
        scale = height / SIZES[Ratio.VERTICAL][1]  # the bands scale with a non-standard height
        return Box(
            left=margin,
            top=round(VERTICAL_TOP_BAND_PX * scale),
            right=width - margin,
            bottom=height - round(VERTICAL_BOTTOM_BAND_PX * scale),
        )
    return Box(left=margin, top=margin, right=width - margin, bottom=height - margin)


def closest_ratio(width: int, height: int, candidates: tuple[Ratio, ...] = IMAGE_RATIOS) -> Ratio:
    """The candidate ratio nearest to ``width/height`` (compared in log space)."""

    aspect = math.log(width / height)
    return min(candidates, key=lambda r: abs(math.log(SIZES[r][0] / SIZES[r][1]) - aspect))
