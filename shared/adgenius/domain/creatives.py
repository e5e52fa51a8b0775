"""Creatives and their assets: written by the generation pipeline, reviewed through the API.

Paths: `tenants/{t}/creatives/{id}` and `tenants/{t}/assets/{id}`. Pipeline code should write
them with `save_creative` / `save_asset` so the documents have the shape the API, the security
rules and the filters rely on (`brand_id` on assets, `ratios` on creatives).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from google.cloud import firestore
from google.cloud.firestore import DocumentSnapshot
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field, StringConstraints

from adgenius.cloud import firestore_reads
from adgenius.domain.brief import Platform
from adgenius.domain.media_urls import url_for
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import Conflict, FieldProblem, InvalidInput, NotFound
from adgenius.tenancy.principal import Principal


class CreativeKind(StrEnum):
    COPY = "copy"
    IMAGE = "image"
    VIDEO = "video"


class CreativeStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class Review(store.Document):
    comment: str | None = None
    by: dict[str, str | None]
    at: datetime


class Asset(store.Document):
    id: str
    tenant_id: str
    creative_id: str
    brand_id: str | None = None
    kind: CreativeKind
    ratio: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    storage_path: str
    content_type: str
    bytes: int
    url: str | None = Field(default=None, description="Short-lived URL (reads only).")


class Creative(store.Document):
    id: str
    tenant_id: str
    brand_id: str
    campaign_id: str
    kind: CreativeKind
    platform: Platform | str
    status: CreativeStatus
    content: dict[str, Any] = Field(default_factory=dict)
    engine: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    scores: dict[str, Any] = Field(default_factory=dict)
    asset_ids: list[str] = Field(default_factory=list)
    ratios: list[str] = Field(default_factory=list)
    job_id: str | None = None
    review: Review | None = None
    metrics: dict[str, Any] | None = Field(
        default=None, description="all-platform CTR, conversion rate, impressions (imports)"
    )
    created_at: datetime
    updated_at: datetime


class CreativeWithAssets(Creative):
    assets: list[Asset] = Field(default_factory=list)


class RejectBody(store.StrictModel):
    comment: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class CreativeFilters(store.StrictModel):
    campaign_id: store.DocId | None = None
    brand_id: store.DocId | None = None
    platform: Platform | None = None
    kind: CreativeKind | None = None
    status: CreativeStatus | None = None
    ratio: Literal["1:1", "4:5", "9:16", "1.91:1", "16:9"] | None = None
    engine: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    brand_asset_id: store.DocId | None = Field(
        default=None, description="Only creatives made from this brand asset."
    )


# ------------------------------------------------------------------------ pipeline writers
def save_creative(creative: Creative) -> None:
    """Create a creative document (the pipeline's write path). Fails if the id exists."""
    doc = creative.model_dump(mode="python")
    doc["platform"] = str(creative.platform)
    store.tenant_collection(creative.tenant_id, store.CREATIVES).document(creative.id).create(
        _plain(doc)
    )


def creative_documents(
    creative: Creative, assets: list[Asset]
) -> list[tuple[firestore.DocumentReference, dict[str, Any]]]:
    """The documents of a creative and its assets, already linked, ready to `create()`.

    For callers that commit them in a batch with their own writes (the pipeline records an item's
    outcome in the same commit), and for `save_creative_with_assets`.
    """
    linked = creative.model_copy(
        update={
            "asset_ids": [*creative.asset_ids, *(a.id for a in assets)],
            "ratios": list(
                dict.fromkeys([*creative.ratios, *(a.ratio for a in assets if a.ratio)])
            ),
        }
    )
    doc = linked.model_dump(mode="python")
    doc["platform"] = str(linked.platform)
    documents = [
        (store.tenant_collection(creative.tenant_id, store.CREATIVES).document(creative.id), doc)
    ]
    for asset in assets:
        documents.append(
            (
                store.tenant_collection(asset.tenant_id, store.ASSETS).document(asset.id),
                asset.model_dump(mode="python", exclude={"url"}),
            )
        )
    return [(ref, _plain(data)) for ref, data in documents]


def save_creative_with_assets(creative: Creative, assets: list[Asset]) -> None:
    """Create a creative and its assets in one atomic write, already linked.

    One write instead of 1 + N: the creative's Firestore trigger (indexing) fires once, and a
    crash can never leave a creative without its assets. Fails with AlreadyExists as a whole.
    """
    batch = store.db().batch()
    for ref, data in creative_documents(creative, assets):
        batch.create(ref, data)
    batch.commit()


def save_creatives(creatives: list[Creative]) -> None:
    """Create several creatives in one atomic write: a crash leaves all of them or none (a
    rerun of the request that made them can tell whether its first run saved its answer)."""
    if creatives:
        store.create_all_once([pair for c in creatives for pair in creative_documents(c, [])])


def save_asset(asset: Asset) -> None:
    """Create an asset and link it to its creative (asset_ids and ratios, for filtering)."""
    doc = _plain(asset.model_dump(mode="python", exclude={"url"}))
    creative_ref = store.tenant_collection(asset.tenant_id, store.CREATIVES).document(
        asset.creative_id
    )
    batch = store.db().batch()
    batch.create(store.tenant_collection(asset.tenant_id, store.ASSETS).document(asset.id), doc)
    link: dict[str, Any] = {"asset_ids": firestore.ArrayUnion([asset.id])}
    if asset.ratio:
        link["ratios"] = firestore.ArrayUnion([asset.ratio])
    batch.update(creative_ref, link)
    batch.commit()


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in doc.items()}


# ---------------------------------------------------------------------------------- reads
def _creative(snap: DocumentSnapshot) -> Creative:
    return Creative(**store.data_with_id(snap))


def get_creative(tenant_id: str, creative_id: str, principal: Principal) -> CreativeWithAssets:
    creative, _ = _get(tenant_id, creative_id, principal)
    assets = firestore_reads.stream(
        store.tenant_collection(tenant_id, store.ASSETS)
        .where(filter=FieldFilter("creative_id", "==", creative_id))
        .order_by("__name__")
    )
    with_urls = []
    for snap in assets:
        asset = Asset(**store.data_with_id(snap))
        asset.url = url_for(asset.storage_path)
        with_urls.append(asset)
    return CreativeWithAssets(**creative.model_dump(), assets=with_urls)


def _get(
    tenant_id: str, creative_id: str, principal: Principal
) -> tuple[Creative, DocumentSnapshot]:
    snap = store.get_in_tenant(tenant_id, store.CREATIVES, creative_id)
    creative = _creative(snap)
    if not principal.sees_brand(creative.brand_id):
        raise NotFound("creative not found")
    return creative, snap


def list_creatives(
    tenant_id: str,
    principal: Principal,
    filters: CreativeFilters,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[Creative], str | None]:
    query: Any = store.tenant_collection(tenant_id, store.CREATIVES)
    if filters.brand_id is not None and not principal.sees_brand(filters.brand_id):
        return [], None
    for field in ("campaign_id", "brand_id", "platform", "kind", "status", "engine"):
        value = getattr(filters, field)
        if value is not None:
            query = query.where(filter=FieldFilter(field, "==", str(value)))
    if filters.ratio is not None and filters.brand_asset_id is not None:
        # Firestore takes one array_contains per query.
        raise InvalidInput(
            "filter by ratio or by brand asset, not both",
            details=[FieldProblem("query.brand_asset_id", "cannot be combined with ratio")],
        )
    if filters.ratio is not None:
        query = query.where(filter=FieldFilter("ratios", "array_contains", filters.ratio))
    if filters.brand_asset_id is not None:
        query = query.where(
            filter=FieldFilter("content.brand_asset_ids", "array_contains", filters.brand_asset_id)
        )
    if filters.brand_id is None and principal.brand_ids is not None:
        if not principal.brand_ids:
            return [], None
        query = query.where(filter=FieldFilter("brand_id", "in", list(principal.brand_ids)))
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)
    return [_creative(s) for s in snaps], next_cursor


# -------------------------------------------------------------------------------- reviews
_ALLOWED_FROM = {
    CreativeStatus.APPROVED: {CreativeStatus.DRAFT, CreativeStatus.REJECTED},
    CreativeStatus.REJECTED: {CreativeStatus.DRAFT, CreativeStatus.APPROVED},
    CreativeStatus.ARCHIVED: {
        CreativeStatus.DRAFT,
        CreativeStatus.APPROVED,
        CreativeStatus.REJECTED,
    },
}


def review(
    tenant_id: str,
    creative_id: str,
    to: CreativeStatus,
    principal: Principal,
    *,
    comment: str | None = None,
) -> CreativeWithAssets:
    """Move a creative to approved / rejected / archived, recording who and why.

    Repeating the same transition is a no-op (safe to retry); archived is final. The write is a
    compare-and-set on the snapshot read, so two reviewers cannot both win silently.
    """
    creative, snap = _get(tenant_id, creative_id, principal)
    if creative.status is to and to is not CreativeStatus.REJECTED:
        return get_creative(tenant_id, creative_id, principal)
    if creative.status not in _ALLOWED_FROM[to] and creative.status is not to:
        raise Conflict(f"a {creative.status.value} creative cannot become {to.value}")
    now = store.now()
    changes = {
        "status": to.value,
        "updated_at": now,
        "review": {"comment": comment, "by": principal.actor, "at": now},
    }
    if not store.update_unchanged_since(snap, changes):
        raise Conflict("the creative changed while it was being reviewed; try again")
    audit.record(
        tenant_id,
        f"creative.{to.value}",
        principal,
        target=f"creatives/{creative_id}",
        details={"comment": comment} if comment else None,
    )
    return get_creative(tenant_id, creative_id, principal)
