"""Semantic search over the caller's creatives (brand memory, Qdrant), and its re-index."""

from __future__ import annotations

from pydantic import BaseModel

from adgenius.api.routing import Call, Router
from adgenius.rag import wiring
from adgenius.tenancy import audit
from adgenius.tenancy.roles import Permission

router = Router(tag="search")


class ReindexResult(BaseModel):
    creatives: int


@router.get(
    "/v1/search",
    permission=Permission.CREATIVES_READ,
    query=wiring.SearchQuery,
    response=wiring.SearchResults,
)
def search(call: Call) -> wiring.SearchResults:
    """Creatives most similar to `q`, best first, each with its score and current document.

    Brand-limited members only see their brands' creatives. The index follows Firestore through
    a trigger, so a creative written a moment ago may take a moment to show.
    """
    return wiring.search(call.tenant_id, call.user, call.query)


@router.post(
    "/v1/search/reindex",
    permission=Permission.TENANT_WRITE,
    response=ReindexResult,
)
def reindex(call: Call) -> ReindexResult:
    """Rebuild the tenant's search index from Firestore (owners; repairs a lost or stale index)."""
    count = wiring.reindex_tenant(call.tenant_id)
    audit.record(
        call.tenant_id, "search.reindex", call.user, target="search", details={"creatives": count}
    )
    return ReindexResult(creatives=count)
