"""A video scene on Veo with the brand's photo, against the fake Vertex server through the real
SDK: it starts from the photo; when Veo refuses the photo (a 4xx at start) or filters the clip
made from it, the scene starts again from the prompt alone and stops claiming the photo."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from adgenius.domain.brand_assets import AssetKind, BrandAsset
from adgenius.generation import engines
from adgenius.pipeline.model import Item, Job, JobKind
from adgenius.pipeline.work import Pending, poll_scene, run_scene
from adgenius.settings import reset_settings_cache
from adgenius.testing import sample_media as samples
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(60)
START = "predictLongRunning"
NOW = datetime(2026, 11, 30)
PHOTO = BrandAsset(
    id="mug",
    tenant_id="t",
    brand_id="b",
    kind=AssetKind.PRODUCT,
    mime_type="image/jpeg",
    width=600,
    height=450,
    bytes=1,
    storage_path="tenants/t/brands/b/assets/mug.jpg",
    thumbnail_path="tenants/t/brands/b/assets/mug-thumb.jpg",
    subject=[0.25, 0.3, 0.8, 0.85],
    created_at=NOW,
    updated_at=NOW,
)


@dataclass
class _Context:  # what a Veo scene reads of the job's context: the brand's pictures
    def brand_assets(self) -> list[BrandAsset]:
        return [PHOTO]

    def asset_file(self, asset: BrandAsset) -> bytes:
        return samples.encode(samples.product_photo("mug", size=(600, 450)), "JPEG")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVertexServer]:
    with FakeVertexServer(video_polls_before_done=0) as server:
        monkeypatch.setenv("ADGENIUS_ENGINE", "vertex")
        monkeypatch.setenv("ADGENIUS_VERTEX_BASE_URL", server.base_url)
        reset_settings_cache()
        engines.reset()
        try:
            yield server
        finally:
            monkeypatch.undo()
            reset_settings_cache()
            engines.reset()


def _job_and_item() -> tuple[Job, Item]:
    job = Job(
        id="j1",
        tenant_id="t",
        campaign_id="c",
        brand_id="b",
        kind=JobKind.VIDEO,
        request={},
        engine="vertex",
        created_at=NOW,
        updated_at=NOW,
    )
    item = Item(
        id="scene-00",
        tenant_id="t",
        job_id="j1",
        index=0,
        kind="scene",
        queue="video-veo",
        ratio="9:16",
        spec={"caption": "Our mug", "visual": "", "prompt": "a mug", "duration_s": 4, "seed": 1},
    )
    return job, item


def test_the_scene_starts_from_the_brand_photo(fake: FakeVertexServer) -> None:
    job, item = _job_and_item()
    started = run_scene(job, item, _Context())  # type: ignore[arg-type]
    assert isinstance(started, Pending) and started.brand_asset_ids == ["mug"]
    assert fake.calls(START) == 1


def test_a_refused_photo_starts_the_scene_from_the_prompt(fake: FakeVertexServer) -> None:
    fake.set_faults(Fault(route=START, kind="error", status=400, times=1))
    job, item = _job_and_item()
    started = run_scene(job, item, _Context())  # type: ignore[arg-type]
    assert isinstance(started, Pending) and started.brand_asset_ids == []
    assert fake.calls(START) == 2  # refused with the photo, accepted without


def test_a_filtered_clip_from_the_photo_is_made_again_from_the_prompt(
    fake: FakeVertexServer,
) -> None:
    fake.set_faults(Fault(route=START, kind="safety", reason="Person", times=1))
    job, item = _job_and_item()
    started = run_scene(job, item, _Context())  # type: ignore[arg-type]
    assert isinstance(started, Pending) and started.brand_asset_ids == ["mug"]
    item.operation, item.brand_asset_ids = started.operation, started.brand_asset_ids
    again = poll_scene(job, item)
    assert isinstance(again, Pending) and again.brand_asset_ids == []
    assert again.operation != started.operation and fake.calls(START) == 2
