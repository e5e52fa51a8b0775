"""Semantic search over the caller's creatives (brand memory, Qdrant), and its re-index."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from adgenius.api.routing import Call, Router
from adgenius.domain.brief import Platform
from adgenius.generation import grounding as grounding_service
from adgenius.rag import brand_search, indexing
from adgenius.tenancy import audit
from adgenius.tenancy.roles import Permission

router = Router(tag="search")


@router.get(
    "/v1/search",
    permission=Permission.CREATIVES_READ,
    query=brand_search.SearchQuery,
    response=brand_search.SearchResults,
)
def search(call: Call) -> brand_search.SearchResults:
    """Creatives most similar to `q`, best first, each with its score and current document.

    Brand-limited members only see their brands' creatives. The index follows Firestore through
    a trigger, so a creative written a moment ago may take a moment to show.
    """
    return brand_search.search(call.tenant_id, call.user, call.query)


@router.post(
    "/v1/search/reindex",
    permission=Permission.TENANT_WRITE,
    response=indexing.ReindexResult,
)
def reindex(call: Call) -> indexing.ReindexResult:
    """Rebuild the tenant's search index from Firestore (owners; repairs a lost or stale index)."""
    result = indexing.reindex_tenant(call.tenant_id)
    audit.record(
        call.tenant_id, "search.reindex", call.user, target="search", details=result.model_dump()
    )
    return result


class GroundingQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: Platform | None = None


@router.get(
    "/v1/campaigns/<campaign_id>/grounding",
    permission=Permission.CREATIVES_READ,
    query=GroundingQuery,
    response=grounding_service.GroundingPreview,
)
def grounding(call: Call) -> grounding_service.GroundingPreview:
    """What generation would quote for this campaign: brand-document chunks and past winners
    (approved creatives, performance-weighted)."""
    return grounding_service.grounding_preview(
        call.tenant_id, call.params["campaign_id"], call.query.platform, call.user
    )
