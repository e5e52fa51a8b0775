"""Members of the caller's tenant."""

from __future__ import annotations

from adgenius.api.routing import Call, Page, Router
from adgenius.tenancy import members, store
from adgenius.tenancy.roles import Permission

router = Router(tag="members")


@router.get("/v1/members", permission=Permission.MEMBERS_READ, response=Page[members.Member])
def list_members(call: Call) -> Page[members.Member]:
    """Every member with role and brand limits."""
    return Page[members.Member](items=members.list_members(call.tenant_id))


@router.patch(
    "/v1/members/<uid>",
    permission=Permission.MEMBERS_WRITE,
    body=members.MemberPatch,
    response=members.Member,
    errors=(409,),
    path_ids={"uid": store.is_uid},
)
def update_member(call: Call) -> members.Member:
    """Change a member's role or brand limits (only owners touch owners)."""
    return members.update_member(call.tenant_id, call.params["uid"], call.body, call.user)


@router.delete(
    "/v1/members/<uid>",
    permission=Permission.MEMBERS_WRITE,
    errors=(409,),
    path_ids={"uid": store.is_uid},
)
def remove_member(call: Call) -> None:
    """Remove a member from the tenant (the last owner cannot be removed)."""
    members.remove_member(call.tenant_id, call.params["uid"], call.user)
