"""Brand memory: what gets indexed, and how it is kept in step with Firestore.

Pure functions of the documents they are given (no Firestore here): the trigger that sees a
creative or brand document change calls the matching method. Performance and status changes
are payload updates only; the vector is computed once per text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import BaseModel

from adgenius.models.base import EmbeddingModel
from adgenius.rag.chunking import chunk_text, creative_text, document_text
from adgenius.rag.schema import Performance, PointType, Status
from adgenius.rag.store import PointRecord, TenantScope, VectorStore, point_id

CREATIVE = "creative"
DOCUMENT = "document"
_EMBED_BATCH = 256
# brand_id of documents that apply to every brand of the tenant.
ALL_BRANDS = "*"


class BrandDocument(BaseModel):
    """A brand document to index (style guide, product sheet, ...)."""

    tenant_id: str
    document_id: str
    brand_id: str | None = None
    title: str | None = None
    mime_type: str = "text/plain"
    data: bytes | str


class BrandMemory:
    """Indexing, search and retrieval of one embedding space over one `VectorStore`."""

    def __init__(self, store: VectorStore, embedder: EmbeddingModel) -> None:
        if store.dimension != embedder.dimension:
            raise ValueError(
                f"store is {store.dimension}-d, embedder {embedder.name} is {embedder.dimension}-d"
            )
        self.store = store
        self.embedder = embedder

    def scope(self, tenant_id: str) -> TenantScope:
        return self.store.for_tenant(tenant_id)

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.embedder.embed(texts), dtype=np.float32)

    # -- creatives ---------------------------------------------------------------------------

    def creative_points(self, creative: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """(text, payload) per chunk of a creative; no embedding, no store access."""
        text = creative_text(creative)
        chunks = chunk_text(text) if len(text.split()) > 160 else ([text] if text else [])
        metrics = creative.get("metrics")
        performance = Performance.model_validate(metrics).model_dump() if metrics else None
        base = {
            "type": PointType(creative["kind"]).value,
            "source_kind": CREATIVE,
            "source_id": str(creative["id"]),
            "brand_id": creative.get("brand_id"),
            "campaign_id": creative.get("campaign_id"),
            "platform": creative.get("platform"),
            "status": Status(creative.get("status") or Status.DRAFT).value,
            "performance": performance,
        }
        return [(chunk, {**base, "chunk": i, "text": chunk}) for i, chunk in enumerate(chunks)]

    def index_creative(self, creative: dict[str, Any]) -> list[str]:
        """(Re)index one creative document; returns the point ids written."""
        tenant_id = _tenant_of(creative)
        return self._write(tenant_id, CREATIVE, str(creative["id"]), self.creative_points(creative))

    def delete_creative(self, tenant_id: str, creative_id: str) -> None:
        self.scope(tenant_id).delete({"source_kind": CREATIVE, "source_id": creative_id})

    def set_status(self, tenant_id: str, creative_id: str, status: Status | str) -> None:
        """Approve, reject or archive a creative without re-embedding it."""
        self.scope(tenant_id).set_payload(
            {"status": Status(status).value}, {"source_kind": CREATIVE, "source_id": creative_id}
        )

    def archive_creative(self, tenant_id: str, creative_id: str) -> None:
        self.set_status(tenant_id, creative_id, Status.ARCHIVED)

    def set_performance(
        self, tenant_id: str, creative_id: str, performance: Performance | dict[str, Any]
    ) -> None:
        """Record measured results (payload update only; no re-embedding)."""
        value = Performance.model_validate(performance).model_dump()
        self.scope(tenant_id).set_payload(
            {"performance": value}, {"source_kind": CREATIVE, "source_id": creative_id}
        )

    # -- brand documents ---------------------------------------------------------------------

    def document_points(self, document: BrandDocument) -> list[tuple[str, dict[str, Any]]]:
        text = document_text(document.data, document.mime_type)
        base = {
            "type": PointType.DOCUMENT.value,
            "source_kind": DOCUMENT,
            "source_id": document.document_id,
            "brand_id": document.brand_id or ALL_BRANDS,
            "title": document.title,
            "status": Status.ACTIVE.value,
        }
        return [
            (chunk, {**base, "chunk": i, "text": chunk}) for i, chunk in enumerate(chunk_text(text))
        ]

    def index_document(self, document: BrandDocument) -> list[str]:
        return self._write(
            document.tenant_id, DOCUMENT, document.document_id, self.document_points(document)
        )

    def delete_document(self, tenant_id: str, document_id: str) -> None:
        self.scope(tenant_id).delete({"source_kind": DOCUMENT, "source_id": document_id})

    def archive_document(self, tenant_id: str, document_id: str) -> None:
        self.scope(tenant_id).set_payload(
            {"status": Status.ARCHIVED.value}, {"source_kind": DOCUMENT, "source_id": document_id}
        )

    # -- whole tenant ------------------------------------------------------------------------

    def reindex_tenant(
        self,
        tenant_id: str,
        creatives: Iterable[dict[str, Any]] = (),
        documents: Iterable[BrandDocument] = (),
    ) -> int:
        """Drop every point of the tenant and index the given documents; returns points written."""
        items: list[tuple[str, str, dict[str, Any]]] = []
        for creative in creatives:
            if _tenant_of(creative) != tenant_id:
                raise ValueError("creative of another tenant passed to reindex_tenant")
            for text, payload in self.creative_points(creative):
                items.append(
                    (
                        point_id(tenant_id, CREATIVE, payload["source_id"], payload["chunk"]),
                        text,
                        payload,
                    )
                )
        for document in documents:
            if document.tenant_id != tenant_id:
                raise ValueError("document of another tenant passed to reindex_tenant")
            for text, payload in self.document_points(document):
                items.append(
                    (
                        point_id(tenant_id, DOCUMENT, payload["source_id"], payload["chunk"]),
                        text,
                        payload,
                    )
                )
        scope = self.scope(tenant_id)
        # Embed before deleting: if embedding fails, the tenant keeps its old index.
        vectors = self._embed_all([text for _, text, _ in items])
        scope.delete()
        self._upsert(scope, items, vectors)
        return len(items)

    # -- internals ---------------------------------------------------------------------------

    def _write(
        self,
        tenant_id: str,
        source_kind: str,
        source_id: str,
        chunks: list[tuple[str, dict[str, Any]]],
    ) -> list[str]:
        scope = self.scope(tenant_id)
        # Drop the old chunks first: a shorter new text must not leave stale tail chunks.
        scope.delete({"source_kind": source_kind, "source_id": source_id})
        items = [
            (point_id(tenant_id, source_kind, source_id, payload["chunk"]), text, payload)
            for text, payload in chunks
        ]
        self._upsert(scope, items)
        return [pid for pid, _, _ in items]

    def _embed_all(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.concatenate(
            [self.embed(texts[i : i + _EMBED_BATCH]) for i in range(0, len(texts), _EMBED_BATCH)]
        )

    def _upsert(
        self,
        scope: TenantScope,
        items: list[tuple[str, str, dict[str, Any]]],
        vectors: np.ndarray | None = None,
    ) -> None:
        if vectors is None:
            vectors = self._embed_all([text for _, text, _ in items])
        for start in range(0, len(items), _EMBED_BATCH):
            scope.upsert(
                [
                    PointRecord(id=pid, vector=vector, payload=payload)
                    for (pid, _, payload), vector in zip(
                        items[start : start + _EMBED_BATCH],
                        vectors[start : start + _EMBED_BATCH],
                        strict=True,
                    )
                ]
            )


def _tenant_of(doc: dict[str, Any]) -> str:
    tenant_id = doc.get("tenant_id")
    if not isinstance(tenant_id, str) or not tenant_id:
        raise ValueError("document has no tenant_id")
    return tenant_id
