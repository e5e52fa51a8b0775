"""Bounded decoding of uploaded pictures and clips (brand assets, logos).

Everything a caller uploads is judged from its header first (format, size, mode, frames), then
decoded within a pixel budget, oriented (EXIF), stripped of metadata and re-encoded. Failures are
`MediaInputError`s naming the field and the problem, so the API answers 4xx, never 500.

Memory: Pillow's `Image.open` reads only the header, so the pixel budget is enforced before a
single row is decoded; JPEGs are decoded at a reduced scale (`draft`) when we would downscale
anyway, which keeps a 40 MP photo at a few tens of MB.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from typing import Literal

import imageio_ffmpeg
import numpy as np
from PIL import Image, UnidentifiedImageError

from adgenius.media.decode_budget import DECODES, DecodeTooLarge, decoded_bytes
from adgenius.media.errors import MediaInputError

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
CLIP_TYPES = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
MAX_IMAGE_PIXELS = 40_000_000  # 40 MP: any camera photo; a bomb claims far more
MAX_SIDE = 16_384
MAX_STORED_SIDE = 2048  # what generation needs at most (1080-1920 px creatives)
THUMB_SIDE = 320
MAX_CLIP_SECONDS = 60.0
MAX_CLIP_SIDE = 3840
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass
class CleanImage:
    """An upload after validation: the oriented, metadata-free picture and what we noticed."""

    image: Image.Image  # RGB, or RGBA when the source had transparency
    source_format: str
    notes: list[str] = field(default_factory=list)

    @property
    def has_alpha(self) -> bool:
        return self.image.mode == "RGBA"


@dataclass
class CleanClip:
    data: bytes  # remuxed without metadata
    mime_type: str
    duration_s: float
    width: int
    height: int
    poster: Image.Image  # the first frame


def sniff_image_format(data: bytes) -> str | None:
    """The image format the bytes really are (from the magic number), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return None


def sniff_clip_type(data: bytes) -> str | None:
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


# What Pillow raises on malformed files beyond its own errors: struct.error from a header cut
# short, EOFError from a missing frame, IndexError from a palette index out of range.
_CORRUPT = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def _open_bounded(data: bytes, fld: str, max_pixels: int) -> Image.Image:
    """Open (header only) and enforce the pixel and memory budget before decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaInputError(
            fld, "decompression bomb: the header claims too many pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaInputError(fld, f"not a readable image ({str(exc)[:120]})") from None
    if image.format not in IMAGE_FORMATS:
        raise MediaInputError(fld, f"unsupported format {image.format}; use PNG, JPEG, WebP or GIF")
    width, height = image.size
    if width < 1 or height < 1:
        raise MediaInputError(fld, "the image has no pixels")
    if max(width, height) > MAX_SIDE or width * height > max_pixels:
        raise MediaInputError(
            fld,
            f"{width}x{height} is {width * height / 1e6:.0f} MP; at most "
            f"{max_pixels / 1e6:.0f} MP are accepted (decompression-bomb guard)",
        )
    return image


def _to_8bit(image: Image.Image) -> Image.Image:
    """16/32-bit greyscale to 8 bits by scaling, not by clipping (Pillow's convert clips)."""
    array = np.asarray(image)
    if array.dtype.kind == "f":
        array = np.clip(array, 0.0, 1.0 if float(array.max(initial=0)) <= 1.0 else 255.0)
        scale = 255.0 if float(array.max(initial=0)) <= 1.0 else 1.0
        return Image.fromarray((array * scale).astype(np.uint8))
    peak = int(array.max(initial=0))
    shift = 8 if peak > 255 else 0  # a 16-bit image stored in an "I" buffer
    return Image.fromarray((array.astype(np.uint32) >> shift).clip(0, 255).astype(np.uint8))


def _decode(image: Image.Image, fld: str, max_side: int, notes: list[str]) -> Image.Image:
    """Load, orient, flatten to RGB(A) and downscale an opened image (inside the budget)."""
    try:
        image.load()
    except _CORRUPT as exc:
        problem = "truncated" if "truncated" in str(exc) else "corrupt"
        raise MediaInputError(fld, f"the image is {problem} ({str(exc)[:100]})") from None
    orientation = int(image.getexif().get(_ORIENTATION, 1) or 1)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = _to_8bit(image)
        notes.append("16-bit image reduced to 8 bits")
    if image.mode == "CMYK":
        notes.append("CMYK converted to RGB")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > max_side:
        # Downscale before anything else touches every pixel (reduce() first: fast, bounded).
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    if has_alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an alpha channel that hides nothing
    method = _TRANSPOSE.get(orientation)
    if method is not None:
        image = image.transpose(method)
        notes.append("EXIF orientation applied")
    return image


def clean_image(
    data: bytes,
    fld: str = "body",
    *,
    max_pixels: int = MAX_IMAGE_PIXELS,
    max_side: int = MAX_STORED_SIDE,
    animated: Literal["first_frame", "refuse"] = "first_frame",
) -> CleanImage:
    """Validate, decode within budget, orient, flatten to RGB(A) and downscale to `max_side`."""
    if not data:
        raise MediaInputError(fld, "the body is empty; send the image bytes")
    image = _open_bounded(data, fld, max_pixels)
    notes: list[str] = []
    fmt = str(image.format)
    try:
        # Counting frames reads every frame header: a cut-short one fails here (found by atheris).
        frames = int(getattr(image, "n_frames", 1) or 1)
        image.seek(0)
    except _CORRUPT as exc:
        raise MediaInputError(fld, f"the image is corrupt ({str(exc)[:100]})") from None
    if frames > 1:
        if animated == "refuse":
            raise MediaInputError(fld, f"animated {fmt} ({frames} frames) is not accepted")
        notes.append(f"animated {fmt}: the first of {frames} frames was kept")
    try:
        if fmt == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when we would downscale anyway: bounded memory.
            image.draft("RGB", (max_side, max_side))
        # The process-wide decode budget (shared with logos and model outputs), sized from the
        # header: the decoded pixels plus one full-size RGB(A) copy while converting.
        with DECODES.reserve(decoded_bytes(image, converts_to="RGBA")):
            image = _decode(image, fld, max_side, notes)
    except DecodeTooLarge as exc:
        raise MediaInputError(fld, f"too large to decode: {exc}") from None
    except _CORRUPT as exc:  # past load(): EXIF, palette or frame data that is not what it says
        raise MediaInputError(fld, f"the image is corrupt ({str(exc)[:100]})") from None
    # A fresh image carries no info/EXIF/ICC: re-encoding it strips the metadata.
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return CleanImage(image=fresh, source_format=fmt, notes=notes)


def encode_clean(image: Image.Image) -> tuple[bytes, str]:
    """Stored form: PNG when there is transparency (logos, cut-outs), else JPEG q90."""
    buf = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buf, "PNG", compress_level=6)
        return buf.getvalue(), "image/png"
    image.save(buf, "JPEG", quality=90, optimize=True)
    return buf.getvalue(), "image/jpeg"


def thumbnail(image: Image.Image, side: int = THUMB_SIDE) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((side, side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if thumb.mode == "RGBA":
        thumb.save(buf, "PNG")
    else:
        thumb.save(buf, "JPEG", quality=82)
    return buf.getvalue()


def dhash(image: Image.Image, size: int = 8) -> str:
    """Difference hash: 64 bits (16 hex digits), robust to scaling, re-encoding, small edits."""
    grey = image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:0{size * size // 4}x}"


def hamming(a: str, b: str) -> int:
    return int(bin(int(a, 16) ^ int(b, 16)).count("1"))


NEAR_DUPLICATE_BITS = 6  # of 64: same photo re-saved, resized or lightly retouched


def luminance(image: Image.Image) -> float:
    """Mean relative luminance (0..1) of the visible pixels."""
    rgba = image.convert("RGBA")
    small = rgba.resize((64, 64)) if max(rgba.size) > 64 else rgba
    array = np.asarray(small, dtype=np.float32) / 255.0
    alpha = array[..., 3]
    lum = 0.2126 * array[..., 0] + 0.7152 * array[..., 1] + 0.0722 * array[..., 2]
    weight = float(alpha.sum())
    return float((lum * alpha).sum() / weight) if weight > 0 else 0.5


def logo_variant(image: Image.Image) -> tuple[str, str]:
    """(tone, shape): 'light'/'dark' from its visible pixels, 'square'/'wide' from its aspect.

    A light logo is for dark backgrounds and vice versa."""
    tone = "light" if luminance(image) >= 0.5 else "dark"
    shape = "wide" if image.width >= 1.6 * image.height else "square"
    return tone, shape


def clean_clip(
    data: bytes,
    declared_type: str | None,
    fld: str = "body",
    *,
    max_seconds: float = MAX_CLIP_SECONDS,
) -> CleanClip:
    """Probe a clip with ffmpeg (duration, size), refuse long ones, remux without metadata."""
    mime = sniff_clip_type(data)
    if mime is None:
        raise MediaInputError(fld, "not an MP4, QuickTime or WebM clip")
    if (
        declared_type
        and declared_type != mime
        and {declared_type, mime}
        != {
            "video/mp4",
            "video/quicktime",
        }
    ):
        raise MediaInputError("Content-Type", f"says {declared_type} but the bytes are {mime}")
    suffix = CLIP_TYPES[mime]
    with tempfile.TemporaryDirectory(prefix="adgenius-clip-") as tmp:
        source = os.path.join(tmp, f"in.{suffix}")
        with open(source, "wb") as fh:
            fh.write(data)
        try:
            frames = imageio_ffmpeg.read_frames(source, output_params=["-frames:v", "1"])
            meta = next(frames)
            first = next(frames, None)
            frames.close()
        except (RuntimeError, OSError, StopIteration) as exc:
            raise MediaInputError(fld, f"not a readable clip ({str(exc)[-120:]})") from None
        duration = float(meta.get("duration") or 0.0)
        width, height = (int(v) for v in meta.get("size") or (0, 0))
        if first is None or width < 1 or height < 1:
            raise MediaInputError(fld, "the clip has no video frames")
        if duration <= 0:
            raise MediaInputError(fld, "the clip's duration cannot be read")
        if duration > max_seconds:
            raise MediaInputError(
                fld, f"the clip lasts {duration:.1f} s; at most {max_seconds:.0f} s are accepted"
            )
        if max(width, height) > MAX_CLIP_SIDE:
            raise MediaInputError(fld, f"{width}x{height} is larger than {MAX_CLIP_SIDE} px")
        poster = Image.frombytes("RGB", (width, height), first)
        target = os.path.join(tmp, f"out.{suffix}")
        run = subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-i",
                source,
                "-map",
                "0",
                "-map_metadata",
                "-1",
                "-c",
                "copy",
                "-y",
                target,
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if run.returncode != 0:
            raise MediaInputError(fld, "the clip cannot be remuxed: " + run.stderr.decode()[-120:])
        with open(target, "rb") as fh:
            remuxed = fh.read()
    return CleanClip(
        data=remuxed,
        mime_type=mime,
        duration_s=round(duration, 2),
        width=width,
        height=height,
        poster=poster,
    )
