"""Who am I: the signed-in user's identity, tenant and role (null before onboarding)."""

from __future__ import annotations

from adgenius.api.routing import Access, Call, Router
from adgenius.tenancy.store import Document

router = Router(tag="identity")


class Me(Document):
    uid: str
    email: str | None
    tenant_id: str | None
    role: str | None
    brand_ids: list[str] | None


@router.get("/v1/me", access=Access.USER, response=Me)
def get_me(call: Call) -> Me:
    """The caller's identity and membership."""
    p = call.user
    return Me(
        uid=p.uid or "",
        email=p.email,
        tenant_id=p.tenant_id,
        role=p.role.value if p.role else None,
        brand_ids=list(p.brand_ids) if p.brand_ids is not None else None,
    )
