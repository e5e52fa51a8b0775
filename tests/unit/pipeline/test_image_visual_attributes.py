"""Image attributes from what the renderer drew: the logo's placement, the photo's subject and
people or not, recorded on the creative and turned into features the insights compare."""

from __future__ import annotations

from datetime import UTC, datetime

from adgenius.analytics.attributes import binary_features, describe, media_attributes
from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.media.compositor import Layout, LayoutElement
from adgenius.media.image_renderer import ImageSpec, render_image
from adgenius.media.imaging import encode_image
from adgenius.media.ratios import Box, Ratio
from adgenius.pipeline.work import visual_of
from adgenius.testing import sample_media


def _layout(logo: Box | None, width: int = 1000, height: int = 1000) -> Layout:
    elements = [LayoutElement(kind="logo", box=logo)] if logo else []
    return Layout(
        width=width,
        height=height,
        ratio=Ratio.SQUARE,
        safe_zone=Box(left=0, top=0, right=width, bottom=height),
        elements=elements,
    )


def _asset(kind: AssetKind, tags: list[str] = (), caption: str = "") -> BrandAsset:  # type: ignore[assignment]
    now = datetime.now(UTC)
    return BrandAsset(
        id="a1", tenant_id="t1", brand_id="b1", kind=kind, tags=list(tags), caption=caption,
        mime_type="image/jpeg", width=100, height=100, bytes=1000, storage_path="p",
        thumbnail_path="t", created_at=now, updated_at=now,
    )  # fmt: skip


def test_logo_placement_is_the_grid_cell_of_the_logos_centre() -> None:
    assert _layout(Box(left=40, top=30, right=240, bottom=110)).logo_placement() == "top_left"
    assert _layout(Box(left=800, top=880, right=960, bottom=960)).logo_placement() == (
        "bottom_right"
    )
    assert _layout(Box(left=420, top=40, right=580, bottom=100)).logo_placement() == "top_center"
    assert _layout(None).logo_placement() == "none"


def test_the_local_renderer_records_where_it_drew_the_logo() -> None:
    logo = encode_image(sample_media.logo("dark"), "png")
    with_logo = render_image(ImageSpec(headline="Fresh beans", cta="Shop now", logo=logo))
    placed = with_logo.layout.logo_placement()
    assert placed != "none" and placed.split("_")[0] in ("top", "middle", "bottom")
    box = with_logo.layout.element("logo")
    assert box is not None  # the cell is computed from the logo the layout drew
    without = render_image(ImageSpec(headline="Fresh beans", cta="Shop now"))
    assert without.layout.logo_placement() == "none"


def test_visual_of_names_the_subject_and_people_from_the_brands_description() -> None:
    layout = _layout(Box(left=40, top=30, right=240, bottom=110))
    assert visual_of(layout, None) == {
        "logo_placement": "top_left", "subject": "graphic", "people": False,
    }  # fmt: skip
    assert visual_of(layout, _asset(AssetKind.PRODUCT, ["mug"]))["subject"] == "product"
    people = visual_of(layout, _asset(AssetKind.LIFESTYLE, caption="A woman with her morning mug"))
    assert people["subject"] == "lifestyle" and people["people"] is True
    place = visual_of(layout, _asset(AssetKind.LIFESTYLE, ["kitchen", "table"]))
    assert place["people"] is False
    scene = visual_of(layout, _asset(AssetKind.PRODUCT), recontext=True)
    assert scene["subject"] == "product" and scene["scene"] == "generated"


def test_visual_attributes_become_features_insights_compare() -> None:
    content = {
        "headline": "Fresh beans", "cta": "Shop now", "style": "gradient", "ratio": "1:1",
        "visual": {"logo_placement": "top_left", "subject": "lifestyle", "people": True},
    }  # fmt: skip
    attrs = media_attributes(content)
    assert (attrs["logo_placement"], attrs["subject"], attrs["people"]) == (
        "top_left",
        "lifestyle",
        True,
    )
    feats = binary_features(attrs)
    assert feats["has_logo"] and feats["logo_placement:top_left"] and feats["people"]
    assert feats["subject:lifestyle"]
    no_logo = binary_features(
        media_attributes({**content, "visual": {"logo_placement": "none", "subject": "product"}})
    )
    assert no_logo["has_logo"] is False and "people" not in no_logo
    assert not any(f.startswith("logo_placement:") for f in no_logo)
    # Images made before the renderer recorded this have no such features (not "no logo").
    assert "has_logo" not in binary_features(media_attributes({"headline": "Fresh beans"}))
    assert describe("logo_placement:top_left") == "logo placement top left"
    assert describe("people") == "people in the picture"
