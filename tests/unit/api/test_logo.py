"""Logo uploads: Pillow validates, bounds and re-encodes; broken input is a 400 on `logo`."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adgenius.domain.brands import LOGO_SIZE, normalise_logo
from adgenius.tenancy.errors import InvalidInput


def _encode(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, "red").save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_accepted_formats_become_png(fmt: str) -> None:
    out = Image.open(io.BytesIO(normalise_logo(_encode(fmt, (64, 32)))))
    assert out.format == "PNG" and out.size == (64, 32) and out.mode == "RGBA"


def test_large_logos_are_scaled_down_keeping_aspect() -> None:
    out = Image.open(io.BytesIO(normalise_logo(_encode("PNG", (3000, 1500)))))
    assert out.size == (LOGO_SIZE, LOGO_SIZE // 2)


def test_metadata_and_trailing_bytes_are_dropped() -> None:
    data = _encode("PNG", (16, 16)) + b"<script>alert(1)</script>"
    assert b"script" not in normalise_logo(data)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"GIF89a-not-really", "not a readable image"),
        (_encode("PNG", (16, 16))[:40], "not a readable image"),
        (_encode("BMP", (16, 16)), "unsupported format BMP"),
        (_encode("PNG", (5000, 10), mode="L"), "pixels per side"),
        (b"\x00" * (2 * 1024 * 1024 + 1), "larger than"),
    ],
)
def test_broken_or_oversized_logos_name_the_field(data: bytes, problem: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalise_logo(data)
    assert info.value.details[0].field == "logo"
    assert problem in info.value.details[0].problem
