"""Brand documents (style guides, product sheets) that generation may quote.

The API stores the file in Storage and its record in `tenants/{t}/documents/{id}`; the
`documents_indexer` trigger (rag.indexing) embeds it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.domain.brands import get_brand
from adgenius.rag import document_ingest
from adgenius.rag.document_text import upload_problem
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import FieldProblem, InvalidInput, NotFound
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)


logger = logging.getLogger(__name__)


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
    # Documents are read after the upload (see rag/document_ingest.py); older ones were read
    # in the request, so a record without a status is ready.
    status: document_ingest.DocumentStatus = document_ingest.DocumentStatus.READY
    failure_reason: str | None = None


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
    """Store the file in Storage and its record in Firestore (`processing`); the trigger
    reads it once, indexes it and marks it `ready` or `failed` (see rag/document_ingest.py)."""
    get_brand(tenant_id, brand_id, principal)  # 404 for unknown or invisible brands
    mime = _document_kind(content_type)
    if not data:
        raise _bad_document("the document is empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(
            f"a document may have at most {MAX_DOCUMENT_BYTES} bytes",
            details=[FieldProblem("body", f"larger than {MAX_DOCUMENT_BYTES} bytes")],
        )
    if problem := upload_problem(data, mime):  # what shows without parsing; the rest later
        raise _bad_document(problem)
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
        status=document_ingest.DocumentStatus.PROCESSING,
    )
    ref = store.tenant_collection(tenant_id, DOCUMENTS).document(document_id)
    stored, _, _ = store.create_once(ref, info.model_dump())  # a crashed first run's stands
    info = BrandDocumentInfo(**stored)
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
