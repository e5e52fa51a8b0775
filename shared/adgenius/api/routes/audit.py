"""The tenant's audit log (newest first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from adgenius.api.routing import Call, Page, Router
from adgenius.tenancy import audit
from adgenius.tenancy.roles import Permission
from adgenius.tenancy.store import Document, StrictModel

router = Router(tag="audit")


class AuditQuery(StrictModel):
    limit: int = Field(default=100, ge=1, le=500)


class AuditEntry(Document):
    id: str
    tenant_id: str
    action: str
    actor: dict[str, str | None]
    target: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    at: datetime


@router.get(
    "/v1/audit", permission=Permission.AUDIT_READ, query=AuditQuery, response=Page[AuditEntry]
)
def list_audit(call: Call) -> Page[AuditEntry]:
    """Sign-ups, role changes, key creation and revocation, reviews and deletions."""
    entries = audit.list_entries(call.tenant_id, limit=call.query.limit)
    return Page[AuditEntry](items=[AuditEntry(**e) for e in entries])
