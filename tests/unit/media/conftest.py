"""Shared fixtures of the media tests: small encoded pictures made on the fly."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture(scope="session")
def logo_png() -> bytes:
    """A transparent 3:1 logo: a disc and a bar."""
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((0, 0, 99, 99), fill=(250, 200, 0, 255))
    draw.rectangle((120, 35, 290, 65), fill=(250, 250, 250, 255))
    return png_bytes(logo)


@pytest.fixture(scope="session")
def product_png() -> bytes:
    """A product cut-out (rounded shape on transparency), portrait."""
    product = Image.new("RGBA", (400, 600), (0, 0, 0, 0))
    ImageDraw.Draw(product).rounded_rectangle(
        (40, 40, 360, 560), radius=60, fill=(220, 50, 50, 255)
    )
    return png_bytes(product)
