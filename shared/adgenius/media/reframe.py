"""One creative in every ratio: smart crop or pad, then the text laid out again for the target.

Reframe the clean picture (the local background or the Imagen image, before any text) and pass
the brand `Overlay`: text is then re-laid inside the target ratio's safe zone instead of being
cropped or squashed. Reframing a picture that already has text baked in cannot move that text.

- crop: when the aspects are close (e.g. 1:1 -> 4:5) the picture fills the frame and the crop
  window is placed where the picture has the most detail (edge energy), not blindly centred;
- pad: when they are far apart (e.g. 1:1 -> 9:16) the whole picture is kept, over a blurred,
  dimmed copy of itself or a flat palette colour.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from PIL import Image, ImageFilter

from adgenius.media.colors import parse_hex
from adgenius.media.compositor import Layout, Overlay, compose
from adgenius.media.image_renderer import RenderedImage
from adgenius.media.imaging import ImageFormat, cover, encode_image, load_image, mime_type
from adgenius.media.ratios import IMAGE_RATIOS, Ratio, parse_ratio, safe_zone, size_of

FillMode = Literal["auto", "crop", "blur", "palette"]
CROP_LIMIT = 0.25  # |log(aspect ratio change)| up to which cropping loses little (1:1 -> 4:5)


def detail_focus(image: Image.Image, target_aspect: float) -> tuple[float, float]:
    """Centre (fractions) of the crop window of ``target_aspect`` with the most edge energy."""
    small = image.convert("L")
    small.thumbnail((160, 160))
    energy = np.asarray(small.filter(ImageFilter.FIND_EDGES), dtype=np.float64)
    h, w = energy.shape
    if w / h > target_aspect:  # crop left/right: slide a window along x
        win = max(1, min(w, round(h * target_aspect)))
        col = np.concatenate([[0.0], np.cumsum(energy.sum(axis=0))])
        sums = col[win:] - col[:-win]
        best = int(np.argmax(sums + 1e-9 * -np.abs(np.arange(sums.size) - (w - win) / 2)))
        return ((best + win / 2) / w, 0.5)
    win = max(1, min(h, round(w / target_aspect)))
    row = np.concatenate([[0.0], np.cumsum(energy.sum(axis=1))])
    sums = row[win:] - row[:-win]
    best = int(np.argmax(sums + 1e-9 * -np.abs(np.arange(sums.size) - (h - win) / 2)))
    return (0.5, (best + win / 2) / h)


def _pad(image: Image.Image, size: tuple[int, int], fill: str, colour: str) -> Image.Image:
    if fill == "palette":
        canvas = Image.new("RGB", size, parse_hex(colour))
    else:
        small = cover(image.convert("RGB"), (max(1, size[0] // 10), max(1, size[1] // 10)))
        small = small.filter(ImageFilter.GaussianBlur(4)).point(lambda v: int(v * 0.7))
        canvas = small.resize(size, Image.Resampling.BICUBIC)
    scale = min(size[0] / image.width, size[1] / image.height)
    w, h = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    fitted = image.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
    canvas.paste(fitted, ((size[0] - w) // 2, (size[1] - h) // 2), fitted)
    return canvas


def reframe_image(
    image: Image.Image,
    target: str | Ratio,
    *,
    fill: FillMode = "auto",
    fill_colour: str = "#202124",
    focus: tuple[float, float] | None = None,
    size: tuple[int, int] | None = None,
) -> Image.Image:
    """``image`` at the exact size of ``target`` (no text handling)."""
    r = parse_ratio(target, "target")
    out = size or size_of(r)
    change = abs(math.log((image.width / image.height) / (out[0] / out[1])))
    mode = fill if fill != "auto" else ("crop" if change <= CROP_LIMIT else "blur")
    if mode == "crop":
        return cover(image.convert("RGB"), out, focus or detail_focus(image, out[0] / out[1]))
    return _pad(image, out, mode, fill_colour)


def reframe(
    data: bytes,
    target: str | Ratio,
    *,
    overlay: Overlay | None = None,
    fill: FillMode = "auto",
    focus: tuple[float, float] | None = None,
    format: ImageFormat = "png",
) -> RenderedImage:
    """Reframe encoded ``data`` to ``target`` and lay ``overlay`` out in its safe zone.

    Raises `MediaInputError` (field ``"image"``) for undecodable bytes.
    """
    r = parse_ratio(target, "target")
    source = load_image(data, "image", "RGB")
    colour = overlay.palette[0] if overlay else "#202124"
    framed = reframe_image(source, r, fill=fill, fill_colour=colour, focus=focus)
    if overlay is not None:
        framed, layout = compose(framed, r, overlay)
    else:
        layout = Layout(width=framed.width, height=framed.height, ratio=r, safe_zone=safe_zone(r))
    return RenderedImage(
        data=encode_image(framed, format),
        mime_type=mime_type(format),
        width=framed.width,
        height=framed.height,
        layout=layout,
    )


def reframe_all(
    data: bytes,
    ratios: tuple[Ratio, ...] = IMAGE_RATIOS,
    *,
    overlay: Overlay | None = None,
    fill: FillMode = "auto",
    format: ImageFormat = "png",
) -> dict[Ratio, RenderedImage]:
    return {r: reframe(data, r, overlay=overlay, fill=fill, format=format) for r in ratios}


def thumbnail(data: bytes, max_side: int = 320, format: ImageFormat = "jpeg") -> bytes:
    """A small preview keeping the aspect (for lists and the review UI)."""
    image = load_image(data, "image", "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return encode_image(image, format, quality=82)
