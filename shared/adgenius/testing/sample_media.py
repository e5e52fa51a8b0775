"""Pictures and clips made on the spot, for tests and the demo: product shots drawn with Pillow
(a mug, a sneaker, a bottle on a plain backdrop), a lifestyle scene, and the hostile files an
upload must refuse (a decompression bomb, a truncated JPEG, a clip that is too long, ...).

Nothing is downloaded: every byte is produced here, so licences are not a question.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zlib

import imageio_ffmpeg
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

PRODUCTS = ("mug", "sneaker", "bottle")


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def product_photo(
    product: str = "mug",
    size: tuple[int, int] = (1200, 900),
    backdrop: tuple[int, int, int] = (236, 232, 226),
    colour: tuple[int, int, int] = (196, 72, 48),
) -> Image.Image:
    """A studio product shot: the object, a soft floor shadow, a plain backdrop.

    The object fills the middle ~45% of the frame, off-centre a little like a real shot."""
    w, h = size
    # A gentle vertical fall-off, like a sweep backdrop under a softbox.
    falloff = Image.linear_gradient("L").resize(size).point(lambda v: v * 18 // 255)
    image = Image.new("RGB", size, backdrop)
    image.paste((0, 0, 0), (0, 0), falloff.point(lambda v: v * 255 // 120))
    draw = ImageDraw.Draw(image)
    cx, cy = int(w * 0.54), int(h * 0.55)
    unit = min(w, h) // 4
    shadow = Image.new("L", size, 0)
    ImageDraw.Draw(shadow).ellipse(
        (cx - int(1.3 * unit), cy + int(0.85 * unit), cx + int(1.3 * unit), cy + int(1.15 * unit)),
        fill=110,
    )
    image.paste((40, 36, 32), (0, 0), shadow.filter(ImageFilter.GaussianBlur(unit // 6)))
    dark = tuple(int(c * 0.7) for c in colour)
    light = tuple(min(255, int(c * 1.25) + 20) for c in colour)
    if product == "mug":
        body = (cx - unit, cy - unit, cx + unit // 2 + unit // 3, cy + unit)
        draw.ellipse(
            (body[2] - unit // 4, cy - unit // 2, body[2] + unit // 2, cy + unit // 2),
            outline=dark,
            width=max(6, unit // 7),
        )
        draw.rounded_rectangle(body, radius=unit // 6, fill=colour)
        draw.ellipse((body[0], body[1] - unit // 8, body[2], body[1] + unit // 8), fill=dark)
        draw.rectangle(
            (body[0] + unit // 6, body[1] + unit // 4, body[0] + unit // 3, body[3] - unit // 5),
            fill=light,
        )
    elif product == "sneaker":
        sole = (cx - int(1.4 * unit), cy + unit // 2, cx + int(1.3 * unit), cy + int(0.8 * unit))
        draw.rounded_rectangle(sole, radius=unit // 6, fill=(245, 245, 245))
        draw.polygon(
            [
                (sole[0] + unit // 8, sole[1]),
                (cx - unit // 2, cy - unit // 2),
                (cx + unit // 4, cy - unit // 2),
                (cx + unit // 2, cy),
                (sole[2], cy + unit // 4),
                (sole[2], sole[1]),
            ],
            fill=colour,
        )
        for i in range(4):
            x = cx - unit // 3 + i * unit // 6
            draw.line([(x, cy - unit // 3), (x + unit // 5, cy - unit // 6)], fill="white", width=5)
        draw.arc((cx - unit, cy - unit // 6, cx + unit, cy + unit), 200, 330, fill=dark, width=8)
    else:  # bottle
        draw.rounded_rectangle(
            (cx - unit // 2, cy - unit // 2, cx + unit // 2, cy + unit),
            radius=unit // 4,
            fill=colour,
        )
        draw.rectangle(
            (cx - unit // 6, cy - int(1.1 * unit), cx + unit // 6, cy - unit // 2), fill=colour
        )
        draw.rectangle(
            (cx - unit // 5, cy - int(1.25 * unit), cx + unit // 5, cy - int(1.05 * unit)),
            fill=dark,
        )
        draw.rectangle((cx - unit // 2, cy, cx + unit // 2, cy + unit // 3), fill=light)
    return image


def lifestyle_photo(size: tuple[int, int] = (1600, 1000), seed: int = 3) -> Image.Image:
    """A busy scene (a table by a window, plants): no single subject, detail everywhere."""
    rng = np.random.default_rng(seed)
    w, h = size
    image = Image.new("RGB", size, (214, 196, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, w, int(h * 0.55)), fill=(120, 160, 190))
    draw.rectangle((int(w * 0.1), int(h * 0.08), int(w * 0.45), int(h * 0.5)), fill=(200, 225, 240))
    draw.rectangle((0, int(h * 0.62), w, h), fill=(140, 98, 62))
    for _ in range(60):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(10, 60))
        g = tuple(int(v) for v in rng.integers(30, 200, 3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=g)
    return image.filter(ImageFilter.GaussianBlur(1))


def logo(tone: str = "dark", shape: str = "wide") -> Image.Image:
    """A transparent logo: a mark and a bar, in dark or light ink."""
    size = (600, 200) if shape == "wide" else (300, 300)
    ink = (30, 30, 36, 255) if tone == "dark" else (250, 250, 245, 255)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    side = min(size) - 20
    draw.ellipse((10, 10, 10 + side, 10 + side), fill=ink)
    if shape == "wide":
        draw.rectangle((side + 40, size[1] // 2 - 25, size[0] - 20, size[1] // 2 + 25), fill=ink)
    return image


# ----------------------------------------------------------------------------- hostile files


def png_16bit(side: int = 4096) -> bytes:
    """A 16-bit greyscale gradient PNG (values up to 65535, which naive conversion clips)."""
    ramp = np.linspace(0, 65535, side, dtype=np.uint32)
    array = np.broadcast_to(ramp, (side, side)).astype(np.uint16)
    return encode(Image.fromarray(array), "PNG", compress_level=1)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 60_000) -> bytes:
    """A PNG whose header claims side x side pixels (3.6 gigapixels) in a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 4, 9)  # a few rows; the header is what matters
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")
    )


def cmyk_jpeg() -> bytes:
    return encode(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG")  # red ink


def animated_gif(frames: int = 3) -> bytes:
    pictures = [Image.new("RGB", (64, 64), (i * 80 % 256, 40, 90)) for i in range(frames)]
    return encode(pictures[0], "GIF", save_all=True, append_images=pictures[1:], duration=100)


def jpeg_with_orientation(orientation: int = 6) -> bytes:
    """A 200x100 JPEG with an EXIF orientation tag and a camera make (metadata to strip)."""
    image = Image.new("RGB", (200, 100), (20, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"
    return encode(image, "JPEG", exif=exif.tobytes())


def truncated_jpeg() -> bytes:
    data = encode(product_photo(size=(600, 400)), "JPEG", quality=90)
    return data[: len(data) // 2]


def clip(seconds: float, size: tuple[int, int] = (64, 48), fps: int = 2) -> bytes:
    """An H.264 MP4 of `seconds` (a moving bar), tiny and quick to encode."""
    w, h = size
    with tempfile.TemporaryDirectory(prefix="adgenius-sample-") as tmp:
        path = os.path.join(tmp, "clip.mp4")
        writer = imageio_ffmpeg.write_frames(
            path, size, fps=fps, codec="libx264", macro_block_size=1, ffmpeg_log_level="error"
        )
        writer.send(None)
        for i in range(max(1, round(seconds * fps))):
            frame = np.full((h, w, 3), 30, dtype=np.uint8)
            frame[:, (i * 4) % w : (i * 4) % w + 6] = 240
            writer.send(frame.tobytes())
        writer.close()
        with open(path, "rb") as fh:
            return fh.read()
