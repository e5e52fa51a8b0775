"""Semantic search over a tenant's creatives, for the API."""

from __future__ import annotations

from adgenius.rag.memory import BrandMemory
from adgenius.rag.schema import (
    CREATIVE_TYPES,
    CreativeFilters,
    CreativeHit,
    Performance,
    PointType,
    Status,
)

MAX_LIMIT = 100


def search_creatives(
    memory: BrandMemory,
    tenant_id: str,
    q: str,
    filters: CreativeFilters | None = None,
    limit: int = 20,
) -> list[CreativeHit]:
    """Creatives of the tenant most similar to `q`, one hit per creative, best first."""
    if not q.strip():
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    store_filters = (filters or CreativeFilters()).as_store_filters()
    types = store_filters.setdefault("type", list(CREATIVE_TYPES))
    if PointType.DOCUMENT.value in (types if isinstance(types, list) else [types]):
        raise ValueError("search_creatives does not search brand documents")
    store_filters["source_kind"] = "creative"
    # Long video scripts have several chunks; ask for more and keep the best chunk per creative.
    hits = memory.scope(tenant_id).search(memory.embed([q])[0], limit * 3, store_filters)
    seen: set[str] = set()
    out: list[CreativeHit] = []
    for hit in hits:
        creative_id = hit.payload["source_id"]
        if creative_id in seen:
            continue
        seen.add(creative_id)
        perf = hit.payload.get("performance")
        out.append(
            CreativeHit(
                creative_id=creative_id,
                point_id=hit.id,
                score=hit.score,
                type=PointType(hit.payload["type"]),
                brand_id=hit.payload.get("brand_id"),
                campaign_id=hit.payload.get("campaign_id"),
                platform=hit.payload.get("platform"),
                status=Status(hit.payload["status"]) if hit.payload.get("status") else None,
                text=hit.payload.get("text", ""),
                performance=Performance.model_validate(perf) if perf else None,
            )
        )
        if len(out) == limit:
            break
    return out
