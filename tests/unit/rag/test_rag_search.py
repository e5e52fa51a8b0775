"""Semantic search for the API, and index maintenance (re-index, chunks, payload updates)."""

from __future__ import annotations

from typing import Any

import pytest

from adgenius.rag.memory import BrandMemory
from adgenius.rag.schema import CreativeFilters, PointType, Status
from adgenius.rag.search import search_creatives


@pytest.fixture
def catalogue(memory: BrandMemory, creative: Any) -> BrandMemory:
    memory.index_creative(creative("boots", headlines=["Waterproof hiking boots, 20% off"]))
    memory.index_creative(
        creative(
            "img",
            kind="image",
            platform="instagram",
            prompt="muddy boots on a trail",
            caption="Made for mud",
        )
    )
    memory.index_creative(
        creative("coffee", brand_id="brand-2", status="draft", headlines=["Fresh coffee beans"])
    )
    memory.index_creative(
        creative(
            "vid",
            kind="video",
            campaign_id="camp-2",
            script=" ".join(
                f"Scene {n}: a hiker laces waterproof boots beside a river." for n in range(40)
            ),
        )
    )
    return memory


def test_search_ranks_by_meaning_and_returns_one_hit_per_creative(catalogue: BrandMemory) -> None:
    hits = search_creatives(catalogue, "tenant-a", "footwear for rainy hikes", limit=10)
    ids = [h.creative_id for h in hits]
    assert len(ids) == len(set(ids)) == 4  # the long video has several chunks, one hit
    assert ids.index("coffee") == 3
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert search_creatives(catalogue, "tenant-a", "   ") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CreativeFilters(type=PointType.IMAGE), {"img"}),
        (CreativeFilters(type=[PointType.COPY, PointType.VIDEO]), {"boots", "coffee", "vid"}),
        (CreativeFilters(brand_id="brand-2"), {"coffee"}),
        (CreativeFilters(campaign_id="camp-2"), {"vid"}),
        (CreativeFilters(platform="instagram"), {"img"}),
        (CreativeFilters(status=Status.DRAFT), {"coffee"}),
        (CreativeFilters(status=[Status.APPROVED], brand_id="brand-1"), {"boots", "img", "vid"}),
    ],
)
def test_search_filters(
    catalogue: BrandMemory, filters: CreativeFilters, expected: set[str]
) -> None:
    hits = search_creatives(catalogue, "tenant-a", "boots", filters, limit=50)
    assert {h.creative_id for h in hits} == expected


def test_payload_updates_do_not_reembed(catalogue: BrandMemory, creative: Any) -> None:
    scope = catalogue.scope("tenant-a")
    query = catalogue.embed(["boots"])[0]
    before = {h.id: h.vector for h in scope.search(query, 50, with_vectors=True)}
    catalogue.set_performance("tenant-a", "vid", {"ctr": 0.03, "impressions": 500})
    catalogue.set_status("tenant-a", "vid", "archived")
    after = scope.search(query, 50, with_vectors=True)
    assert {h.id for h in after} == set(before)
    for hit in after:
        assert (hit.vector == before[hit.id]).all()
        if hit.payload["source_id"] == "vid":
            assert hit.payload["status"] == "archived"
            assert hit.payload["performance"]["ctr"] == 0.03
    archived = search_creatives(
        catalogue, "tenant-a", "boots", CreativeFilters(status=Status.ARCHIVED)
    )
    assert [h.creative_id for h in archived] == ["vid"]


def test_reindexing_a_shorter_text_drops_stale_chunks(
    catalogue: BrandMemory, creative: Any
) -> None:
    scope = catalogue.scope("tenant-a")
    assert scope.count({"source_id": "vid"}) > 1
    ids = catalogue.index_creative(creative("vid", kind="video", script="A short new script."))
    assert len(ids) == 1 and scope.count({"source_id": "vid"}) == 1
    assert catalogue.index_creative(creative("vid", kind="video", script="Again.")) == ids
    catalogue.delete_creative("tenant-a", "vid")
    assert scope.count({"source_id": "vid"}) == 0
    with pytest.raises(ValueError):
        search_creatives(catalogue, "tenant-a", "x", CreativeFilters(type=PointType.DOCUMENT))
