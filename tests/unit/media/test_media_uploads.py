"""Uploads: every accepted type is cleaned; hostile files are refused naming the problem."""

from __future__ import annotations

import io
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from adgenius.media import uploads
from adgenius.media.errors import MediaInputError
from adgenius.media.saliency import FracBox, crop_keeping, subject_box
from adgenius.testing import sample_media as samples


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_accepted_formats_are_cleaned(fmt: str) -> None:
    data = samples.encode(samples.product_photo(size=(300, 200)).convert("RGB"), fmt)
    clean = uploads.clean_image(data)
    assert clean.source_format == fmt
    assert clean.image.mode == "RGB" and clean.image.size == (300, 200)


def test_large_photos_are_downscaled_to_the_stored_side() -> None:
    data = samples.encode(samples.product_photo(size=(3000, 2400)), "JPEG")
    clean = uploads.clean_image(data)
    assert max(clean.image.size) == uploads.MAX_STORED_SIDE
    assert clean.image.size[0] / clean.image.size[1] == pytest.approx(5 / 4, rel=0.01)


def test_exif_orientation_is_applied_and_metadata_stripped() -> None:
    clean = uploads.clean_image(samples.jpeg_with_orientation(6))
    assert clean.image.size == (100, 200)  # rotated upright
    assert "EXIF orientation applied" in clean.notes
    stored, mime = uploads.encode_clean(clean.image)
    assert mime == "image/jpeg" and b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_sixteen_bit_png_is_scaled_not_clipped_within_budget() -> None:
    data = samples.png_16bit(4096)
    tracemalloc.start()
    try:
        clean = uploads.clean_image(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024  # the 4096x4096x16-bit image is 32 MB; stay bounded
    row = np.asarray(clean.image.convert("L"))[0]
    # A ramp from black to white, not a wall of white (what a clipping convert gives).
    assert row[0] < 10 and row[-1] > 245 and 100 < row[len(row) // 2] < 160
    assert "16-bit image reduced to 8 bits" in clean.notes


def test_decompression_bomb_is_refused_from_the_header() -> None:
    data = samples.png_bomb()
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(MediaInputError) as info:
            uploads.clean_image(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.field == "body"
    assert "bomb" in info.value.reason
    assert peak < 20 * 1024 * 1024


def test_cmyk_jpeg_becomes_rgb() -> None:
    clean = uploads.clean_image(samples.cmyk_jpeg())
    assert clean.image.mode == "RGB" and "CMYK converted to RGB" in clean.notes
    r, g, b = clean.image.getpixel((10, 10))
    assert r > 200 and g < 60 and b < 60


def test_animated_gif_keeps_the_first_frame_or_is_refused() -> None:
    data = samples.animated_gif(3)
    clean = uploads.clean_image(data)
    assert any("first of 3 frames" in note for note in clean.notes)
    with pytest.raises(MediaInputError, match="animated GIF"):
        uploads.clean_image(data, animated="refuse")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (samples.truncated_jpeg(), "truncated"),
        (b"GIF89a-not-really", "not a readable image"),
        (samples.encode(Image.new("RGB", (8, 8)), "BMP"), "unsupported format BMP"),
        (samples.encode(Image.new("L", (17_000, 2)), "PNG"), "decompression-bomb guard"),
    ],
)
def test_broken_images_name_the_problem(data: bytes, problem: str) -> None:
    with pytest.raises(MediaInputError) as info:
        uploads.clean_image(data)
    assert problem in info.value.reason


def test_sniffing_tells_formats_apart() -> None:
    assert uploads.sniff_image_format(samples.cmyk_jpeg()) == "JPEG"
    assert uploads.sniff_image_format(samples.animated_gif()) == "GIF"
    assert uploads.sniff_image_format(b"%PDF-1.7") is None
    assert uploads.sniff_clip_type(samples.clip(1)) == "video/mp4"


def test_dhash_finds_near_duplicates_only() -> None:
    mug = samples.product_photo("mug")
    again = Image.open(io.BytesIO(samples.encode(mug.resize((600, 450)), "JPEG", quality=60)))
    sneaker = samples.product_photo("sneaker", colour=(40, 90, 200))
    assert uploads.hamming(uploads.dhash(mug), uploads.dhash(again)) <= uploads.NEAR_DUPLICATE_BITS
    assert uploads.hamming(uploads.dhash(mug), uploads.dhash(sneaker)) > uploads.NEAR_DUPLICATE_BITS


def test_logo_variant_is_read_from_the_pixels() -> None:
    assert uploads.logo_variant(samples.logo("dark", "wide")) == ("dark", "wide")
    assert uploads.logo_variant(samples.logo("light", "square")) == ("light", "square")


def test_clip_within_the_limit_is_probed_remuxed_and_gets_a_poster() -> None:
    clip = uploads.clean_clip(samples.clip(3), "video/mp4")
    assert clip.duration_s == pytest.approx(3, abs=0.6)
    assert (clip.width, clip.height) == (64, 48) and clip.poster.size == (64, 48)
    assert uploads.sniff_clip_type(clip.data) == "video/mp4"


def test_clip_longer_than_allowed_is_refused() -> None:
    with pytest.raises(MediaInputError) as info:
        uploads.clean_clip(samples.clip(61, fps=1), "video/mp4")
    assert "at most 60 s" in info.value.reason


def test_clip_whose_content_type_lies_is_refused() -> None:
    with pytest.raises(MediaInputError) as info:
        uploads.clean_clip(samples.clip(1), "video/webm")
    assert info.value.field == "Content-Type"


@pytest.mark.parametrize("product", samples.PRODUCTS)
def test_subject_box_holds_the_product_and_not_the_backdrop(product: str) -> None:
    photo = samples.product_photo(product, size=(1200, 900))
    box = subject_box(photo)
    # The product sits around the middle: the box covers it but not the whole frame.
    assert box.left < 0.4 and box.right > 0.6 and box.top < 0.45 and box.bottom > 0.7
    assert box.width * box.height < 0.6


def test_busy_pictures_have_no_single_subject_so_the_box_is_wide() -> None:
    box = subject_box(samples.lifestyle_photo())
    assert box.width > 0.8 and box.height > 0.8


@pytest.mark.parametrize("aspect", [1.0, 4 / 5, 1.91, 9 / 16])
def test_crop_keeping_never_cuts_the_subject(aspect: float) -> None:
    subject = FracBox(0.55, 0.1, 0.98, 0.9)
    left, top, right, bottom = crop_keeping((1600, 1000), subject, aspect)
    sl, st, sr, sb = subject.pixels((1600, 1000))
    assert left <= sl and top <= st and right >= sr and bottom >= sb
    assert (right - left) / (bottom - top) == pytest.approx(aspect, rel=0.01)
