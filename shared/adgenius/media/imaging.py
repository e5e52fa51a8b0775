"""Small Pillow helpers shared by the renderers: safe decoding, encoding, fit/cover resizing."""

from __future__ import annotations

import io
import warnings
from typing import Literal

from PIL import Image, ImageFilter, UnidentifiedImageError

from adgenius.media.decode_budget import DECODES, DecodeTooLarge, decoded_bytes
from adgenius.media.errors import MediaInputError
from adgenius.media.ratios import Box

ImageFormat = Literal["png", "jpeg"]
MAX_INPUT_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit


def load_image(data: bytes | None, field: str, mode: str = "RGBA") -> Image.Image:
    """Decode caller-supplied bytes, or raise :class:`MediaInputError` naming ``field``."""
    if not data:
        raise MediaInputError(field, "no image bytes were given")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_INPUT_PIXELS:
                raise MediaInputError(field, f"image is too large ({image.width}x{image.height})")
            with DECODES.reserve(decoded_bytes(image, converts_to="RGBA")):
                image.load()
                if image.mode == "P" and "transparency" in image.info:
                    image = image.convert("RGBA")
                return image.convert(mode)
    except MediaInputError:
        raise
    except DecodeTooLarge as exc:
        raise MediaInputError(field, f"image is too large to decode ({exc})") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaInputError(field, f"not a readable PNG/JPEG/WebP image ({exc})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaInputError(field, "image is too large to decode safely") from None


def encode_image(image: Image.Image, fmt: ImageFormat = "png", quality: int = 90) -> bytes:
    buf = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        # Level 3 is ~3x faster than the default 6 for ~10% larger files: ads are size-capped
        # at megabytes, render latency matters more.
        image.save(buf, "PNG", compress_level=3)
    return buf.getvalue()


def mime_type(fmt: ImageFormat) -> str:
    return "image/jpeg" if fmt == "jpeg" else "image/png"


def cover(image: Image.Image, size: tuple[int, int], focus: tuple[float, float] = (0.5, 0.5)):
    """Scale to fill ``size`` and crop the overflow around ``focus`` (fractions of the source)."""
    width, height = size
    scale = max(width / image.width, height / image.height)
    crop_w, crop_h = width / scale, height / scale
    cx = min(max(focus[0] * image.width, crop_w / 2), image.width - crop_w / 2)
    cy = min(max(focus[1] * image.height, crop_h / 2), image.height - crop_h / 2)
    box = (cx - crop_w / 2, cy - crop_h / 2, cx + crop_w / 2, cy + crop_h / 2)
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def contain_box(image_size: tuple[int, int], box: Box) -> Box:
    """The largest box with the image's aspect that fits centred in ``box``."""
    scale = min(box.width / image_size[0], box.height / image_size[1])
    w, h = max(1, int(image_size[0] * scale)), max(1, int(image_size[1] * scale))
    left = box.left + (box.width - w) // 2
    top = box.top + (box.height - h) // 2
    return Box(left=left, top=top, right=left + w, bottom=top + h)


def paste_contained(canvas: Image.Image, image: Image.Image, box: Box, shadow: bool = False) -> Box:
    """Paste ``image`` scaled to fit ``box`` (keeping its aspect); returns where it went."""
    target = contain_box(image.size, box)
    scaled = image.convert("RGBA").resize(
        (target.width, target.height), Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    if shadow:
        # A soft drop shadow from the alpha channel lifts a product cut-out off the background.
        blur = max(4, target.width // 40)
        pad = 3 * blur
        region = (
            max(0, target.left - pad),
            max(0, target.top - pad),
            min(canvas.width, target.right + pad),
            min(canvas.height, target.bottom + pad),
        )
        shade = Image.new("L", (region[2] - region[0], region[3] - region[1]), 0)
        offset = (target.left - region[0] + blur // 2, target.top - region[1] + blur)
        shade.paste(scaled.getchannel("A").point(lambda a: int(a * 0.45)), offset)
        shade = shade.filter(ImageFilter.GaussianBlur(blur))
        canvas.paste((0, 0, 0), region, shade)
    canvas.paste(scaled, (target.left, target.top), scaled)
    return target
