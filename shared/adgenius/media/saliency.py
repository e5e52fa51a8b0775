"""Where the subject of a photo is, without model weights: alpha, distance from the background
colour and edge energy, on a small copy of the picture (numpy only, a few milliseconds).

A product shot is usually an object on a plain backdrop: pixels far from the border colour or
with strong edges are the object. The box is given in fractions of the image so it survives
resizing; crops use it so that the subject is never cut (`crop_keeping`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: reading a box needs neither Pillow nor numpy
    import numpy as np
    from PIL import Image

WORK_SIDE = 160


@dataclass(frozen=True)
class FracBox:
    """A box in fractions (0..1) of an image's width and height."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def to_list(self) -> list[float]:
        return [round(v, 4) for v in (self.left, self.top, self.right, self.bottom)]

    @classmethod
    def from_list(cls, values: list[float] | None) -> FracBox:
        if not values or len(values) != 4:
            return FULL
        left, top, right, bottom = (min(1.0, max(0.0, float(v))) for v in values)
        if right - left < 0.01 or bottom - top < 0.01:
            return FULL
        return cls(left, top, right, bottom)

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        w, h = size
        return (
            int(self.left * w),
            int(self.top * h),
            math.ceil(self.right * w),
            math.ceil(self.bottom * h),
        )


FULL = FracBox(0.0, 0.0, 1.0, 1.0)


def _mask(image: Image.Image) -> np.ndarray:
    import numpy as np  # here: the boxes themselves are read by functions that never find one

    small = image.copy()
    small.thumbnail((WORK_SIDE, WORK_SIDE))
    rgba = np.asarray(small.convert("RGBA"), dtype=np.float32)
    alpha = rgba[..., 3]
    if float(alpha.min()) < 250:  # a cut-out: its alpha is the subject
        return alpha > 32
    rgb = rgba[..., :3]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    backdrop = np.median(border, axis=0)
    distance = np.sqrt(((rgb - backdrop) ** 2).sum(axis=-1))
    grey = rgb.mean(axis=-1)
    gy, gx = np.gradient(grey)
    edges = np.hypot(gx, gy)
    score = distance / (distance.max() + 1e-6) + 0.5 * edges / (edges.max() + 1e-6)
    threshold = max(0.12, float(score.mean() + 0.5 * score.std()))
    return np.asarray(score > threshold)


def subject_box(image: Image.Image) -> FracBox:
    """The subject's box; the whole picture when nothing stands out (a busy lifestyle shot)."""
    import numpy as np

    mask = _mask(image)
    if mask.sum() < 0.002 * mask.size:
        return FULL
    h, w = mask.shape
    ys, xs = np.nonzero(mask)
    # Trim 1% of the mass on each side so a speck of dust does not widen the box.
    left, right = np.percentile(xs, [1, 99])
    top, bottom = np.percentile(ys, [1, 99])
    pad_x, pad_y = 0.03 * w, 0.03 * h  # breathing room; also covers the trimmed mass
    return FracBox(
        max(0.0, (left - pad_x) / w),
        max(0.0, (top - pad_y) / h),
        min(1.0, (right + 1 + pad_x) / w),
        min(1.0, (bottom + 1 + pad_y) / h),
    )


def crop_keeping(
    image_size: tuple[int, int], subject: FracBox, aspect: float
) -> tuple[int, int, int, int]:
    """The largest crop of `aspect` (w/h) that contains the subject box, centred on it.

    When the subject is wider (or taller) than any crop of that aspect can be, the crop grows
    past the image: the caller pads (letterboxes) rather than cutting the product."""
    w, h = image_size
    sl, st, sr, sb = subject.pixels(image_size)
    sw, sh = sr - sl, sb - st
    # Largest crop inside the image with this aspect.
    cw, ch = (w, w / aspect) if w / h <= aspect else (h * aspect, h)
    # The crop must hold the subject: grow it (beyond the image if needed).
    if cw < sw:
        cw, ch = sw, sw / aspect
    if ch < sh:
        cw, ch = sh * aspect, sh
    cx, cy = (sl + sr) / 2, (st + sb) / 2
    left = min(max(cx - cw / 2, 0.0), max(0.0, w - cw)) if cw <= w else cx - cw / 2
    top = min(max(cy - ch / 2, 0.0), max(0.0, h - ch)) if ch <= h else cy - ch / 2
    # Keep the subject inside even after clamping to the image edges.
    left = min(left, sl)
    top = min(top, st)
    left = max(left, sr - cw)
    top = max(top, sb - ch)
    return round(left), round(top), round(left + cw), round(top + ch)
