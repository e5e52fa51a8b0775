"""Keep the brand memory (Qdrant) in step with Firestore: the indexer triggers and reindex.

- the `creatives_indexer` Firestore trigger calls `on_creative_written(change)` for every write
  of `tenants/{t}/creatives/{id}`; `documents_indexer` calls `on_document_written(change)` for
  `tenants/{t}/documents/{id}`;
- `POST /v1/search/reindex` calls `reindex_tenant`.

Ordering and redelivery: trigger events are at-least-once and may be handled concurrently or
out of order, so the indexer never trusts the event's snapshot for state that may have moved on:
it re-reads the current document before (re)indexing, and re-checks the status after writing the
points (a review landing while a creative was being embedded is applied, not lost). Point ids are
deterministic, so replaying any event converges to the same points.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, ValidationError

from adgenius.events import FirestoreChange
from adgenius.rag import document_ingest
from adgenius.rag.chunking import creative_text
from adgenius.rag.documents import DOCUMENTS, BrandDocumentInfo
from adgenius.rag.factory import brand_memory
from adgenius.rag.memory import BrandDocument, BrandMemory
from adgenius.rag.schema import Performance, PointType, Status
from adgenius.tenancy import store

logger = logging.getLogger(__name__)

# Fields of a creative that end up in its points' payload (besides the text itself): a change
# to any of them needs the points rewritten, not just a payload update.
_PAYLOAD_FIELDS = ("kind", "brand_id", "campaign_id", "platform")


class IndexAction(StrEnum):
    INDEXED = "indexed"
    STATUS = "status"
    PERFORMANCE = "performance"
    DELETED = "deleted"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # not a creative we can index (no tenant, unknown kind)
    FAILED = "failed"  # a brand document that cannot be read (its status says why)


logger = logging.getLogger(__name__)


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
    text = document_ingest.read_text(current)  # parsed once, bounded; stored for reuse
    if text is None:
        memory.delete_document(tenant_id, document_id)
        return IndexAction.FAILED
    memory.index_document(
        BrandDocument(
            tenant_id=tenant_id,
            document_id=document_id,
            brand_id=info.brand_id,
            title=info.title,
            mime_type="text/plain",
            data=text,
        )
    )
    if not store.tenant_collection(tenant_id, DOCUMENTS).document(document_id).get().exists:
        memory.delete_document(tenant_id, document_id)  # deleted while we were embedding
        return IndexAction.DELETED
    document_ingest.mark_ready(current)
    return IndexAction.INDEXED


def _documents_of(tenant_id: str) -> list[BrandDocument]:
    out = []
    for snap in store.tenant_collection(tenant_id, DOCUMENTS).stream():
        info = BrandDocumentInfo(**store.data_with_id(snap))
        try:
            text = document_ingest.read_text(snap)  # the stored text; never parsed again
        except Exception:
            logger.warning("document %s/%s: file missing; not indexed", tenant_id, info.id)
            continue
        if text is None:
            continue  # failed: nothing to index
        out.append(
            BrandDocument(
                tenant_id=tenant_id,
                document_id=info.id,
                brand_id=info.brand_id,
                title=info.title,
                mime_type="text/plain",
                data=text,
            )
        )
    return out
