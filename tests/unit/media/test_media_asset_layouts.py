"""Layouts from brand photos: in every ratio the product is whole and inside the safe zone, no
text covers it, and text contrast measured on the final pixels is at least 4.5:1."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from adgenius.media.asset_layouts import (
    MIN_CONTRAST,
    AssetLayout,
    LogoChoice,
    Picture,
    place_photo,
    render_asset_layout,
)
from adgenius.media.colors import contrast_ratio, parse_hex
from adgenius.media.ratios import IMAGE_RATIOS, Box
from adgenius.media.saliency import FracBox, subject_box
from adgenius.testing import sample_media as samples

HEADLINE = "Roasted to order and at your door every week"
PALETTES = {
    "dark brand": [(120, 40, 30), (250, 240, 230), (230, 160, 40)],
    "light brand": [(250, 230, 90), (255, 255, 255), (200, 200, 200)],  # no dark colour at all
}


@pytest.fixture(scope="module")
def mug() -> Picture:
    photo = samples.product_photo("mug")
    return Picture(photo, subject_box(photo))


@pytest.fixture(scope="module")
def scene() -> Picture:
    photo = samples.lifestyle_photo()
    return Picture(photo, subject_box(photo))


def _ring_contrast(image: Image.Image, box: Box, colour: str) -> float:
    """Worst contrast between the text colour and the pixels in a ring just outside its ink
    box: the background the eye compares the letters with (2nd percentile)."""
    ink = parse_hex(colour)
    outer = box.inset(-8)
    array = np.asarray(image.convert("RGB"))
    ring = [
        array[max(0, outer.top) : box.top - 2, box.left : box.right],
        array[box.bottom + 2 : outer.bottom, box.left : box.right],
        array[box.top : box.bottom, max(0, outer.left) : box.left - 2],
        array[box.top : box.bottom, box.right + 2 : outer.right],
    ]
    pixels = np.concatenate([r.reshape(-1, 3) for r in ring if r.size])
    colours = {tuple(int(v) for v in p) for p in pixels}
    ratios = {c: contrast_ratio(ink, c) for c in colours}  # type: ignore[arg-type]
    return float(np.percentile([ratios[tuple(int(v) for v in p)] for p in pixels], 2))


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
@pytest.mark.parametrize("ratio", [r.value for r in IMAGE_RATIOS])
@pytest.mark.parametrize("kind", list(AssetLayout))
def test_every_layout_in_every_ratio_keeps_product_whole_safe_and_text_legible(
    kind: AssetLayout, ratio: str, palette: list, mug: Picture, scene: Picture
) -> None:
    picture = scene if kind is AssetLayout.PANEL else mug
    logos = [LogoChoice(samples.logo("dark"), "dark"), LogoChoice(samples.logo("light"), "light")]
    out = render_asset_layout(
        kind,
        ratio,
        headline=HEADLINE,
        cta="Shop now",
        palette=palette,
        picture=picture,
        logos=logos,
    )
    layout = out.layout
    assert out.image.size == (layout.width, layout.height)
    assert layout.outside_safe_zone() == []
    product = layout.element("product")
    if kind is not AssetLayout.PANEL:
        assert product is not None
        assert layout.safe_zone.contains(product.box)
        # Whole: the subject's full extent in the photo maps to that box at one scale.
        sub = picture.subject.pixels(picture.image.size)
        sx = product.box.width / (sub[2] - sub[0])
        sy = product.box.height / (sub[3] - sub[1])
        assert sx == pytest.approx(sy, rel=0.03)
        for element in layout.elements:
            if element.kind in ("headline", "cta", "logo"):
                b, p = element.box, product.box
                overlap = (
                    min(b.right, p.right) - max(b.left, p.left),
                    min(b.bottom, p.bottom) - max(b.top, p.top),
                )
                assert overlap[0] <= 0 or overlap[1] <= 0, f"{element.kind} covers the product"
    headline = layout.element("headline")
    assert headline is not None and not headline.truncated
    assert _ring_contrast(out.image, headline.box, headline.color) >= MIN_CONTRAST
    cta = layout.element("cta")
    assert cta is not None
    button = out.image.getpixel((cta.box.left + cta.box.height // 2, cta.box.top + 3))
    assert contrast_ratio(parse_hex(cta.color), button) >= MIN_CONTRAST
    assert out.logo_asset_id is not None


def test_logo_variant_contrasts_with_what_is_under_it(mug: Picture) -> None:
    logos = [LogoChoice(samples.logo("dark"), "dark"), LogoChoice(samples.logo("light"), "light")]
    on_light = render_asset_layout(
        AssetLayout.HERO,
        "1:1",
        headline="x",
        cta="",
        palette=PALETTES["dark brand"],
        picture=mug,
        logos=logos,
    )
    on_dark = render_asset_layout(
        AssetLayout.SPLIT,
        "1:1",
        headline="x",
        cta="",
        palette=PALETTES["dark brand"],
        picture=mug,
        logos=logos,
    )
    assert on_light.logo_asset_id == "dark" and on_dark.logo_asset_id == "light"


def test_a_subject_too_wide_to_cover_is_padded_never_cut() -> None:
    photo = samples.product_photo("sneaker", size=(1600, 500))
    picture = Picture(photo, FracBox(0.02, 0.1, 0.98, 0.95))
    canvas = Image.new("RGB", (1080, 1920))
    keep = Box(left=100, top=800, right=980, bottom=1500)
    placed = place_photo(canvas, picture, Box(left=0, top=0, right=1080, bottom=1920), keep)
    assert placed is not None and keep.contains(placed)
    assert placed.width / placed.height == pytest.approx((0.96 * 1600) / (0.85 * 500), rel=0.03)
