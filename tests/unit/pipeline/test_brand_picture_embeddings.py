"""Choosing the brand picture by image embeddings (Vertex), through the real REST client and the
fake Vertex server: the photo that shows the message wins even untagged, near-ties fall back to
tags and rotation, each picture is embedded once, and a failing service leaves the tags in
charge with the reason recorded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest

from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.models.vertex import VertexConfig, VertexMultimodalEmbedding
from adgenius.pipeline.brand_pictures import choose_picture
from adgenius.testing import sample_media as samples
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(60)
TODAY = date(2026, 11, 30)
RED, BLUE = (196, 72, 48), (40, 90, 200)
MODEL = "multimodalembedding@001"


def _asset(kind: AssetKind = AssetKind.PRODUCT, tags: tuple[str, ...] = ()) -> BrandAsset:
    asset_id = uuid.uuid4().hex[:12]  # fresh ids: the vector cache lives for the process
    now = datetime(2026, 11, 1)
    return BrandAsset(
        id=asset_id,
        tenant_id="t",
        brand_id="b",
        kind=kind,
        tags=list(tags),
        mime_type="image/jpeg",
        width=100,
        height=100,
        bytes=1,
        storage_path=f"tenants/t/brands/b/assets/{asset_id}.jpg",
        thumbnail_path=f"tenants/t/brands/b/assets/{asset_id}-thumb.jpg",
        phash=asset_id,
        created_at=now,
        updated_at=now,
    )


@dataclass
class _Context:  # what choose_picture reads: the assets and their thumbnails
    files: dict[str, bytes]
    assets: list[BrandAsset] = field(default_factory=list)
    reads: int = 0

    def brand_assets(self) -> list[BrandAsset]:
        return self.assets

    def asset_thumbnail(self, asset: BrandAsset) -> bytes | None:
        self.reads += 1
        return self.files.get(asset.id)


def _thumb(colour: tuple[int, int, int], product: str = "mug") -> bytes:
    return samples.encode(samples.product_photo(product, size=(320, 240), colour=colour), "JPEG")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeVertexServer]:
    with FakeVertexServer() as server:
        yield server


@pytest.fixture
def embedder(fake: FakeVertexServer) -> Iterator[VertexMultimodalEmbedding]:
    fake.reset()
    config = VertexConfig(
        project="demo-adgenius",
        base_url=fake.base_url,
        timeout_s=2,
        retry_attempts=2,
        retry_initial_delay_s=0.01,
        retry_max_delay_s=0.02,
        retry_jitter_s=0.0,
    )
    yield VertexMultimodalEmbedding(config, MODEL, dimension=128)
    fake.reset()


def _choose(ctx: _Context, message: str, seed: int, embedder: VertexMultimodalEmbedding | None):
    return choose_picture(ctx, message, seed, today=TODAY, embedder=embedder)  # type: ignore[arg-type]


def test_the_photo_that_shows_the_message_wins_untagged(
    embedder: VertexMultimodalEmbedding, fake: FakeVertexServer
) -> None:
    red, blue = _asset(), _asset()
    ctx = _Context({red.id: _thumb(RED), blue.id: _thumb(BLUE, "sneaker")}, [red, blue])
    for seed in range(4):
        assert _choose(ctx, "The blue sneaker for every run", seed, embedder).photo.id == blue.id
        choice = _choose(ctx, "A red mug for slow mornings", seed, embedder)
        assert choice.photo.id == red.id and choice.matched_by == f"image_embedding:{MODEL}"
    # Tags alone cannot tell them apart: the seed rotates between the two.
    assert {_choose(ctx, "The blue sneaker", s, None).photo.id for s in range(4)} == {
        red.id,
        blue.id,
    }
    # Each picture was embedded once (then cached); each message once per choice.
    assert ctx.reads == 2
    assert fake.calls("predict") == 2 + 8


def test_near_ties_go_to_tags_then_products_then_rotation(
    embedder: VertexMultimodalEmbedding,
) -> None:
    tagged, plain = _asset(tags=("mug",)), _asset()
    scene = _asset(AssetKind.LIFESTYLE)
    files = {tagged.id: _thumb(RED), plain.id: _thumb(RED), scene.id: _thumb(RED)}
    ctx = _Context(files, [scene, plain, tagged])
    # Same pixels, same similarity: the tag decides.
    for seed in range(3):
        assert _choose(ctx, "Our red mug", seed, embedder).photo.id == tagged.id
    # Without a tag match the product comes before the lifestyle shot, rotating.
    chosen = {_choose(ctx, "Something red", seed, embedder).photo.id for seed in range(4)}
    assert chosen == {tagged.id, plain.id}


def test_a_failing_service_leaves_the_tags_in_charge(
    embedder: VertexMultimodalEmbedding, fake: FakeVertexServer
) -> None:
    mug, sneaker = _asset(tags=("mug",)), _asset(tags=("sneaker",))
    ctx = _Context({mug.id: _thumb(RED), sneaker.id: _thumb(BLUE, "sneaker")}, [mug, sneaker])
    fake.set_faults(Fault(route="predict", kind="error", status=503))
    choice = _choose(ctx, "The blue sneaker", 0, embedder)
    assert choice.photo.id == sneaker.id
    assert choice.matched_by.startswith("tags (image embeddings failed:")
    assert "503" in choice.matched_by
    # A missing thumbnail file is the same: tags decide, nothing raises.
    fake.clear_faults()
    lost = _asset(tags=("mug",))
    gone = _Context({sneaker.id: _thumb(BLUE)}, [lost, sneaker])
    assert _choose(gone, "A mug", 0, embedder).photo.id == lost.id


def test_one_photo_needs_no_embedding(
    embedder: VertexMultimodalEmbedding, fake: FakeVertexServer
) -> None:
    only = _asset()
    choice = _choose(_Context({only.id: _thumb(RED)}, [only]), "Anything", 0, embedder)
    assert choice.photo.id == only.id and choice.matched_by == "tags"
    assert fake.calls("predict") == 0
