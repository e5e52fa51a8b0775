from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from adgenius.media.colors import contrast_ratio, parse_hex
from adgenius.media.compositor import Overlay, compose
from adgenius.media.errors import MediaInputError
from adgenius.media.ratios import IMAGE_RATIOS, SIZES, Ratio
from adgenius.media.reframe import detail_focus, reframe, reframe_all, reframe_image, thumbnail

from .conftest import decode, png_bytes


def _noise(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A busy 'photo': the worst case for legible text."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


@pytest.mark.parametrize("ratio", IMAGE_RATIOS)
def test_overlay_on_an_existing_picture_stays_in_the_safe_zone(
    ratio: Ratio, logo_png: bytes
) -> None:
    overlay = Overlay(headline="Fresh coffee every morning", cta="Order", logo=logo_png)
    image, layout = compose(_noise(SIZES[ratio]), ratio, overlay)
    assert image.size == SIZES[ratio]
    assert {e.kind for e in layout.elements} == {"headline", "cta", "logo"}
    assert layout.outside_safe_zone() == []


def test_busy_background_gets_a_scrim_that_makes_the_headline_legible() -> None:
    overlay = Overlay(headline="Fresh coffee", palette=["#ffffff"])
    image, layout = compose(_noise((1080, 1080)), "1:1", overlay)
    box = layout.element("headline").box
    never, _ = compose(_noise((1080, 1080)), "1:1", overlay.model_copy(update={"scrim": "never"}))
    # A strip just above the glyphs: inside the panel, but with no text in it.
    strip = (box.left, box.top - 8, box.right, box.top - 2)
    with_panel = np.asarray(image.crop(strip)).astype(float).std()
    without = np.asarray(never.crop(strip)).astype(float).std()
    assert with_panel < 0.6 * without


def test_cta_text_contrasts_with_its_button() -> None:
    overlay = Overlay(headline="x", cta="Buy now", palette=["#1a73e8", "#ffffff", "#fbbc04"])
    image, layout = compose(Image.new("RGB", (1080, 1080), (26, 115, 232)), "1:1", overlay)
    cta = layout.element("cta")
    button = image.getpixel((cta.box.left + cta.box.width // 2, cta.box.top + 3))
    assert contrast_ratio(parse_hex(cta.color), button) >= 4.5


def test_broken_logo_in_an_overlay_names_the_field() -> None:
    with pytest.raises(MediaInputError) as err:
        compose(Image.new("RGB", (100, 100)), "1:1", Overlay(headline="x", logo=b"GIF89a..."))
    assert err.value.field == "logo"


@pytest.mark.parametrize("target", IMAGE_RATIOS)
def test_reframe_to_every_ratio_with_text_relaid(target: Ratio) -> None:
    source = png_bytes(_noise((1200, 628), seed=1))
    out = reframe(source, target, overlay=Overlay(headline="Run further", cta="Shop"))
    assert decode(out.data).size == SIZES[target]
    assert out.layout.ratio is target
    assert out.layout.outside_safe_zone() == []
    assert out.layout.element("headline") is not None


def test_reframe_all_gives_each_ratio() -> None:
    results = reframe_all(png_bytes(_noise((1080, 1080))), format="jpeg")
    assert {r: decode(v.data).size for r, v in results.items()} == {
        r: SIZES[r] for r in IMAGE_RATIOS
    }


def test_smart_crop_follows_the_detail() -> None:
    # Flat grey with a detailed patch at the right: a square crop must move right.
    image = Image.new("RGB", (1920, 1080), (128, 128, 128))
    image.paste(_noise((400, 400)), (1450, 340))
    fx, fy = detail_focus(image, 1.0)
    assert fx > 0.6 and fy == 0.5
    cropped = reframe_image(image, "1:1", fill="crop")
    right_half = np.asarray(cropped)[:, 540:].std()
    assert right_half > 20  # the patch is in the frame


def test_pad_keeps_the_whole_picture() -> None:
    # A wide picture with red ends: padding to 9:16 must keep both ends visible.
    image = Image.new("RGB", (1200, 628), (0, 0, 200))
    image.paste((255, 0, 0), (0, 0, 40, 628))
    image.paste((255, 0, 0), (1160, 0, 1200, 628))
    framed = np.asarray(reframe_image(image, "9:16", fill="palette", fill_colour="#00ff00"))
    mid = framed[960]
    assert tuple(mid[3]) == tuple(mid[-4]) == (255, 0, 0)
    assert tuple(framed[10, 540]) == (0, 255, 0)  # palette fill above the picture


def test_thumbnail_keeps_aspect() -> None:
    thumb = decode(thumbnail(png_bytes(_noise((1080, 1920))), max_side=320))
    assert thumb.size == (180, 320) and thumb.format == "JPEG"
