"""Choosing the brand picture for a message: tags and captions win, rotation by seed, products
before lifestyle shots, and an expired licence is never chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.media.asset_layouts import PRODUCT_LAYOUTS, AssetLayout
from adgenius.pipeline.brand_pictures import choose_picture, tokens

TODAY = date(2026, 11, 30)


def _asset(asset_id: str, kind: AssetKind, tags=(), caption="", until: date | None = None):
    now = datetime(2026, 11, 1)
    return BrandAsset(
        id=asset_id,
        tenant_id="t",
        brand_id="b",
        kind=kind,
        tags=list(tags),
        caption=caption,
        rights="licensed" if until else "owned",
        licensed_until=until,
        mime_type="image/jpeg",
        width=100,
        height=100,
        bytes=1,
        storage_path=f"tenants/t/brands/b/assets/{asset_id}.jpg",
        thumbnail_path=f"tenants/t/brands/b/assets/{asset_id}-thumb.jpg",
        created_at=now,
        updated_at=now,
    )


@dataclass
class _Context:  # the one method choose_picture reads
    assets: list[BrandAsset]

    def brand_assets(self) -> list[BrandAsset]:
        return self.assets


def _choose(assets: list[BrandAsset], message: str, seed: int = 0):
    return choose_picture(_Context(assets), message, seed, today=TODAY)  # type: ignore[arg-type]


def test_tags_and_caption_match_the_message() -> None:
    mug = _asset("mug", AssetKind.PRODUCT, tags=["mug"], caption="Enamel mug")
    beans = _asset("beans", AssetKind.PRODUCT, tags=["coffee beans"], caption="Fresh roast")
    for seed in range(4):
        assert _choose([mug, beans], "Fresh beans, roasted weekly", seed).photo.id == "beans"
        assert _choose([mug, beans], "Mugs for every desk", seed).photo.id == "mug"


def test_without_a_match_the_seed_rotates_products_before_lifestyle() -> None:
    photos = [
        _asset("scene", AssetKind.LIFESTYLE),
        _asset("p1", AssetKind.PRODUCT),
        _asset("p2", AssetKind.PRODUCT),
    ]
    chosen = {_choose(photos, "hello", seed).photo.id for seed in range(6)}
    assert chosen == {"p1", "p2"}
    layouts = {_choose(photos, "hello", seed).layout for seed in range(6)}
    assert layouts == set(PRODUCT_LAYOUTS)
    scene_only = _choose([photos[0]], "hello")
    assert scene_only.layout is AssetLayout.PANEL


@pytest.mark.parametrize("seed", range(5))
def test_an_expired_asset_is_never_chosen(seed: int) -> None:
    yesterday = TODAY - timedelta(days=1)
    expired = _asset("old", AssetKind.PRODUCT, tags=["sale"], until=yesterday)
    fresh = _asset("new", AssetKind.PRODUCT, until=TODAY)
    old_logo = _asset("old-logo", AssetKind.LOGO, until=yesterday)
    logo = _asset("logo", AssetKind.LOGO)
    choice = _choose([expired, fresh, old_logo, logo], "Big sale today", seed)
    assert choice.photo.id == "new" and [a.id for a in choice.logos] == ["logo"]
    assert _choose([expired, old_logo], "Big sale", seed) is None


def test_tokens_ignore_case_plurals_and_filler() -> None:
    assert tokens("The Mugs, and YOUR coffee!") == {"mug", "coffee"}
