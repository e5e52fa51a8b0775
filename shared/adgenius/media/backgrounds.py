"""Seeded background styles of the local image engine (same seed, same pixels)."""

from __future__ import annotations

import random
from enum import StrEnum

from PIL import Image, ImageDraw, ImageFilter

from adgenius.media.colors import RGB, mix
from adgenius.media.imaging import cover


class BackgroundStyle(StrEnum):
    SOLID = "solid"
    GRADIENT = "gradient"
    SPLIT = "split"
    SHAPES = "shapes"
    PHOTO = "photo"  # the product photo, blurred and dimmed, behind the sharp product


def roles(palette: list[RGB]) -> tuple[RGB, RGB, RGB]:
    """(primary, secondary, accent), deriving missing ones from the first colour."""
    primary = palette[0]
    secondary = palette[1] if len(palette) > 1 else mix(primary, (255, 255, 255), 0.55)
    accent = palette[2] if len(palette) > 2 else mix(primary, (0, 0, 0), 0.45)
    return primary, secondary, accent


def _gradient(size: tuple[int, int], a: RGB, b: RGB, angle: float) -> Image.Image:
    # Rotate a small gradient and scale it up: ~10x cheaper than computing at full size.
    ramp = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BICUBIC, expand=False)
    ramp = ramp.crop((40, 40, 216, 216)).resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, b), Image.new("RGB", size, a), ramp)


def _split(size: tuple[int, int], a: RGB, b: RGB, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, a)
    draw = ImageDraw.Draw(image)
    cut = rng.uniform(0.35, 0.65)
    tilt = rng.uniform(-0.15, 0.15)
    if w >= h:
        x0, x1 = w * (cut - tilt), w * (cut + tilt)
        draw.polygon([(x0, 0), (w, 0), (w, h), (x1, h)], fill=b)
    else:
        y0, y1 = h * (cut - tilt), h * (cut + tilt)
        draw.polygon([(0, y0), (w, y1), (w, h), (0, h)], fill=b)
    return image


def _shapes(
    size: tuple[int, int], base: RGB, colours: list[RGB], rng: random.Random
) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, base)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = min(w, h)
    for _ in range(rng.randint(7, 12)):
        colour = rng.choice(colours)
        alpha = rng.randint(60, 150)
        r = rng.uniform(0.06, 0.28) * unit
        x, y = rng.uniform(-0.1, 1.1) * w, rng.uniform(-0.1, 1.1) * h
        kind = rng.choice(("circle", "ring", "square"))
        bbox = (x - r, y - r, x + r, y + r)
        if kind == "circle":
            draw.ellipse(bbox, fill=(*colour, alpha))
        elif kind == "ring":
            draw.ellipse(bbox, outline=(*colour, alpha), width=max(4, int(r * 0.18)))
        else:
            draw.rounded_rectangle(bbox, radius=int(r * 0.2), fill=(*colour, alpha))
    image.paste(layer, (0, 0), layer)
    return image


def _photo(size: tuple[int, int], product: Image.Image, tint: RGB) -> Image.Image:
    # Blur at a small size (fast, and a blurred background needs no detail), then scale up.
    small = cover(product.convert("RGB"), (max(1, size[0] // 8), max(1, size[1] // 8)))
    small = small.filter(ImageFilter.GaussianBlur(6))
    small = Image.blend(small, Image.new("RGB", small.size, tint), 0.45)
    return small.resize(size, Image.Resampling.BICUBIC)


def render_background(
    style: BackgroundStyle,
    size: tuple[int, int],
    palette: list[RGB],
    seed: int,
    product: Image.Image | None = None,
) -> Image.Image:
    rng = random.Random(seed)
    primary, secondary, accent = roles(palette)
    if style is BackgroundStyle.PHOTO and product is not None:
        return _photo(size, product, primary)
    if style is BackgroundStyle.SOLID:
        return Image.new("RGB", size, primary)
    if style is BackgroundStyle.SPLIT:
        return _split(size, primary, mix(primary, secondary, 0.35), rng)
    if style is BackgroundStyle.SHAPES:
        return _shapes(size, primary, [secondary, accent, mix(primary, secondary, 0.5)], rng)
    # GRADIENT, and PHOTO without a product.
    return _gradient(size, primary, mix(primary, accent, 0.6), rng.uniform(0, 360))
