"""Brand documents (style guides, product sheets) that generation may quote."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from adgenius.api.routing import Call, Page, Reply, Router
from adgenius.rag import documents
from adgenius.tenancy.roles import Permission

router = Router(tag="documents")


class DocumentUploadQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)


@router.post(
    "/v1/brands/<brand_id>/documents",
    permission=Permission.BRANDS_WRITE,
    raw_body="*/*",
    query=DocumentUploadQuery,
    response=documents.BrandDocumentInfo,
    status=201,
    creates=True,
    errors=(413, 415),
)
def add_document(call: Call) -> Reply:
    """Upload a brand document as the raw body (text/plain, text/markdown or application/pdf;
    max 2 MB). It is indexed for generation within moments."""
    info = documents.add_document(
        call.tenant_id,
        call.params["brand_id"],
        call.body,
        call.headers.get("Content-Type"),
        call.query.title,
        call.user,
    )
    return Reply(body=info, status=201)


@router.get(
    "/v1/brands/<brand_id>/documents",
    permission=Permission.BRANDS_READ,
    response=Page[documents.BrandDocumentInfo],
)
def list_documents(call: Call) -> Page[documents.BrandDocumentInfo]:
    """The brand's documents, oldest first."""
    return Page[documents.BrandDocumentInfo](
        items=documents.list_documents(call.tenant_id, call.params["brand_id"], call.user)
    )


@router.delete("/v1/brands/<brand_id>/documents/<document_id>", permission=Permission.BRANDS_WRITE)
def delete_document(call: Call) -> None:
    """Delete a document; generation stops quoting it within moments."""
    documents.delete_document(
        call.tenant_id, call.params["brand_id"], call.params["document_id"], call.user
    )
