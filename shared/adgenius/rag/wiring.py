"""Glue between the Firestore documents and the brand memory (Qdrant).

Three users:

- the `creatives_indexer` Firestore trigger calls `on_creative_written(change)` for every write
  of `tenants/{t}/creatives/{id}`, which keeps the tenant's points in step with Firestore;
- the API (`routes/search.py`) calls `search` and `reindex_tenant`;
- generation calls `grounded_input` to get a `PromptInput` with retrieved context and winners.

Every function uses the process-wide `get_brand_memory()`. The embedded store (qdrant-edge) is
local-only and single-process: locally every function runs in the one functions-host process,
so they all share it. In the cloud `QDRANT_URL` (+ `QDRANT_API_KEY`) must be set; then every
function instance talks to the Qdrant server and the embedded store is never opened.

Ordering and redelivery: trigger events are at-least-once and may be handled concurrently or
out of order, so the indexer never trusts the event's snapshot for state that may have moved on:
it re-reads the current document before (re)indexing, and re-checks the status after writing the
points (a review landing while a creative was being embedded is applied, not lost). Point ids are
deterministic, so replaying any event converges to the same points.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.events import FirestoreChange
from adgenius.generation.brief import BrandKit, CopyBrief, Platform
from adgenius.generation.prompts.providers import ContextSnippet, WinningExample
from adgenius.generation.prompts.rag_adapter import BrandMemoryProviders
from adgenius.generation.prompts.strategies import PromptInput, gather_input
from adgenius.rag.chunking import creative_text, document_text
from adgenius.rag.edge_store import StoreLockedError
from adgenius.rag.factory import get_brand_memory
from adgenius.rag.memory import BrandDocument, BrandMemory
from adgenius.rag.schema import CreativeFilters, Performance, PointType, Status
from adgenius.rag.search import search_creatives
from adgenius.tenancy import audit, store
from adgenius.tenancy.brands import get_brand
from adgenius.tenancy.campaigns import get_campaign
from adgenius.tenancy.creatives import Creative
from adgenius.tenancy.errors import FieldProblem, InvalidInput, NotFound, TenancyError
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)

# Fields of a creative that end up in its points' payload (besides the text itself): a change
# to any of them needs the points rewritten, not just a payload update.
_PAYLOAD_FIELDS = ("kind", "brand_id", "campaign_id", "platform")
MAX_QUERY_CHARS = 500
MAX_RESULTS = 50


class MemoryUnavailable(TenancyError):
    """The embedded vector store is owned by another process (a local misconfiguration)."""

    status, code = 503, "search_unavailable"


def brand_memory() -> BrandMemory:
    """`get_brand_memory()`, with a locked embedded store turned into `MemoryUnavailable`.

    Locally the store lives at `<ADGENIUS_DATA_DIR>/vectors` and only one process may open it:
    two local stacks sharing a data dir collide here. The cloud uses QDRANT_URL and never locks.
    """
    try:
        return get_brand_memory()
    except StoreLockedError as exc:
        raise MemoryUnavailable(
            "brand memory is unavailable: its embedded store is open in another process "
            "(give each local stack its own ADGENIUS_DATA_DIR, or set QDRANT_URL)"
        ) from exc


class IndexAction(StrEnum):
    INDEXED = "indexed"
    STATUS = "status"
    PERFORMANCE = "performance"
    DELETED = "deleted"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # not a creative we can index (no tenant, unknown kind)


# ------------------------------------------------------------------------------ indexing
def _creative_id_and_tenant(change: FirestoreChange) -> tuple[str, str]:
    # tenants/{tenant_id}/creatives/{creative_id}
    parts = change.document.split("/")
    if len(parts) != 4 or parts[0] != store.TENANTS or parts[2] != store.CREATIVES:
        raise ValueError(f"not a creative document: {change.document}")
    return parts[1], parts[3]


def _current(tenant_id: str, creative_id: str) -> dict[str, Any] | None:
    snap = store.tenant_collection(tenant_id, store.CREATIVES).document(creative_id).get()
    if not snap.exists:
        return None
    data = store.data_with_id(snap)
    return data if data.get("tenant_id") == tenant_id else None


def _text(fields: dict[str, Any]) -> str:
    try:
        return creative_text(fields)
    except ValueError:
        return ""


def _indexable(doc: dict[str, Any]) -> bool:
    return doc.get("kind") in {t.value for t in PointType if t is not PointType.DOCUMENT} and (
        doc.get("status") in (None, *(s.value for s in Status if s is not Status.ACTIVE))
    )


def _with_valid_metrics(doc: dict[str, Any]) -> dict[str, Any]:
    """The document, without `metrics` if they are not valid (they must not block indexing)."""
    metrics = doc.get("metrics")
    if not metrics:
        return doc
    try:
        Performance.model_validate(metrics)
    except ValidationError:
        logger.warning("creative %s: invalid metrics left out of the index", doc.get("id"))
        return {k: v for k, v in doc.items() if k != "metrics"}
    return doc


def _index_current(memory: BrandMemory, tenant_id: str, creative_id: str) -> IndexAction:
    doc = _current(tenant_id, creative_id)
    if doc is None:
        memory.delete_creative(tenant_id, creative_id)
        return IndexAction.DELETED
    if not _indexable(doc):
        logger.warning(
            "creative %s/%s (kind %r, status %r) is not indexable",
            tenant_id,
            creative_id,
            doc.get("kind"),
            doc.get("status"),
        )
        return IndexAction.SKIPPED
    memory.index_creative(_with_valid_metrics(doc))
    # A review may have landed while we embedded: apply whatever the status is now.
    latest = _current(tenant_id, creative_id)
    if latest is None:
        memory.delete_creative(tenant_id, creative_id)
        return IndexAction.DELETED
    if latest.get("status") != doc.get("status") and latest.get("status"):
        memory.set_status(tenant_id, creative_id, Status(latest["status"]))
    return IndexAction.INDEXED


def on_creative_written(change: FirestoreChange, memory: BrandMemory | None = None) -> IndexAction:
    """Bring the points of one creative in step with its document; safe to replay."""
    tenant_id, creative_id = _creative_id_and_tenant(change)
    memory = memory or brand_memory()
    if change.after is None:
        memory.delete_creative(tenant_id, creative_id)
        return IndexAction.DELETED
    before = change.before.fields if change.before is not None else None
    after = change.after.fields
    if after.get("tenant_id") != tenant_id:
        logger.warning("creative %s has tenant_id %r", change.document, after.get("tenant_id"))
        return IndexAction.SKIPPED
    if (
        before is None
        or _text(before) != _text(after)
        or any(before.get(k) != after.get(k) for k in _PAYLOAD_FIELDS)
    ):
        return _index_current(memory, tenant_id, creative_id)
    action = IndexAction.UNCHANGED
    if before.get("status") != after.get("status"):
        current = _current(tenant_id, creative_id)
        if current is None:
            memory.delete_creative(tenant_id, creative_id)
            return IndexAction.DELETED
        if not _indexable(current):
            return _index_current(memory, tenant_id, creative_id)  # logs and skips
        memory.set_status(tenant_id, creative_id, Status(current.get("status") or Status.DRAFT))
        action = IndexAction.STATUS
    if before.get("metrics") != after.get("metrics"):
        metrics = after.get("metrics")
        if not metrics:
            # Metrics removed: rewrite the points so the payload has no stale performance.
            return _index_current(memory, tenant_id, creative_id)
        try:
            performance = Performance.model_validate(metrics)
        except ValidationError as exc:
            # A bad value must not make the event fail forever; the points keep the old one.
            logger.warning("creative %s: metrics not recorded: %s", change.document, exc)
            return action
        memory.set_performance(tenant_id, creative_id, performance)
        if action is IndexAction.UNCHANGED:
            action = IndexAction.PERFORMANCE
    return action


class ReindexResult(BaseModel):
    creatives: int
    documents: int
    points: int


def reindex_tenant(tenant_id: str, memory: BrandMemory | None = None) -> ReindexResult:
    """Drop and rebuild every point of the tenant from Firestore (and the documents' files)."""
    memory = memory or brand_memory()
    docs = [
        store.data_with_id(snap)
        for snap in store.tenant_collection(tenant_id, store.CREATIVES)
        .where(filter=FieldFilter("tenant_id", "==", tenant_id))
        .stream()
    ]
    creatives = [_with_valid_metrics(d) for d in docs if _indexable(d)]
    documents = _documents_of(tenant_id)
    points = memory.reindex_tenant(tenant_id, creatives=creatives, documents=documents)
    return ReindexResult(creatives=len(creatives), documents=len(documents), points=points)


# -------------------------------------------------------------------------------- search
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


# ----------------------------------------------------------------------------- grounding
def grounded_input(
    brief: CopyBrief,
    brand_kit: BrandKit,
    platform: Platform,
    *,
    tenant_id: str,
    brand_id: str | None,
    k_context: int = 5,
    k_winners: int = 3,
    memory: BrandMemory | None = None,
) -> PromptInput:
    """A `PromptInput` grounded in the tenant's brand memory: brand-document context and the
    best approved creatives of the brand (performance-weighted). Retrieval never fails a
    generation: on any error the input comes back without context (and it is logged)."""
    try:
        providers = BrandMemoryProviders(memory or brand_memory())
        return gather_input(
            brief,
            brand_kit,
            platform,
            tenant_id=tenant_id,
            brand_id=brand_id,
            context_provider=providers,
            winners_provider=providers,
            k_context=k_context,
            k_winners=k_winners,
        )
    except Exception:
        logger.exception("brand memory retrieval failed for tenant %s; no context", tenant_id)
        return PromptInput(brief=brief, brand_kit=brand_kit)


class GroundingIds(BaseModel):
    """What a creative should record about the context it was generated with."""

    context_point_ids: list[str] = Field(default_factory=list)  # brand-document chunks
    winner_creative_ids: list[str] = Field(default_factory=list)


def grounding_ids(prompt_input: PromptInput) -> GroundingIds:
    return GroundingIds(
        context_point_ids=[c.id for c in prompt_input.context],
        winner_creative_ids=[w.id for w in prompt_input.winners],
    )


# ----------------------------------------------------------------------- brand documents
DOCUMENTS = "documents"  # tenants/{t}/documents/{id}
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
DOCUMENT_TYPES = ("text/plain", "text/markdown", "application/pdf")


class BrandDocumentInfo(store.Document):
    """A brand document (style guide, product sheet) that generation may quote."""

    id: str
    tenant_id: str
    brand_id: str
    title: str
    mime_type: str
    bytes: int
    storage_path: str
    created_at: datetime
    created_by: dict[str, str | None] = Field(default_factory=dict)


def _bad_document(problem: str, field: str = "body") -> InvalidInput:
    return InvalidInput("the document cannot be used", details=[FieldProblem(field, problem)])


def _document_kind(content_type: str | None) -> str:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "text/x-markdown":
        mime = "text/markdown"
    if mime not in DOCUMENT_TYPES:
        raise UnsupportedDocumentType(
            f"send the document as {', '.join(DOCUMENT_TYPES)}",
            details=[FieldProblem("Content-Type", f"{mime or 'none'} is not accepted")],
        )
    return mime


class UnsupportedDocumentType(InvalidInput):
    status, code = 415, "unsupported_media_type"


class DocumentTooLarge(InvalidInput):
    status, code = 413, "payload_too_large"


def add_document(
    tenant_id: str,
    brand_id: str,
    data: bytes,
    content_type: str | None,
    title: str | None,
    principal: Principal,
) -> BrandDocumentInfo:
    """Store the file in Storage and its record in Firestore; the trigger indexes it."""
    get_brand(tenant_id, brand_id, principal)  # 404 for unknown or invisible brands
    mime = _document_kind(content_type)
    if not data:
        raise _bad_document("the document is empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(
            f"a document may have at most {MAX_DOCUMENT_BYTES} bytes",
            details=[FieldProblem("body", f"larger than {MAX_DOCUMENT_BYTES} bytes")],
        )
    try:
        text = document_text(data, mime)
    except Exception as exc:  # a broken PDF, bytes that are not a PDF, ...
        raise _bad_document(f"unreadable {mime}: {str(exc)[:120]}") from exc
    if not text.strip():
        raise _bad_document("no text found in the document")
    document_id = store.new_id()
    path = tenant_path(tenant_id, "brands", brand_id, DOCUMENTS, document_id)
    blob_store().put(path, data, mime)
    info = BrandDocumentInfo(
        id=document_id,
        tenant_id=tenant_id,
        brand_id=brand_id,
        title=(title or "").strip()[:200] or f"document {document_id}",
        mime_type=mime,
        bytes=len(data),
        storage_path=path,
        created_at=store.now(),
        created_by=principal.actor,
    )
    store.tenant_collection(tenant_id, DOCUMENTS).document(document_id).create(info.model_dump())
    audit.record(
        tenant_id,
        "document.added",
        principal,
        target=f"documents/{document_id}",
        details={"brand_id": brand_id, "bytes": len(data)},
    )
    return info


def list_documents(tenant_id: str, brand_id: str, principal: Principal) -> list[BrandDocumentInfo]:
    get_brand(tenant_id, brand_id, principal)
    snaps = (
        store.tenant_collection(tenant_id, DOCUMENTS)
        .where(filter=FieldFilter("brand_id", "==", brand_id))
        .stream()
    )
    docs = [BrandDocumentInfo(**store.data_with_id(s)) for s in snaps]
    return sorted(docs, key=lambda d: (d.created_at, d.id))


def delete_document(tenant_id: str, brand_id: str, document_id: str, principal: Principal) -> None:
    """Delete the record and the file; the trigger drops the points."""
    get_brand(tenant_id, brand_id, principal)
    snap = store.get_in_tenant(tenant_id, DOCUMENTS, document_id)
    info = BrandDocumentInfo(**store.data_with_id(snap))
    if info.brand_id != brand_id:
        raise NotFound("document not found")
    snap.reference.delete()
    try:
        blob_store().delete(info.storage_path)
    except Exception:  # the record is gone, so nothing will read the file again
        logger.warning("could not delete %s; it is orphaned", info.storage_path)
    audit.record(tenant_id, "document.deleted", principal, target=f"documents/{document_id}")


def _document_id_and_tenant(change: FirestoreChange) -> tuple[str, str]:
    parts = change.document.split("/")
    if len(parts) != 4 or parts[0] != store.TENANTS or parts[2] != DOCUMENTS:
        raise ValueError(f"not a brand document: {change.document}")
    return parts[1], parts[3]


def on_document_written(change: FirestoreChange, memory: BrandMemory | None = None) -> IndexAction:
    """Index a new brand document from Storage; drop its points when it is deleted."""
    tenant_id, document_id = _document_id_and_tenant(change)
    memory = memory or brand_memory()
    if change.after is None:
        memory.delete_document(tenant_id, document_id)
        return IndexAction.DELETED
    before, after = (change.before.fields if change.before else None), change.after.fields
    keys = ("brand_id", "title", "mime_type", "storage_path")
    if before is not None and all(before.get(k) == after.get(k) for k in keys):
        return IndexAction.UNCHANGED
    current = store.tenant_collection(tenant_id, DOCUMENTS).document(document_id).get()
    if not current.exists:  # deleted meanwhile: its own event drops the points too
        memory.delete_document(tenant_id, document_id)
        return IndexAction.DELETED
    info = BrandDocumentInfo(**store.data_with_id(current))
    if info.tenant_id != tenant_id:
        return IndexAction.SKIPPED
    data = blob_store().get(info.storage_path)
    memory.index_document(
        BrandDocument(
            tenant_id=tenant_id,
            document_id=document_id,
            brand_id=info.brand_id,
            title=info.title,
            mime_type=info.mime_type,
            data=data,
        )
    )
    if not store.tenant_collection(tenant_id, DOCUMENTS).document(document_id).get().exists:
        memory.delete_document(tenant_id, document_id)  # deleted while we were embedding
        return IndexAction.DELETED
    return IndexAction.INDEXED


def _documents_of(tenant_id: str) -> list[BrandDocument]:
    out = []
    for snap in store.tenant_collection(tenant_id, DOCUMENTS).stream():
        info = BrandDocumentInfo(**store.data_with_id(snap))
        try:
            data = blob_store().get(info.storage_path)
        except Exception:
            logger.warning("document %s/%s: file missing; not indexed", tenant_id, info.id)
            continue
        out.append(
            BrandDocument(
                tenant_id=tenant_id,
                document_id=info.id,
                brand_id=info.brand_id,
                title=info.title,
                mime_type=info.mime_type,
                data=data,
            )
        )
    return out


# ------------------------------------------------------------------- grounding preview
class GroundingPreview(BaseModel):
    """What generation would quote for a campaign: brand-document chunks and winners."""

    context: list[ContextSnippet]
    winners: list[WinningExample]


def grounding_preview(
    tenant_id: str, campaign_id: str, platform: Platform | None, principal: Principal
) -> GroundingPreview:
    campaign, _ = get_campaign(tenant_id, campaign_id, principal)
    brand, _ = get_brand(tenant_id, campaign.brand_id, principal)
    lang = campaign.languages[0] if campaign.languages else "en"
    inp = grounded_input(
        campaign.brief(language=lang),
        brand.to_generation_kit(),
        platform or Platform(campaign.platforms[0] if campaign.platforms else Platform.META),
        tenant_id=tenant_id,
        brand_id=campaign.brand_id,
    )
    return GroundingPreview(context=inp.context, winners=inp.winners)
