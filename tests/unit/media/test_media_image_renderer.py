from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from adgenius.media.backgrounds import BackgroundStyle
from adgenius.media.errors import MediaInputError
from adgenius.media.image_renderer import (
    ENGINE,
    MODEL_NAME,
    ImageSpec,
    LocalImageModel,
    palette_from_prompt,
    render_all_ratios,
    render_image,
)
from adgenius.media.ratios import IMAGE_RATIOS, SIZES, Ratio
from adgenius.media.validate import validate_image
from adgenius.models.base import ImageModel, Outcome

from .conftest import decode

HEADLINE = "Summer sale: 40% off every running shoe this weekend"


@pytest.mark.parametrize("ratio", IMAGE_RATIOS)
@pytest.mark.parametrize("style", list(BackgroundStyle))
def test_every_ratio_and_style_at_exact_size_with_text_in_the_safe_zone(
    ratio: Ratio, style: BackgroundStyle, logo_png: bytes, product_png: bytes
) -> None:
    spec = ImageSpec(
        headline=HEADLINE, cta="Shop now", ratio=ratio, style=style, seed=7,
        logo=logo_png, product=product_png,
    )  # fmt: skip
    out = render_image(spec)
    assert decode(out.data).size == SIZES[ratio] == (out.width, out.height)
    kinds = {e.kind for e in out.layout.elements}
    assert {"headline", "cta", "logo", "product"} <= kinds
    assert out.layout.outside_safe_zone() == []
    assert validate_image(out.data, ratio=ratio).ok


@pytest.mark.parametrize("ratio", IMAGE_RATIOS)
def test_no_ink_outside_the_safe_zone_on_a_flat_background(ratio: Ratio, logo_png: bytes) -> None:
    """Pixel check: on a solid background every pixel outside the safe zone is background."""
    spec = ImageSpec(
        headline=HEADLINE, cta="Get yours today", ratio=ratio, style="solid",
        palette=["#0b3d2e", "#d8f3dc", "#ff8c42"], logo=logo_png,
    )  # fmt: skip
    out = render_image(spec)
    pixels = np.asarray(decode(out.data).convert("RGB")).astype(int)
    zone = out.layout.safe_zone
    mask = np.ones(pixels.shape[:2], dtype=bool)
    mask[zone.top : zone.bottom, zone.left : zone.right] = False
    background = np.array([0x0B, 0x3D, 0x2E])
    assert (pixels[mask] == background).all()
    inside = pixels[~mask]
    assert (inside != background).any(axis=1).sum() > 1000  # and the text is really there


def test_vertical_platform_bands_stay_free_of_text_colour() -> None:
    out = render_image(
        ImageSpec(headline=HEADLINE, cta="Shop now", ratio="9:16", style="solid",
                  palette=["#ffffff", "#1a73e8", "#202124"])
    )  # fmt: skip
    pixels = np.asarray(decode(out.data).convert("RGB")).astype(int)
    text_colour = out.layout.element("headline").color
    rgb = np.array([int(text_colour[i : i + 2], 16) for i in (1, 3, 5)])
    is_text = np.abs(pixels - rgb).sum(axis=2) < 30
    assert not is_text[:250].any()
    assert not is_text[-340:].any()
    assert is_text[250:-340].sum() > 500


def test_same_seed_same_bytes_and_another_seed_another_picture() -> None:
    spec = ImageSpec(headline="Hello", cta="Go", style="shapes", seed=11)
    assert render_image(spec).data == render_image(spec).data
    other = render_image(spec.model_copy(update={"seed": 12}))
    assert other.data != render_image(spec).data


@pytest.mark.parametrize(
    "headline",
    [
        "夏のセール：すべてのランニングシューズが今週末だけ四十パーセントオフになります",
        "Big sale 😀🎉🔥 this weekend 🏃‍♀️",
        "Supercalifragilisticexpialidocious" * 6,
        " ".join(["word"] * 59),
    ],
)
def test_hard_headlines_do_not_overflow_or_crash(headline: str) -> None:
    out = render_image(ImageSpec(headline=headline, cta="今すぐ購入 🛒", ratio="1.91:1"))
    assert out.layout.outside_safe_zone() == []
    assert out.layout.element("headline") is not None


def test_a_headline_too_long_for_its_box_is_marked_truncated() -> None:
    out = render_image(ImageSpec(headline=" ".join(["overflowing"] * 24), ratio="1.91:1"))
    assert out.layout.element("headline").truncated


@pytest.mark.parametrize("field", ["logo", "product"])
def test_broken_picture_bytes_raise_a_typed_error_naming_the_field(field: str) -> None:
    with pytest.raises(MediaInputError) as err:
        render_image(ImageSpec(headline="Hi", **{field: b"\x89PNG\r\n\x1a\nnot really"}))
    assert isinstance(err.value, ValueError)
    assert err.value.field == field
    assert field in str(err.value)


def test_bad_palette_and_ratio_are_rejected_at_the_boundary() -> None:
    with pytest.raises(ValidationError, match="palette"):
        ImageSpec(palette=["#12345"])
    with pytest.raises(ValidationError, match="ratio"):
        ImageSpec(ratio="3:2")


def test_jpeg_output() -> None:
    out = render_image(ImageSpec(headline="Hi", format="jpeg", ratio="4:5"))
    assert out.mime_type == "image/jpeg"
    report = validate_image(out.data, ratio="4:5")
    assert report.ok and report.mime_type == "image/jpeg"


def test_local_image_model_is_an_image_model_and_returns_count_images() -> None:
    model = LocalImageModel()
    assert isinstance(model, ImageModel)
    result = model.generate("a red and gold running shoe", aspect_ratio="9:16", count=2, seed=3)
    assert result.outcome is Outcome.OK
    assert len(result.images) == 2 and result.images[0] != result.images[1]
    assert all(decode(img).size == (1080, 1920) for img in result.images)
    assert result.usage.engine == ENGINE == "local"
    assert result.usage.model == MODEL_NAME == "adgenius-pillow-v1"
    assert result.usage.images == 2


def test_local_image_model_uses_brand_hints(logo_png: bytes) -> None:
    hints = ImageSpec(
        headline="Brand line", cta="Buy", palette=["#000000"], style="solid", logo=logo_png
    )
    plain = LocalImageModel(hints).generate("anything", seed=1).images[0]
    # Without text, a solid background in the brand colour is all there is.
    assert set(decode(plain).convert("RGB").getcolors(10)) == {(1080 * 1080, (0, 0, 0))}
    with_text = LocalImageModel(hints, with_text=True).generate("anything", seed=1).images[0]
    assert len(decode(with_text).convert("RGB").getcolors(1 << 20)) > 2


def test_palette_from_prompt_uses_named_colours() -> None:
    assert palette_from_prompt("a red and blue banner")[:2] == ["#d93025", "#1a73e8"]
    assert palette_from_prompt("calm morning") == palette_from_prompt("calm morning")


def test_specs_travel_as_json_with_their_bytes(logo_png: bytes) -> None:
    spec = ImageSpec(headline="Hi", logo=logo_png, ratio="9:16", palette=["#123456"])
    again = ImageSpec.model_validate_json(spec.model_dump_json())
    assert again == spec
    assert render_image(again).data == render_image(spec).data


@pytest.mark.parametrize(("aspect", "size"), [("3:4", (1080, 1440)), ("16:9", (1920, 1080))])
def test_local_image_model_accepts_imagen_aspect_ratios(aspect: str, size: tuple[int, int]) -> None:
    result = LocalImageModel().generate("mountain lake at dawn", aspect_ratio=aspect, seed=1)
    assert decode(result.images[0]).size == size


def test_render_all_ratios_lays_out_each_ratio_natively() -> None:
    out = render_all_ratios(ImageSpec(headline=HEADLINE, cta="Shop now", seed=5))
    assert {r: (v.width, v.height) for r, v in out.items()} == {r: SIZES[r] for r in IMAGE_RATIOS}
    assert all(v.layout.ratio is r and not v.layout.outside_safe_zone() for r, v in out.items())
