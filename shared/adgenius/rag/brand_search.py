"""`GET /v1/search`: semantic search over the caller's creatives, as the API asks for it.

The tenant filter is added by the store's `TenantScope`; this module adds the caller's brand
limits and re-reads every hit's creative from Firestore (the index lags by one trigger).
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adgenius.domain.brief import Platform
from adgenius.domain.creatives import Creative
from adgenius.rag.factory import brand_memory
from adgenius.rag.memory import BrandMemory
from adgenius.rag.schema import CreativeFilters, Performance, PointType, Status
from adgenius.rag.search import search_creatives
from adgenius.tenancy import store
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_RESULTS = 50


logger = logging.getLogger(__name__)


class SearchQuery(BaseModel):
    """`GET /v1/search`: semantic search over the caller's creatives."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for.")
    type: PointType | None = Field(default=None, description="copy, image or video")
    brand_id: store.DocId | None = None
    campaign_id: store.DocId | None = None
    platform: Platform | None = None
    status: Status | None = None
    limit: int = Field(default=20, ge=1, le=MAX_RESULTS)

    @field_validator("type")
    @classmethod
    def _creative_type(cls, value: PointType | None) -> PointType | None:
        if value is PointType.DOCUMENT:
            raise ValueError("search covers creatives: copy, image or video")
        return value

    @field_validator("status")
    @classmethod
    def _creative_status(cls, value: Status | None) -> Status | None:
        if value is Status.ACTIVE:
            raise ValueError("a creative is draft, approved, rejected or archived")
        return value


class SearchHit(BaseModel):
    score: float = Field(description="Cosine similarity of the best-matching chunk.")
    text: str = Field(description="The matched text of the creative.")
    performance: Performance | None = None
    creative: Creative


class SearchResults(BaseModel):
    items: list[SearchHit]
    dropped: int = Field(
        default=0,
        description="Index hits left out because their creative is gone or no longer matches "
        "the filters: the index follows Firestore through a trigger and catches up in moments.",
    )


def _visible_brands(principal: Principal, brand_id: str | None) -> list[str] | str | None:
    """The brand filter that keeps a brand-limited member to their brands; [] = nothing."""
    if principal.brand_ids is None:
        return brand_id
    if brand_id is not None:
        return brand_id if principal.sees_brand(brand_id) else []
    return list(principal.brand_ids)


def search(
    tenant_id: str, principal: Principal, query: SearchQuery, memory: BrandMemory | None = None
) -> SearchResults:
    """Best matches first; each carries the creative as it is in Firestore now.

    Hits whose creative is gone, is outside the caller's brands, or no longer matches the
    filters (the index lags Firestore by one trigger) are dropped.
    """
    brands = _visible_brands(principal, query.brand_id)
    if brands == []:
        return SearchResults(items=[])
    filters = CreativeFilters(
        type=query.type,
        brand_id=brands,
        campaign_id=query.campaign_id,
        platform=query.platform.value if query.platform else None,
        status=query.status,
    )
    memory = memory or brand_memory()
    hits = search_creatives(memory, tenant_id, query.q, filters, limit=query.limit)
    if not hits:
        return SearchResults(items=[])
    collection = store.tenant_collection(tenant_id, store.CREATIVES)
    snaps = {
        snap.id: snap
        for snap in store.db().get_all([collection.document(h.creative_id) for h in hits])
        if snap.exists
    }
    items: list[SearchHit] = []
    dropped = 0
    for hit in hits:
        snap = snaps.get(hit.creative_id)
        if snap is None:
            dropped += 1
            continue
        try:
            creative = Creative(**store.data_with_id(snap))
        except ValidationError:
            logger.warning("creative %s/%s is malformed; left out", tenant_id, hit.creative_id)
            continue
        if creative.tenant_id != tenant_id or not principal.sees_brand(creative.brand_id):
            continue
        if not _matches(creative, query):
            dropped += 1
            continue
        items.append(
            SearchHit(
                score=hit.score, text=hit.text, performance=hit.performance, creative=creative
            )
        )
    return SearchResults(items=items, dropped=dropped)


def _matches(creative: Creative, query: SearchQuery) -> bool:
    wanted = {
        "kind": query.type.value if query.type else None,
        "brand_id": query.brand_id,
        "campaign_id": query.campaign_id,
        "platform": query.platform.value if query.platform else None,
        "status": query.status.value if query.status else None,
    }
    current = {
        "kind": creative.kind.value,
        "brand_id": creative.brand_id,
        "campaign_id": creative.campaign_id,
        "platform": str(creative.platform),
        "status": creative.status.value,
    }
    return all(value is None or current[key] == value for key, value in wanted.items())
